"""fan_out: many mid-sized transfers to different accounts within days (structuring).

Pattern
    Inside the watch window the debtor sends at least ``MIN_COUNT`` payments of at least
    ``MIN_EACH`` to at least ``MIN_ACCOUNTS`` different accounts within ``WINDOW_HOURS``,
    together at least ``MIN_TOTAL`` (AMLSim's fan-out typology, docs/tracing.md). Payroll is
    the honest look-alike: payments to the debtor's employees (Employment) or with a
    salary purpose are left out, as are payments to the court or the applicant. A burst
    split among related parties (structuring to kin, one signal the per-party minimum of
    ``related_party_payment`` misses) counts, with its own factor. A payment that is one
    leg of a round trip (sent back, or a loan repaid, within days:
    :func:`~debtorgraph.analysis.rules.consideration.round_trips`) is left out.
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313 (transferring
    property); Civil Procedure Law art. 114(6).
Thresholds
    ``MIN_COUNT`` = 5, ``MIN_ACCOUNTS`` = 4, ``MIN_EACH`` = 2,000, ``MIN_TOTAL`` = 50,000
    (30,000, ``MIN_TOTAL_KIN``, when most receivers are related parties: amounts kept small
    to pass as gifts or household money), ``WINDOW_HOURS`` = 96 (this product's choices). ``JUST_UNDER`` = 45,000 to 50,000:
    amounts just under the 50,000 large-value reporting line (PBOC Order 2016 No. 3, cash).
Score
    0.70; +0.10 when most amounts sit just under 50,000; +0.05 when the amounts are
    nearly equal; +0.10 when most receivers are related parties; else +0.05 when most
    receivers never got money from the debtor before, and
    -0.20 when most had been paid by the debtor before the watch window (standing
    business partners); -0.10 when most purposes name goods or services (货款, 材料款...)
    paid to companies (paying suppliers, the honest look-alike of a firm).
"""
from __future__ import annotations

from datetime import timedelta
from statistics import mean, pstdev

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.consideration import round_trips
from debtorgraph.analysis.rules.fmt import money, names, names_en, plural
from debtorgraph.analysis.rules.text import is_trade, is_salary

RULE = "fan_out"
MIN_COUNT = 5
MIN_ACCOUNTS = 4
MIN_EACH = 2_000.0
MIN_TOTAL = 50_000.0
MIN_TOTAL_KIN = 30_000.0  # a burst split among related parties
WINDOW_HOURS = 96
JUST_UNDER = (45_000.0, 50_000.0)


def _eligible(ctx: Context, p: Pay) -> bool:
    if not ctx.from_subject(p) or p.amount < MIN_EACH or p.withdrawal or p.id in ctx.claimed:
        return False
    got = ctx.receiver(p)
    if got == ctx.subject or ctx.to_creditor_side(p) or is_salary(p.purpose):
        return False
    return ctx.rel.employment.get(got) != "employee"


def find(ctx: Context) -> list[Candidate]:
    """Bursts of transfers to many accounts in a few days."""
    pays = [p for p in ctx.payments if _eligible(ctx, p) and ctx.case_at(p.when)]
    by_receiver: dict[str, list[Pay]] = {}
    for p in pays:
        by_receiver.setdefault(ctx.receiver(p), []).append(p)
    legs = {pid for got, group in by_receiver.items() for pid in round_trips(ctx, group, got)}
    pays = [p for p in pays if p.id not in legs]  # money sent and sent back is no fan-out
    out = []
    i = 0
    while i < len(pays):
        end = pays[i].when + timedelta(hours=WINDOW_HOURS)
        j = i
        while j < len(pays) and pays[j].when <= end:
            j += 1
        burst = pays[i:j]
        accounts = {p.dst or ctx.receiver(p) for p in burst}
        total = sum(p.amount for p in burst)
        receivers = list(dict.fromkeys(ctx.receiver(p) for p in burst))
        kin = [r for r in receivers if r in ctx.rel]
        enough = total >= MIN_TOTAL or total >= MIN_TOTAL_KIN and len(kin) >= 0.6 * len(receivers)
        if len(burst) < MIN_COUNT or len(accounts) < MIN_ACCOUNTS or not enough:
            i += 1
            continue
        case = ctx.case_at(burst[0].when)
        assert case is not None
        c = Candidate(RULE, case, [p.id for p in burst], receivers, ctx.subject, total, burst[0].when, 0.70,
                      provisions=["NPC1", "CrimL313", "CPL114-6"])
        under = sum(JUST_UNDER[0] <= p.amount < JUST_UNDER[1] for p in burst)
        if under >= 0.6 * len(burst):
            c.add("just_under_threshold", 0.10, "多笔金额略低于 5 万元大额报告标准",
                  "most amounts sit just under the 50,000 reporting line")
        amounts = [p.amount for p in burst]
        if pstdev(amounts) <= 0.05 * mean(amounts):
            c.add("equal_amounts", 0.05, "各笔金额几乎相同", "nearly equal amounts")
        first_seen = {ctx.receiver(p): p.when for p in reversed(ctx.payments) if ctx.from_subject(p)}
        new = sum(first_seen.get(r) is not None and first_seen[r] >= burst[0].when for r in receivers)
        watch = case.watch_start or burst[0].when
        old = sum(first_seen.get(r) is not None and first_seen[r] < watch for r in receivers)
        if len(kin) >= 0.6 * len(receivers):
            c.add("to_related", 0.10, f"拆分转给 {len(kin)} 名关联方", f"split among {len(kin)} related parties")
        elif new >= 0.6 * len(receivers):
            c.add("new_receivers", 0.05, "收款人此前与债务人无资金往来",
                  "the receivers had never been paid by the debtor before")
        elif old >= 0.6 * len(receivers):
            c.add("standing_partners", -0.20, "收款人在诉讼前即与债务人有资金往来",
                  "the receivers were paid by the debtor before the suit too")
        trade = sum(is_trade(p.purpose) and ctx.schema(ctx.receiver(p)) in ("Company", "Organization")
                    for p in burst)
        if trade >= 0.6 * len(burst):
            c.add("trade_payments", -0.10, "多为向公司支付货款、材料款等", "mostly payments for goods or services to firms")
        hours = (burst[-1].when - burst[0].when).total_seconds() / 3600
        c.facts.update(count=len(burst), accounts=len(accounts), receivers=receivers, hours=hours)
        out.append(c)
        i = j
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    debtor = ctx.caption(ctx.subject)
    days = max(1, round(f["hours"] / 24))
    zh = (f"被执行人{debtor}于{when_zh}起 {days} 天内向 {f['accounts']} 个账户转出 {f['count']} 笔，"
          f"共 {money(c.amount)} 元，收款人为{names(ctx, f['receivers'])}。")
    en = (f"From {when_en} on, within {plural(days, 'day')}, the debtor {debtor} sent {plural(f['count'], 'payment')} totalling "
          f"{money(c.amount)} yuan to {f['accounts']} accounts, held by {names_en(ctx, f['receivers'])}.")
    return zh, en
