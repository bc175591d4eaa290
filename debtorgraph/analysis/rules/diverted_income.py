"""diverted_income: after a freeze, the debtor's income is paid into someone else's account.

Pattern
    A ``freeze`` Sanction binds an account of the debtor (or, in a case with no freeze,
    the execution notice is served). The debtor's regular payers
    (at least ``MIN_REGULAR`` payments into the frozen account in the ``BASELINE_DAYS``
    before the freeze, refunds and cash aside), the debtor's customers (one payment for
    goods or services, 货款/材料款/工程款..., is enough when the payment to the related
    party names goods or services too) or the debtor's employer then pay (a) a
    related party, or (b) anyone pays the debtor by name but into another's account (the contract's
    "others' accounts", 支付宝-/财付通-某某). The related party's own employer paying them
    (Employment), or a payer who already paid them before the freeze, is the honest
    look-alike and is skipped.
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313 (hiding income);
    Civil Procedure Law art. 252 (the report must include income paid to others);
    art. 3(4) of 法释〔2024〕13号.
Thresholds
    ``MIN_REGULAR`` = 2, ``BASELINE_DAYS`` = 400 (this product's choice).
Score
    0.80; +0.05 when the receiver is close kin; +0.05 from three diverted payments up.
"""
from __future__ import annotations

from datetime import timedelta

from debtorgraph.analysis.milestones import Milestone
from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.fmt import money, plural
from debtorgraph.analysis.rules.text import is_trade

RULE = "diverted_income"
MIN_REGULAR = 2
BASELINE_DAYS = 400
_REFUND = ("退款", "refund", "退货")


def _employed_by(ctx: Context, person: str, payer: str) -> bool:
    g = ctx.g
    for a, b in ((person, payer), (payer, person)):
        if g.has_edge(a, b) and any(d.get("schema") == "Employment" for d in g[a][b].values()):
            return True
    return False


def _anchors(ctx: Context) -> list[tuple[Milestone, str | None]]:
    """Freezes of the debtor's accounts, then each case's execution notice (the debtor
    knows the creditor is coming for his income from then on, frozen or not). A payment
    is claimed by the first anchor that explains it."""
    out = [(s, n) for s, n in ctx.sanctions
           if s.name == "freeze" and any(t in ctx.subject_accounts for t in s.involved)]
    for case in ctx.cases:
        notice = case.first("execution_notice")
        if notice is not None:
            out.append((notice, case.case_number))
    return out


def find(ctx: Context) -> list[Candidate]:
    """Income of the debtor paid elsewhere after a freeze of the debtor's account."""
    out = []
    used: set[str] = set()
    for sanc, number in _anchors(ctx):
        start = sanc.when
        base_from = start - timedelta(days=BASELINE_DAYS)
        counts: dict[str, int] = {}
        customers: set[str] = set()  # paid the debtor for goods or services at least once
        frozen = set(sanc.involved) if sanc.name == "freeze" else set(ctx.subject_accounts)
        for p in ctx.payments:  # who paid the debtor (the frozen account) before the anchor
            into = p.dst in frozen or (sanc.name != "freeze" and p.payee == ctx.subject)
            if base_from <= p.when < start and into and p.payer != ctx.subject \
                    and not p.deposit and not any(w in p.purpose for w in _REFUND):
                counts[p.payer] = counts.get(p.payer, 0) + 1
                if is_trade(p.purpose):
                    customers.add(p.payer)
        sources = {s for s, n in counts.items() if n >= MIN_REGULAR}
        sources |= {e for e, kind in ctx.rel.employment.items() if kind == "employer"}
        before: dict[str, set[str]] = {}
        groups: dict[tuple[str, str], list[Pay]] = {}
        named: set[tuple[str, str]] = set()
        for p in ctx.payments:
            if p.id in ctx.claimed or p.id in used or ctx.to_creditor_side(p) or p.payer == ctx.subject:
                continue
            got = ctx.receiver(p)
            if p.when < start:
                before.setdefault(p.payer, set()).add(got)
                continue
            if (sanc.end is not None and p.when >= sanc.end) or got == ctx.subject:
                continue
            if p.payee == ctx.subject:  # the debtor's money, into someone else's account
                named.add((p.payer, got))
            elif got not in ctx.rel or _employed_by(ctx, got, p.payer) or not (
                    p.payer in sources or (p.payer in customers and is_trade(p.purpose))):
                continue
            groups.setdefault((p.payer, got), []).append(p)
        for (payer, got), pays in groups.items():
            if (payer, got) not in named and got in before.get(payer, set()):
                continue
            case = ctx.case_of_sanction(number, pays[0].when)
            if case is None:
                continue
            link = ctx.rel.get(got)
            used.update(p.id for p in pays)
            c = Candidate(RULE, case, [sanc.entity] + [p.id for p in pays], [got], ctx.subject,
                          sum(p.amount for p in pays), pays[0].when, 0.80,
                          provisions=["NPC1", "CrimL313", "CPL252", "I24-3-4"])
            if link and link.closeness >= 0.9:
                c.add("close_kin", 0.05, f"收款人系债务人之{link.zh}", f"receiver is the debtor's {link.en}")
            if len(pays) >= 3:
                c.add("repeated", 0.05, f"冻结后转入他人账户 {len(pays)} 笔",
                      f"{len(pays)} payments diverted after the freeze")
            c.facts.update(payer=payer, receiver=got, link=link, count=len(pays),
                           frozen=sanc.name == "freeze", since=start)
            out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    who_zh = f"其{f['link'].zh}" if f["link"] else ""
    who_en = f"the debtor's {f['link'].en} " if f["link"] else ""
    debtor, payer, got = ctx.caption(ctx.subject), ctx.caption(f["payer"]), ctx.caption(f["receiver"])
    since = f["since"].date().isoformat()
    after_zh = f"的账户自 {since} 起被冻结后" if f["frozen"] else f"于 {since} 收到执行通知后"
    after_en = f"'s account was frozen on {since}" if f["frozen"] else f" was served the execution notice on {since}"
    zh = (f"被执行人{debtor}{after_zh}，原向其付款的{payer}于{when_zh}起改向{who_zh}{got}"
          f"付款 {f['count']} 笔共 {money(c.amount)} 元。")
    en = (f"After the debtor {debtor}{after_en}, {payer}, who used to pay the debtor, "
          f"paid {who_en}{got} instead: {plural(f['count'], 'payment')} totalling {money(c.amount)} yuan from {when_en} on.")
    return zh, en
