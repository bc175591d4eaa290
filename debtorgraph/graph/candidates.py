"""Possible duplicate people: listed for a person to confirm or reject, never merged by name.

Names alone never merge two people (同名同姓 is common). Two Person nodes become a
*candidate pair* when they share a name and a birth date, a phone number, or a name and
an address. The investigator's decision (same person / different people) is kept in
``<DEBTORGRAPH_HOME>/match_decisions.json`` keyed by the two input ids, so it survives
reloads and rebuilds of the store.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import orjson

from ..config import setting
from ..errors import InvalidInput

log = logging.getLogger(__name__)

# Every Person node with its properties. Params: none. Columns: id, props.
PERSON_PROPS = "MATCH (n:Entity) WHERE n.schema = 'Person' RETURN n.id AS id, n.props AS props"

DECISIONS = ("same", "different")


@dataclass
class Candidate:
    """Two people who may be one, with the facts they share."""

    a: str
    b: str
    names: list[str]
    reasons: list[str] = field(default_factory=list)
    decision: str | None = None
    decided_by: str | None = None
    reason: str | None = None

    @property
    def key(self) -> str:
        return pair_key(self.a, self.b)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"key": self.key}


def pair_key(a: str, b: str) -> str:
    """Order-free key of a pair of ids.

    >>> pair_key("p-2", "p-1") == pair_key("p-1", "p-2")
    True
    """
    first, second = sorted((a, b))
    return f"{first}|{second}"


def _norm(text: str) -> str:
    return "".join(text.split()).lower()


def find_candidates(people: Iterable[tuple[str, dict[str, list[str]]]]) -> list[Candidate]:
    """Pairs of people sharing (name + birth date), a phone, or (name + address).

    Examples
    --------
    >>> ps = [("a", {"name": ["王伟"], "birthDate": ["1980-01-01"]}),
    ...       ("b", {"name": ["王伟"], "birthDate": ["1980-01-01"]}),
    ...       ("c", {"name": ["王伟"], "birthDate": ["1990-05-05"]})]
    >>> [(c.a, c.b, c.reasons) for c in find_candidates(ps)]
    [('a', 'b', ['same_name_birth_date'])]
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    names: dict[str, list[str]] = {}
    for pid, props in people:
        names[pid] = props.get("name", [])
        for name in {_norm(n) for n in props.get("name", [])}:
            for birth in set(props.get("birthDate", [])):
                groups[("same_name_birth_date", f"{name}|{birth[:10]}")].append(pid)
            for address in {_norm(a) for a in props.get("address", [])}:
                groups[("same_name_address", f"{name}|{address}")].append(pid)
        for phone in set(props.get("phone", [])):
            groups[("same_phone", phone)].append(pid)
    found: dict[str, Candidate] = {}
    for (reason, _), ids in groups.items():
        ids = sorted(set(ids))
        if len(ids) > 50:  # a shared switchboard number is no identity evidence
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                cand = found.setdefault(pair_key(a, b), Candidate(a, b, names[a] + names[b]))
                if reason not in cand.reasons:
                    cand.reasons.append(reason)
    return sorted(found.values(), key=lambda c: (-len(c.reasons), c.a, c.b))


class DecisionStore:
    """The investigators' decisions on candidate pairs, in a JSON file under DEBTORGRAPH_HOME."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or Path(setting("DEBTORGRAPH_HOME")) / "match_decisions.json")

    def load(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        data: dict[str, dict[str, Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        return data

    def decide(self, a: str, b: str, decision: str, *, by: str, reason: str = "") -> dict[str, Any]:
        """Record that ``a`` and ``b`` are the ``same`` person or ``different`` people."""
        if decision not in DECISIONS:
            raise InvalidInput(f"决定只能是 same 或 different：{decision!r} / decision must be same or "
                               "different", {"decision": decision})
        if a == b:
            raise InvalidInput(f"两个 id 相同：{a} / the two ids are the same", {"ids": a})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"a": min(a, b), "b": max(a, b), "decision": decision, "by": by, "reason": reason,
                 "at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self.load()
            data[pair_key(a, b)] = entry
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        log.info("match decision recorded: %s", decision)
        return entry


def list_candidates(store: Any, decisions: DecisionStore | None = None, *,
                    include_decided: bool = False) -> list[Candidate]:
    """Candidate pairs in the store, with any decision already taken on them."""
    people = ((pid, orjson.loads(props)) for pid, props in store.run_read(PERSON_PROPS).rows)
    taken = (decisions or DecisionStore()).load()
    out = []
    for cand in find_candidates(people):
        entry = taken.get(cand.key)
        if entry:
            cand.decision, cand.decided_by, cand.reason = entry["decision"], entry["by"], entry["reason"]
        if include_decided or cand.decision is None:
            out.append(cand)
    return out


def same_person_pairs(decisions: DecisionStore | None = None) -> list[tuple[str, str]]:
    """Pairs confirmed as one person (for analysis that wants to join them)."""
    return [(e["a"], e["b"]) for e in (decisions or DecisionStore()).load().values()
            if e["decision"] == "same"]
