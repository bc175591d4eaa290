"""What every planted scheme shares: the truth row and the choice of dates and people."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from collections.abc import Callable, Sequence
from typing import Any

from debtorgraph.synthetic.network import Network, Pending

log = logging.getLogger(__name__)

Act = str | Pending  # an entity id, or a planted payment whose id comes when it is written


@dataclass
class Truth:
    """One planted scheme or honest look-alike, as written to ``truth.jsonl``."""

    rule: str
    subject: str
    case: str
    acts: list[Act] = field(default_factory=list)
    counterparties: list[str] = field(default_factory=list)
    honest: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The JSON form; Pending payments must have been written (and so have ids)."""
        acts = []
        for act in self.acts:
            if isinstance(act, Pending):
                if act.id is None:
                    raise RuntimeError(f"payment of {self.rule} for {self.subject} was never written")
                acts.append(act.id)
            else:
                acts.append(act)
        return {"rule": self.rule, "subject": self.subject, "case": self.case, "acts": acts,
                "counterparties": list(dict.fromkeys(self.counterparties)), "honest": self.honest}


def truth(net: Network, rule: str, honest: bool, acts: Sequence[Act], parties: Sequence[str]) -> Truth:
    """A truth row for this network's debtor and enforcement case."""
    return Truth(rule, net.debtor, net.case, list(acts), list(parties), honest)


def after_duty(net: Network, strict: bool = False, span: int = 150) -> date:
    """A date after the duty arose: mostly after the judgment became effective, sometimes
    (unless ``strict``) between the notice to respond and the judgment (I24 art. 6)."""
    tl = net.timeline
    gap = (tl.judgment - tl.lawsuit).days
    if not strict and gap > 12 and net.rng.random() < 0.25:
        return net.day(tl.lawsuit, 5, gap - 3)
    return net.day(tl.judgment, 3, span)


def years_before(net: Network, base: date, lo: float, hi: float) -> date:
    """A date between ``lo`` and ``hi`` years before ``base``."""
    return base - timedelta(days=int(net.rng.uniform(lo, hi) * 365))


def holder(net: Network) -> str:
    """The party whose family counts as the debtor's relatives (the controller of a firm)."""
    return net.controller or net.debtor


def ensure_spouse(net: Network) -> str:
    """The debtor's current spouse, married years before the lawsuit (created if none)."""
    if net.kin["spouse"]:
        return net.kin["spouse"][0]
    tl, who = net.timeline, holder(net)
    info = net.people[who]
    birth = date(info.birth.year + net.rng.randint(-4, 4), net.rng.randrange(1, 13), 10)
    spouse = net.person(birth=birth, male=not info.male)
    wedding = max(date(info.birth.year + 22, 5, 1), years_before(net, tl.lawsuit, 3, 12))
    net.family(who, spouse, "spouse", start=wedding)
    net.kin["spouse"].append(spouse)
    net.account(spouse)
    return spouse


def ensure_sibling(net: Network) -> str:
    """A sibling of the debtor (created if none)."""
    if net.kin["sibling"]:
        return net.rng.choice(net.kin["sibling"])
    who = holder(net)
    info = net.people[who]
    birth = date(info.birth.year + net.rng.choice((-6, -4, -2, 2, 3, 5)), net.rng.randrange(1, 13), 8)
    sib = net.person(birth=birth, surname=info.surname)
    net.family(who, sib, "sibling")
    net.kin["sibling"].append(sib)
    net.account(sib)
    return sib


def relative(net: Network, on: date, kinds: tuple[str, ...] = ("sibling", "parent", "child")) -> str:
    """An adult relative of one of ``kinds`` (a sibling is created if there is none)."""
    found = net.adults(kinds, on)
    if net.controller and net.rng.random() < 0.3:
        found.append(net.controller)
    return net.rng.choice(found) if found else ensure_sibling(net)


def debtor_asset(net: Network, kind: str | None = None, before: date | None = None) -> tuple[str, str]:
    """A new flat or vehicle of the debtor, held since years before ``before`` (the lawsuit)."""
    tl = net.timeline
    since = years_before(net, before or tl.lawsuit, 1.5, 9)
    kind = kind or ("flat" if net.rng.random() < 0.6 else "vehicle")
    asset, own = (net.flat if kind == "flat" else net.vehicle)(net.debtor, since)
    net.touched.add(asset)
    return asset, own


def round_to(value: float, step: int) -> float:
    """``value`` rounded to a multiple of ``step`` (at least one step)."""
    return float(max(step, round(value / step) * step))


def sanction(net: Network, program: str, entity: str, start: date, end: date | None) -> str:
    """A Sanction of the court on ``entity``; a freeze also blocks background payments out."""
    sid = net.add("Sanction", "sanc", "court", entity=entity, program=program,
                  authority=net.ctx.court, startDate=start, endDate=end, summary=net.case_number,
                  status="lifted" if end else "active")
    if program == "freeze":
        net.frozen[entity] = (start, end)
    net.sanctions.setdefault(program, []).append(sid)
    return sid


def monthly(net: Network, payer: str, payer_account: str, beneficiary: str,
            account_on: Callable[[date], str], amount: float, start: date, end: date,
            purpose: str, day: int | None = None) -> list[Pending]:
    """Plant one payment a month, on the same day of the month, from ``start`` to ``end``."""
    r = net.rng
    day = day or r.choice((5, 8, 10, 12, 15, 20, 25))
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        d = date(y, m, day)
        if start <= d <= end:
            out.append(net.pay(payer, payer_account, beneficiary, account_on(d),
                               round(amount * r.uniform(0.97, 1.05), 2), net.at(d, 9, 12), purpose))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
