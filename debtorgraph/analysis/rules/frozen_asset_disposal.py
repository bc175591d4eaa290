"""frozen_asset_disposal: a sealed or frozen asset is disposed of while the measure holds.

Pattern
    A Sanction ``seizure`` or ``freeze`` binds an asset or account of the debtor from
    ``startDate`` until ``endDate`` (lifted). While it holds, (a) the debtor's Ownership
    of the asset ends and another party's begins, or (b) money leaves the frozen account.
    A court auction or sale (``legalBasis`` ``auction``), a sale whose price the buyer
    (or the debtor, within days) paid into the court's account or to the applicant (a
    sale with the court's consent, :mod:`~debtorgraph.analysis.rules.consideration`),
    and payments to the court or the applicant are the court's own measures and are
    skipped; so is a sale after the measure was lifted (``endDate``).
Provisions
    Civil Procedure Law art. 114(3); Criminal Law art. 314 (disposing of sealed, seized
    or frozen property); Criminal Law art. 313 with NPCSC Interpretation (2002) item (1).
    (c) Outside the register: while a vehicle or flat is sealed, the debtor or a related
    party (the spouse's account, a relative's) receives payments whose purpose names its
    plate or title number (a private sale; domain.md section 7, "a seized vehicle sold
    privately, known only from the money trail").
Thresholds
    None: any disposal while the measure holds counts.
Score
    Conveyance of a sealed asset 0.85 (+0.05 to a related party); payments out of a
    frozen account 0.80 (+0.05 from three payments up); a private sale seen only in the
    money trail 0.75.
"""
from __future__ import annotations

from typing import Any

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.consideration import follow_payment, follow_price
from debtorgraph.analysis.rules.conveyance import COURT_WORDS, deal_of
from debtorgraph.analysis.rules.fmt import kind_of, money, names, names_en, plural
from debtorgraph.analysis.rules.text import asset_marks, names_asset

RULE = "frozen_asset_disposal"
PROGRAMS = ("seizure", "freeze")


def find(ctx: Context) -> list[Candidate]:
    """Conveyances of sealed assets and payments out of frozen accounts."""
    out = []
    convey = list(ctx.conveyances())
    for sanc, number in ctx.sanctions:
        if sanc.name not in PROGRAMS:
            continue
        for target in sanc.involved:
            if ctx.schema(target) == "BankAccount":
                pays = [p for p in ctx.payments
                        if p.src == target and sanc.active(p.when) and p.id not in ctx.claimed
                        and not ctx.to_creditor_side(p)]
                pays = _not_netted(ctx, pays)
                if not pays:
                    continue
                case = ctx.case_of_sanction(number, pays[0].when)
                if case is None:
                    continue
                receivers = list(dict.fromkeys(ctx.receiver(p) for p in pays))
                c = Candidate(RULE, case, [sanc.entity] + [p.id for p in pays], receivers, ctx.subject,
                              sum(p.amount for p in pays), pays[0].when, 0.80,
                              provisions=["CPL114-3", "CrimL314", "CrimL313", "NPC1"])
                if len(pays) >= 3:
                    c.add("repeated", 0.05, f"冻结期间转出 {len(pays)} 笔", f"{len(pays)} payments out while frozen")
                c.facts.update(kind="account", target=target, program=sanc.name, count=len(pays),
                               receivers=receivers, since=sanc.when)
                out.append(c)
                continue
            private = _sold_privately(ctx, sanc, target)
            if private:
                case = ctx.case_of_sanction(number, private[0].when)
                if case is not None:
                    c = Candidate(RULE, case, [sanc.entity] + [p.id for p in private],
                                  list(dict.fromkeys(ctx.sender(p) for p in private)), ctx.subject,
                                  sum(p.amount for p in private), private[0].when, 0.75,
                                  provisions=["CPL114-3", "CrimL314", "CrimL313", "NPC1"])
                    c.add("private_sale", 0.0, "登记未变更，仅资金流水显示该财产被私下出卖",
                          "the register never changed: only the money trail shows the private sale")
                    c.facts.update(kind="private", target=target, program=sanc.name, count=len(private),
                                   buyer=ctx.sender(private[0]), since=sanc.when,
                                   receivers=list(dict.fromkeys(ctx.receiver(p) for p in private)))
                    out.append(c)
            for sold, bought in convey:
                if sold.asset != target or sold.end is None or not sanc.active(sold.end):
                    continue
                if any(w in bought.basis for w in COURT_WORDS) or {sold.id, bought.id} & ctx.claimed:
                    continue
                case = ctx.case_of_sanction(number, sold.end)
                if case is None:
                    continue
                onward = follow_price(ctx, deal_of(ctx, sold, bought, case))
                if onward.settled:  # sold with the court's consent: the price went to the court
                    continue
                link = ctx.rel.get(bought.owner)
                c = Candidate(RULE, case, [sanc.entity, sold.id, bought.id], [bought.owner], ctx.subject,
                              ctx.value(target, bought.pct) or bought.price or 0.0, sold.end, 0.85,
                              provisions=["CPL114-3", "CrimL314", "CrimL313", "NPC1"])
                if link:
                    c.add("related_buyer", 0.05, f"受让人系债务人之{link.zh}", f"buyer is the debtor's {link.en}")
                c.facts.update(kind="asset", target=target, program=sanc.name, buyer=bought.owner,
                               price=bought.price, since=sanc.when)
                out.append(c)
    return out


