"""The morning work queue of the Overview page: what needs a person today.

- :func:`untriaged`: findings nobody has marked yet (leads left out: they say "check this",
  the Findings page lists them apart), best score first;
- :func:`deadlines_due`: findings whose creditor's revocation right (Civil Code art. 541)
  ends within the next N days, soonest first;
- :func:`moved_by_debtor`: per debtor, the amount the findings say was moved (dismissed
  findings and leads left out), largest first;
- :func:`recent_loads`: the last loads from the audit log (files, loaded, merged, rejected),
  newest first, with the records each left in the store.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable

from .findings import revocation_deadline

__all__ = ["untriaged", "deadlines_due", "moved_by_debtor", "recent_loads"]


def _work(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings that are not leads and not dismissed."""
    return [f for f in findings if not f.get("lead") and f.get("mark") != "dismissed"]


def untriaged(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unmarked findings (``mark`` empty), best score first; leads left out.

    >>> [f["id"] for f in untriaged([{"id": "a", "score": .5, "mark": ""}, {"id": "b", "score": .9, "mark": ""},
    ...                              {"id": "c", "score": .99, "mark": "to_check"}, {"id": "d", "lead": {}, "mark": ""},
    ...                              {"id": "e", "score": .7, "mark": "", "lead": {"confirm": "x"}}])]
    ['b', 'a', 'd']
    """
    out = [f for f in findings if not f.get("mark") and not f.get("lead")]
    return sorted(out, key=lambda f: (-float(f.get("score") or 0), str(f.get("id"))))


def deadlines_due(findings: Iterable[dict[str, Any]], today: date, days: int) -> list[dict[str, Any]]:
    """Findings whose revocation deadline falls in ``[today, today + days]``, soonest first.

    Each is returned with ``deadline`` (ISO date) and ``days_left``.

    >>> due = deadlines_due([{"id": "a", "revocation_deadline": "2024-01-20"},
    ...                      {"id": "b", "revocation_deadline": "2024-06-01"}], date(2024, 1, 1), 30)
    >>> [(f["id"], f["days_left"]) for f in due]
    [('a', 19)]
    """
    end = today + timedelta(days=days)
    out = []
    for f in _work(findings):
        when = revocation_deadline(f)
        try:
            day = date.fromisoformat(when) if when else None
        except ValueError:
            day = None
        if day is not None and today <= day <= end:
            out.append({**f, "deadline": day.isoformat(), "days_left": (day - today).days})
    return sorted(out, key=lambda f: (f["deadline"], -float(f.get("score") or 0)))


def moved_by_debtor(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``{"subject", "amount", "findings", "best"}`` per debtor, largest amount first.

    >>> moved_by_debtor([{"subject": "p1", "amount": 10, "score": .5}, {"subject": "p1", "amount": 5, "score": .9},
    ...                  {"subject": "p2", "amount": 30, "score": .4, "mark": "dismissed"}])
    [{'subject': 'p1', 'amount': 15.0, 'findings': 2, 'best': 0.9}]
    """
    per: dict[str, dict[str, Any]] = {}
    for f in _work(findings):
        subject = str(f.get("subject") or "")
        if not subject:
            continue
        row = per.setdefault(subject, {"subject": subject, "amount": 0.0, "findings": 0, "best": 0.0})
        row["amount"] += float(f.get("amount") or 0)
        row["findings"] += 1
        row["best"] = max(row["best"], float(f.get("score") or 0))
    return sorted(per.values(), key=lambda r: (-r["amount"], r["subject"]))


def recent_loads(entries: Iterable[dict[str, Any]], records: dict[str, int], limit: int = 5) -> list[dict[str, Any]]:
    """The last ``limit`` finished loads from audit entries, newest first.

    ``records`` maps a load id to the records it left in the store (a later load of the
    same data merges into them). Loads the store no longer knows are still listed.

    >>> recent_loads([{"action": "load", "when": "2024-05-01T10:00", "targets": ["a.csv"],
    ...                "details": {"outcome": "done", "load_id": "L1", "loaded": 9, "merged": 0, "rejected": 2}}],
    ...              {"L1": 9})[0]["rejected"]
    2
    """
    out = []
    for e in entries:
        d = e.get("details") or {}
        if e.get("action") != "load" or d.get("outcome") != "done" or not d.get("load_id"):
            continue
        out.append({"load_id": str(d["load_id"]), "when": str(e.get("when") or "")[:16].replace("T", " "),
                    "files": ", ".join(map(str, e.get("targets") or [])), "loaded": int(d.get("loaded") or 0),
                    "merged": int(d.get("merged") or 0), "rejected": int(d.get("rejected") or 0),
                    "records": int(records.get(str(d["load_id"]), 0))})
    return list(reversed(out))[:limit]
