"""consumption_breach: the debtor spends on what a consumption restriction order bars.

Pattern
    A ``consumption_restriction`` Sanction binds the debtor from ``startDate``. Afterwards
    the debtor (for a company debtor also its legal representative, managers and actual
    controller, 法释〔2015〕17号 art. 3) pays for flights, star-rated hotels, G-trains,
    first class on other bullet trains, soft sleepers, golf, nightclubs, travel, real
    estate, a car or private schooling (:func:`~debtorgraph.analysis.rules.text.classify_consumption`).
    Budget hotels and second class on D/K/Z trains are allowed.
Provisions
    Consumption Restriction Provisions (法释〔2015〕17号) art. 3; art. 3(4) of
    法释〔2024〕13号 (breach after a fine or detention is "serious"); Dishonest List
    Provisions art. 1(5); Civil Procedure Law art. 114(6).
Thresholds
    None on amount; all breaches under one order form one finding.
    Someone else pays (domain.md section 7): a relative or a related company pays for a
    barred ticket or booking whose purpose or payee names the debtor; travel a relative
    buys for himself (the purpose does not name the debtor) is his own.
Score
    0.80 when a breach is certain (a hotel of unknown class alone: 0.45); +0.05 per
    further certain breach up to +0.15; -0.05 when only the controller paid.
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.fmt import money, plural
from debtorgraph.analysis.rules.text import Consumption, classify_consumption

RULE = "consumption_breach"


def _bound(ctx: Context) -> set[str]:
    """Who the order binds: the debtor, and for a company its controllers and officers."""
    people = {ctx.subject}
    if ctx.schema(ctx.subject) in ("Company", "Organization", "LegalEntity"):
        people |= set(ctx.rel.controllers)
    return people


def _names(ctx: Context) -> list[str]:
    """The names the debtor (and, for a firm, its controllers) go by, to find them in a purpose."""
    people = {ctx.subject} | (set(ctx.rel.controllers) if ctx.schema(ctx.subject) != "Person" else set())
    return [n for p in people for n in ctx.props(p).get("name", []) if len(n) >= 2]


def _for_debtor(ctx: Context, p: Pay, names: list[str]) -> bool:
    """The payment buys something for the debtor: the purpose or the payee names him."""
    text = f"{p.purpose} {ctx.caption(p.payee)}"
    return any(n in text for n in names)


def find(ctx: Context) -> list[Candidate]:
    """Barred spending after each consumption restriction on the debtor."""
    out = []
    bound = _bound(ctx)
    for sanc, number in ctx.sanctions:
        if sanc.name != "consumption_restriction" or not set(sanc.involved) & ({ctx.subject} | bound):
            continue
        hits: list[tuple[Pay, Consumption]] = []
        names = _names(ctx)
        for p in ctx.payments:
            if not sanc.active(p.when) or p.id in ctx.claimed:
                continue
            payer = ctx.sender(p)
            if payer not in bound and not (payer in ctx.rel and _for_debtor(ctx, p, names)):
                continue
            if ctx.to_creditor_side(p) or ctx.receiver(p) in bound:
                continue
            kind = classify_consumption(p.purpose, ctx.caption(p.payee))
            if kind is not None and kind.barred:
                hits.append((p, kind))
        if not hits:
            continue
        case = ctx.case_of_sanction(number, hits[0][0].when)
        if case is None:
            continue
        certain = [h for h in hits if h[1].certain]
        c = Candidate(RULE, case, [sanc.entity] + [p.id for p, _ in hits],
                      list(dict.fromkeys(p.payee for p, _ in hits)),
                      ctx.sender(hits[0][0]) if ctx.sender(hits[0][0]) in bound else ctx.subject,
                      sum(p.amount for p, _ in hits), hits[0][0].when, 0.80 if certain else 0.45,
                      provisions=["CR3", "I24-3-4", "DL1-5", "CPL114-6"])
        if len(certain) > 1:
            c.add("repeated", min(0.15, 0.05 * (len(certain) - 1)), f"多次违规消费（{len(certain)} 次）",
                  f"{len(certain)} barred purchases")
        if not certain:
            c.add("uncertain_class", 0.0, "酒店等级不明", "hotel class unknown")
        others = [p for p, _ in hits if ctx.sender(p) not in bound]
        if others:
            link = ctx.rel.get(ctx.sender(others[0]))
            who_zh, who_en = (link.zh, link.en) if link else ("关联方", "a related party")
            c.add("paid_by_other", -0.05, f"由债务人之{who_zh}代付，票据或订单写明消费人为债务人本人",
                  f"paid by the debtor's {who_en}; the ticket or booking names the debtor")
        elif all(ctx.sender(p) != ctx.subject for p, _ in hits):
            c.add("paid_by_controller", -0.05, "由单位的实际控制人或高管支付",
                  "paid by the firm's controller or officer")
        kinds = list(dict.fromkeys(k for _, k in hits))
        c.facts.update(kinds=kinds, count=len(hits), since=sanc.when)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    since = f["since"].date().isoformat()
    what_zh = "、".join(dict.fromkeys(k.zh for k in f["kinds"]))
    what_en = ", ".join(dict.fromkeys(k.en for k in f["kinds"]))
    debtor = ctx.caption(ctx.subject)
    zh = (f"被执行人{debtor}自 {since} 起被限制消费，但于{when_zh}起仍有{what_zh}等消费"
          f" {f['count']} 笔，共 {money(c.amount)} 元。")
    en = (f"The debtor {debtor} has been under a consumption restriction since {since}, yet from {when_en} "
          f"on spent {money(c.amount)} yuan on {plural(f['count'], 'barred purchase')}: {what_en}.")
    return zh, en