def _not_netted(ctx: Context, pays: list[Pay]) -> list[Pay]:
    """Leave out money that only passed through: repaid to whoever had just lent it, or sent
    back within days (a pass-through keeps nothing; domain.md section 7)."""
    by: dict[str, list[Pay]] = {}
    for p in pays:
        by.setdefault(ctx.receiver(p), []).append(p)
    keep = {p.id for got, group in by.items() if not follow_payment(ctx, group, got).clears for p in group}
    return [p for p in pays if p.id in keep]


def _sold_privately(ctx: Context, sanc: Any, target: str) -> list[Pay]:
    """Payments to the debtor or a related party, while the seal holds, whose purpose names
    the sealed asset (its plate or title number), from someone else: a sale outside the
    register (domain.md section 7)."""
    if ctx.schema(target) not in ("Vehicle", "RealEstate"):
        return []
    marks = asset_marks(ctx.props(target))
    if not marks:
        return []
    return [p for p in ctx.payments
            if sanc.active(p.when) and p.id not in ctx.claimed and not ctx.from_subject(p)
            and (ctx.to_subject(p) or ctx.receiver(p) in ctx.rel and ctx.sender(p) not in ctx.rel)
            and names_asset(p.purpose, marks)]


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    measure_zh = "查封" if f["program"] == "seizure" else "冻结"
    measure_en = "sealed" if f["program"] == "seizure" else "frozen"
    since = f["since"].date().isoformat()
    debtor = ctx.caption(ctx.subject)
    if f["kind"] == "account":
        zh = (f"账户「{ctx.caption(f['target'])}」自 {since} 起被{measure_zh}，但于{when_zh}起仍转出"
              f" {f['count']} 笔共 {money(c.amount)} 元，收款方为{names(ctx, f['receivers'])}。")
        en = (f"The account {ctx.caption(f['target'])} was {measure_en} from {since}, yet "
              f"{plural(f['count'], 'payment')} totalling {money(c.amount)} yuan left it from {when_en} on, to "
              f"{names_en(ctx, f['receivers'])}.")
        return zh, en
    zh_kind, en_kind = kind_of(ctx, f["target"])
    if f["kind"] == "private":
        since = f["since"].date().isoformat()
        to_zh, to_en = _paid_to(ctx, f["receivers"])
        zh = (f"被执行人{ctx.caption(ctx.subject)}的{zh_kind}「{ctx.caption(f['target'])}」自 {since} 起被查封，"
              f"登记未变更，但{when_zh}起{ctx.caption(f['buyer'])}向{to_zh}支付写明该{zh_kind}的款项"
              f" {f['count']} 笔共 {money(c.amount)} 元，系私下出卖被查封财产。")
        en = (f"The debtor {ctx.caption(ctx.subject)}'s {en_kind} {ctx.caption(f['target'])} was sealed from {since}; "
              f"the register never changed, yet from {when_en} on {ctx.caption(f['buyer'])} paid "
              f"{to_en} {money(c.amount)} yuan in {plural(f['count'], 'payment')} naming it: "
              "a private sale of a sealed asset.")
        return zh, en
    zh = (f"被执行人{debtor}的{zh_kind}「{ctx.caption(f['target'])}」自 {since} 起被{measure_zh}，"
          f"却于{when_zh}转让给{ctx.caption(f['buyer'])}。")
    en = (f"The debtor {debtor}'s {en_kind} {ctx.caption(f['target'])} was {measure_en} from {since}, "
          f"yet it was transferred to {ctx.caption(f['buyer'])} {when_en}.")
    return zh, en


def _paid_to(ctx: Context, receivers: list[str]) -> tuple[str, str]:
    """Whom a private sale's price was paid (zh, en): the debtor, or the related parties by name."""
    others = [r for r in receivers if r != ctx.subject]
    if not others:
        return "其", "the debtor"
    links = [(r, ctx.rel.get(r)) for r in others]
    zh = "、".join(f"其{link.zh}{ctx.caption(r)}" if link else ctx.caption(r) for r, link in links)
    en = ", ".join(f"{ctx.caption(r)} (the debtor's {link.en})" if link else ctx.caption(r) for r, link in links)
    if len(others) < len(receivers):
        return "其本人及" + zh, "the debtor and " + en
    return zh, en
