"""sham_divorce: a divorce after the lawsuit that leaves the debtor's assets with the spouse.

Pattern
    A spouse Family link of the debtor ends (``endDate`` = the divorce) inside the watch
    window, and around it (``SPLIT_DAYS`` either side) assets pass from the debtor to the
    former spouse (``legalBasis`` ``divorce`` 离婚析产, or any conveyance between them)
    while little or nothing comes back (domain.md section 4: divorce date vs. the
    notice to respond; owner change; the debtor still uses the asset).
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313; arts. 6 and 8 of
    法释〔2024〕13号 (acts after the notice to respond; the colluding spouse);
    法释〔2025〕1号 art. 3 (property terms of a divorce agreement are revocable under
    Civil Code arts. 538/539).
Thresholds
    ``SPLIT_DAYS`` = 90; ``ONE_SIDED`` = 0.30 (the debtor's share of the couple's titled
    assets after the split); ``QUICK_DAYS`` = 180 (this product's choices).
Score
    0.60 when assets went to the spouse; +0.05 when nothing came back; +0.10 when the
    debtor kept less than 30% of the couple's titled assets; +0.10 when the divorce came
    within 180 days of the notice to respond; +0.05 when the debtor's address is still
    that of a flat given away; +0.05 when the debtor keeps paying the former spouse;
    -0.25 when the spouse gave the debtor at least half as much back (a balanced split);
    +0.10 when the former spouse passed it on to another related party within a year;
    -0.6 when the former spouse paid the debtor's share (half the value she kept) to the
    court or the applicant (domain.md section 7: the fact that clears it).
    A divorce in the window with no transfer seen is listed at 0.35 (below the default
    threshold).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from debtorgraph.analysis.milestones import to_when
from debtorgraph.analysis.rules.base import Candidate, Context, Own
from debtorgraph.analysis.rules.consideration import apply, follow_party
from debtorgraph.analysis.rules.conveyance import EQUITY_SCHEMATA
from debtorgraph.analysis.rules.fmt import money, pct

RULE = "sham_divorce"
ONE_SIDED = 0.30
SPLIT_DAYS = 90
QUICK_DAYS = 180
PASS_DAYS = 365  # the former spouse passing the asset on to another relative within a year
SHARE_DAYS = 90  # how long after the split the spouse may pay the debtor's share to the court
_DIVORCE_WORDS = ("divorce", "离婚", "析产")
_SPOUSE = ("spouse", "配偶", "wife", "husband", "妻子", "丈夫", "夫妻", "ex_spouse", "前配偶", "前妻", "前夫")


def _marriages(ctx: Context) -> list[tuple[str, str, datetime]]:
    """(Family link id, spouse id, divorce date) of the debtor's ended marriages.

    A marriage without an ``endDate`` counts as ended on the day of a conveyance from the
    debtor to the spouse whose ``legalBasis`` is ``divorce`` (the register shows the
    settlement before the marriage record is updated).
    """
    out = []
    settled: dict[str, datetime] = {}
    for _, bought in ctx.conveyances():
        if bought.start and any(w in bought.basis for w in _DIVORCE_WORDS):
            settled[bought.owner] = min(bought.start, settled.get(bought.owner, bought.start))
    for src, dst, key, data in ctx.g.edges(keys=True, data=True):
        if data.get("schema") != "Family" or ctx.subject not in (src, dst):
            continue
        props = data.get("properties") or {}
        words = [w.strip().lower() for w in props.get("relationship", [])]
        if not any(w in _SPOUSE for w in words):
            continue
        spouse = dst if src == ctx.subject else src
        end = to_when((props.get("endDate") or [None])[0]) or settled.get(spouse)
        if end is not None:
            out.append((key, spouse, end))
    return out


def _passed_on(ctx: Context, bought: Own) -> list[str]:
    """Ownerships by which the former spouse passed the asset on, within ``PASS_DAYS``, to
    another party related to the debtor (an in-law, a relative: the two-step form)."""
    if bought.end is None or bought.start is None or (bought.end - bought.start).days > PASS_DAYS:
        return []
    return [o.id for o in ctx.owns_of(bought.asset)
            if o is not bought and not o.lease and o.start is not None and o.owner not in (ctx.subject, bought.owner)
            and abs((o.start - bought.end).days) <= 3 and o.owner in ctx.rel]


def _titled(ctx: Context, asset: str) -> bool:
    return ctx.schema(asset) in ("RealEstate", "Vehicle", "Security", "Asset") + EQUITY_SCHEMATA


def find(ctx: Context) -> list[Candidate]:
    """Divorces in the watch window, scored by how one-sided the split was."""
    out = []
    for link_id, spouse, divorced in _marriages(ctx):
        case = ctx.case_at(divorced)
        if case is None:
            continue
        lo, hi = divorced - timedelta(days=SPLIT_DAYS), divorced + timedelta(days=SPLIT_DAYS)
        given, taken, acts = 0.0, 0.0, [link_id]
        onward: list[str] = []
        for sold, bought in ctx.conveyances():
            if bought.owner == spouse and bought.start and lo <= bought.start <= hi:
                given += ctx.value(bought.asset, bought.pct) or 0.0
                acts += [sold.id, bought.id]
                onward += _passed_on(ctx, bought)
        acts += onward
        for o in ctx.owns:
            if o.owner == ctx.subject and not o.lease and o.start and lo <= o.start <= hi \
                    and any(x.owner == spouse and x.end and abs((x.end - o.start).days) <= 3
                            for x in ctx.owns_of(o.asset)):
                taken += ctx.value(o.asset, o.pct) or 0.0
        kept = sum(ctx.value(o.asset, o.pct) or 0.0 for o in ctx.owns
                   if o.owner == ctx.subject and not o.lease and _titled(ctx, o.asset) and o.held_on(hi))
        spouse_own = sum(ctx.value(o.asset, o.pct) or 0.0 for o in ctx.owns
                         if o.owner == spouse and not o.lease and _titled(ctx, o.asset)
                         and o.held_on(hi)) - given
        total = kept + given + max(0.0, spouse_own)
        share = (kept / total) if total > 0 else None
        one_sided = given > 0 and share is not None and share < ONE_SIDED
        if set(acts[1:]) & ctx.claimed:
            continue
        c = Candidate(RULE, case, acts, [spouse], ctx.subject, given, divorced,
                      0.60 if given > 0 else 0.35, revocable=True,
                      provisions=["NPC1", "CrimL313", "I24-6", "I24-8", "MD3", "CC538", "CC539"])
        if given > 0 and taken == 0:
            c.add("one_way", 0.05, "财产单向转归对方", "assets went one way, to the spouse")
        elif given > 0 and taken >= 0.5 * given:
            c.add("balanced_split", -0.25, "对方亦向债务人转移相当财产", "the spouse gave comparable assets back")
        if one_sided:
            c.add("one_sided_split", 0.10, f"离婚后债务人仅保留夫妻名下财产的 {pct(share or 0)}",
                  f"after the divorce the debtor keeps {pct(share or 0)} of the couple's assets")
        if given == 0:
            c.add("no_split_seen", 0.0, "未见离婚时财产转移", "no transfer of assets seen at the divorce")
        served = case.first("lawsuit_served")
        anchor = served.when if served else case.watch_start
        if anchor and 0 <= (divorced - anchor).days <= QUICK_DAYS:
            c.add("soon_after_suit", 0.10, f"诉讼后 {(divorced - anchor).days} 天即离婚",
                  f"divorced {(divorced - anchor).days} days after the suit")
        addresses = set(ctx.props(ctx.subject).get("address", []))
        if one_sided and any(addresses & set(ctx.props(a).get("address", []))
                             for a in {o.asset for o in ctx.owns if o.id in acts}):
            c.add("still_lives_there", 0.05, "债务人住址仍为已转归对方的房产",
                  "the debtor's address is still the flat given to the spouse")
        if any(ctx.from_subject(p) and ctx.receiver(p) == spouse and p.when > divorced
               and p.amount >= 1000 for p in ctx.payments):
            c.add("still_pays_spouse", 0.05, "离婚后债务人仍向对方转账",
                  "the debtor still pays the former spouse after the divorce")
        if onward:
            who = ctx.rel.get(next(o.owner for o in ctx.owns if o.id == onward[0]))
            c.add("passed_on", 0.10, f"对方随后又将财产转给债务人之{who.zh if who else '关联方'}",
                  f"the former spouse passed it on to the debtor's {who.en if who else 'related party'}")
        if given > 0:
            # the ex-spouse paid the debtor's half of what she kept to the court or the applicant
            paid = follow_party(ctx, spouse, 0.5 * given, lo, 2 * SPLIT_DAYS + SHARE_DAYS)
            apply(c, paid, "离婚所得财产中债务人的份额", "the debtor's share of what the spouse kept")
        c.facts.update(spouse=spouse, given=given, kept=kept, share=share, taken=taken)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    debtor, spouse = ctx.caption(ctx.subject), ctx.caption(f["spouse"])
    if f["given"]:
        zh = (f"被执行人{debtor}于{when_zh}与{spouse}离婚，并将价值约 {money(f['given'])} 元的财产"
              f"分归对方")
        en = (f"{when_en.capitalize()}, the debtor {debtor} divorced {spouse} and assets worth about "
              f"{money(f['given'])} yuan went to the former spouse")
        if f["share"] is not None and f["share"] < ONE_SIDED:
            zh += f"，离婚后本人名下仅余夫妻财产的 {pct(f['share'])}"
            en += f"; only {pct(f['share'])} of the couple's titled assets stayed in the debtor's name"
        elif not f["taken"]:
            zh += "，对方未给予任何补偿"
            en += ", with nothing in return"
        zh += "。"
        en += "."
    else:
        zh = f"被执行人{debtor}于{when_zh}与{spouse}离婚，未见明显一边倒的财产分割。"
        en = f"{when_en.capitalize()}, the debtor {debtor} divorced {spouse}; no one-sided split is seen."
    return zh, en
