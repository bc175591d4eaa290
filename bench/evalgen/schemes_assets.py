"""Planted schemes that move a registered asset: divorce, kin transfers, low-price and free
conveyances, zero-price equity, disposal of sealed assets, cheap leases.

Each planter is ``plant(w, c, ctx, form, variant) -> truth row`` and writes the entities
of one act set. Prices sit near the CG art. 42 line (60-69% of market value).
"""
from __future__ import annotations

import datetime as dt

from .debtors import Case
from .plant import D, acct, asset, at, bank_acct, buyer_stranger, flat, kin_pick, ratio, row, seize, vehicle
from .world import World


def sham_divorce(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Divorce days after the notice to respond; the flat goes to the spouse (and on to an in-law)."""
    m, rng = c.m, w.rng
    spouse = c.kin["spouse"][0]
    when = m["L"] + D(rng.randint(3, 25))
    w.set(c.marriage, "endDate", when)
    home, value = asset(w, c, float(rng.randrange(400_000, 1_400_000, 1000)))
    old, new = w.convey(c.debtor, home, spouse, when, None, "divorce")
    acts, cps = [c.marriage, old, new], [spouse]
    note = f"应诉后第{(when - m['L']).days}天协议离婚，房产归配偶 / divorce {(when - m['L']).days} days after the suit, flat to spouse"
    if form == "two_step":
        in_law = c.kin["in_law"][0]
        later = when + D(rng.randint(10, 45))
        o2, n2 = w.convey(spouse, home, in_law, later, rng.choice((None, 1.0)), "gift")
        w.set(n2, "legalBasis", "gift" if w.get(n2, "sharesValue") is None else "sale")
        acts.append(n2)  # o2 is the spouse's Ownership, already in acts
        cps.append(in_law)
        note += "；前配偶再转给其父亲 / then passed on to the ex-spouse's parent"
    return row("sham_divorce", form, variant, c, acts, cps, note)


def transfer_to_relative(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Sale to kin under value (price paid) or at a fair-looking price never paid."""
    m, rng = c.m, w.rng
    roles = {"one_step": ("sibling", "parent", "child"), "in_law": ("in_law",),
             "relative_spouse": ("sibling_spouse",)}
    kin = kin_pick(w, c, *roles["one_step" if form == "one_step" else variant])
    item, value = asset(w, c)
    when = m["J"] + D(rng.randint(1, 30))
    unpaid = rng.random() < 0.5
    r = ratio(w, 0.85, 1.0) if unpaid else ratio(w, 0.60, 0.69)
    price = round(value * r, -2)
    old, new = w.convey(c.debtor, item, kin, when, price, "sale")
    acts = [old, new]
    if not unpaid:
        acts.append(w.pay(acct(w, kin), c.acct, price, at(w, when), "购房款" if "re-" in item else "购车款"))
        how = f"按市值{r:.0%}出售给亲属 / sold to kin at {r:.0%} of value"
    else:
        how = f"名义价{r:.0%}，无任何付款 / nominal price {r:.0%} never paid"
    return row("transfer_to_relative", form, variant, c, acts, [kin],
               f"判决生效后第{(when - m['J']).days}天{how}")


def undervalue_sale(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Sale to a stranger under 70% of value, or at a fair price partly paid back to the buyer."""
    m, rng = c.m, w.rng
    item, value = asset(w, c)
    buyer, buyer_acct = buyer_stranger(w)
    when = m["J"] + D(rng.randint(2, 60))
    if form == "one_step":
        r = ratio(w, 0.60, 0.69)
        price = round(value * r, -2)
        old, new = w.convey(c.debtor, item, buyer, when, price, "sale")
        pay = w.pay(buyer_acct, bank_acct(w, c, when), price, at(w, when), "购买款")
        return row("undervalue_sale", form, variant, c, [old, new, pay], [buyer],
                   f"以市值{r:.0%}出售给无关第三人 / sold to a stranger at {r:.0%} of value (CG art. 42)")
    r = ratio(w, 0.88, 0.98)
    price = round(value * r, -2)
    net = ratio(w, 0.58, 0.66)
    back = round(price - value * net, -2)
    old, new = w.convey(c.debtor, item, buyer, when, price, "sale")
    recv = bank_acct(w, c, when, when + D(10))
    p1 = w.pay(buyer_acct, recv, price, at(w, when), "购买款")
    p2 = w.pay(recv, buyer_acct, back, at(w, when + D(rng.randint(2, 9))), rng.choice(("退款", "还款", "往来款")))
    return row("undervalue_sale", form, variant, c, [old, new, p1, p2], [buyer],
               f"表面按{r:.0%}成交，几天后退回{back:.0f}元，净价{net:.0%} / fair-looking price, {back:.0f} paid back, net {net:.0%}")


def gratuitous_transfer(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """A gift of an asset to a friend, or a 'sale' whose whole price is paid back."""
    m, rng = c.m, w.rng
    friend = c.friends[0] if c.friends else w.stranger()
    item, value = asset(w, c)
    when = m["J"] + D(rng.randint(1, 45))
    if form == "one_step":
        old, new = w.convey(c.debtor, item, friend, when, None, "gift")
        return row("gratuitous_transfer", form, variant, c, [old, new], [friend],
                   "判决生效后将资产赠与他人 / asset given away after the judgment (CC art. 538)")
    price = round(value * ratio(w, 0.92, 1.02), -2)
    old, new = w.convey(c.debtor, item, friend, when, price, "sale")
    f_acct = acct(w, friend)
    recv = bank_acct(w, c, when, when + D(8))
    p1 = w.pay(f_acct, recv, price, at(w, when), "购买款")
    first = round(price * ratio(w, 0.4, 0.6), -2)
    back = when + D(rng.randint(1, 4))
    p2 = w.pay(recv, f_acct, first, at(w, back), "还款")
    p3 = w.pay(recv, f_acct, price - first, at(w, back + D(rng.randint(1, 3))), "往来款")
    return row("gratuitous_transfer", form, variant, c, [old, new, p1, p2, p3], [friend],
               "按市价“出售”，全部价款数日内退回买方，实为赠与 / a 'sale' whose whole price went back to the buyer")


def zero_price_equity(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Shares transferred for 0 or 1 yuan (to a nominee, or to a company tied to kin)."""
    m, rng = c.m, w.rng
    holder = c.debtor
    target = w.company(dt.date(rng.randint(2011, 2019), rng.randint(1, 12), rng.randint(1, 28)),
                       rng.choice((1_000_000, 2_000_000, 5_000_000)))
    pct = float(rng.choice((100, 80, 60, 51, 40)))
    w.own(holder, target, dt.date.fromisoformat(w.get(target, "incorporationDate")), pct=pct)
    w.account(target, "bank")
    when = m["L"] + D(rng.randint(5, 40)) if rng.random() < 0.5 else m["J"] + D(rng.randint(1, 30))
    price = rng.choice((0.0, 1.0))
    cps: list[str] = []
    if form == "one_step":
        buyer = w.stranger()
        note = "股权以0元/1元转让给代持人 / stake transferred for 0 or 1 yuan to a nominee"
    elif variant == "relative_legal_rep":
        kin = kin_pick(w, c, "sibling", "child", "parent")
        buyer = w.company(when - D(rng.randint(30, 200)), 100_000)
        owner = w.stranger()
        w.own(owner, buyer, dt.date.fromisoformat(w.get(buyer, "incorporationDate")), pct=100)
        w.add("Directorship", "dr", doc="book:市场监督管理局企业登记信息.xlsx", director=kin,
              organization=buyer, role="法定代表人", startDate=w.get(buyer, "incorporationDate"))
        cps.append(kin)
        note = "股权0元转让给亲属任法定代表人的公司 / stake for nothing to a company whose legal representative is a relative"
    else:
        kin = kin_pick(w, c, "child", "sibling", "spouse")
        top = w.company(when - D(rng.randint(300, 900)), 1_000_000)
        w.own(kin, top, dt.date.fromisoformat(w.get(top, "incorporationDate")), pct=100)
        buyer = w.company(when - D(rng.randint(30, 200)), 500_000)
        w.own(top, buyer, dt.date.fromisoformat(w.get(buyer, "incorporationDate")), pct=80)
        cps.append(kin)
        note = "股权0元转让给亲属间接控制（两层持股）的公司 / stake for nothing to a company two levels below a relative"
    old, new = w.convey(holder, target, buyer, when, price, "sale")
    return row("zero_price_equity", form, variant, c, [old, new], [buyer] + cps, note)


def sealed_asset_disposal(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """A seized asset conveyed while the seal holds, or a seized car sold off the registry."""
    m, rng = c.m, w.rng
    start = m["N"] + D(rng.randint(8, 25))
    buyer, buyer_acct = buyer_stranger(w)
    when = start + D(rng.randint(10, 90))
    recv = bank_acct(w, c, when)
    if form == "one_step":
        item, value = asset(w, c)
        seize(w, c, item, start)
        price = round(value * ratio(w, 0.85, 1.0), -2)
        old, new = w.convey(c.debtor, item, buyer, when, price, "sale")
        pay = w.pay(buyer_acct, recv, price, at(w, when), "购买款")
        return row("sealed_asset_disposal", form, variant, c, [old, new, pay], [buyer],
                   f"查封后第{(when - start).days}天过户 / conveyed {(when - start).days} days into the seizure (CPL 114(3))")
    car, _ = vehicle(w, c.debtor)
    seize(w, c, car, start)
    value = float(w.get(car, "amount") or 0)
    plate = w.get(car, "registrationNumber")
    deposit = round(value * 0.1, -2)
    p1 = w.pay(buyer_acct, recv, deposit, at(w, when), f"购车定金 {plate}")
    p2 = w.pay(buyer_acct, recv, round(value * ratio(w, 0.6, 0.8), -2),
               at(w, when + D(rng.randint(1, 6))), f"{plate} 车款尾款")
    return row("sealed_asset_disposal", form, variant, c, [p1, p2], [buyer],
               f"被查封车辆{plate}私下出卖，登记未变，仅见于资金流水 / seized car sold privately, seen only in the money trail")


def cheap_lease(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """A long lease of a flat or shop to kin at a tiny fraction of market rent (CG art. 43)."""
    m, rng = c.m, w.rng
    roles = {"one_step": ("sibling", "parent", "child"), "in_law": ("in_law",),
             "relative_spouse": ("sibling_spouse",)}
    kin = kin_pick(w, c, *roles["one_step" if form == "one_step" else variant])
    shop, _ = flat(w, c.debtor, shop=True)
    value = float(w.get(shop, "amount") or 0)
    rent = float(rng.choice((1000, 1200, 1500, 2000, 2400, 3000)))
    years = rng.choice((10, 15, 20))
    start = m["J"] + D(rng.randint(1, 60))
    lease = w.lease(c.debtor, shop, kin, start, years, rent)
    return row("cheap_lease", form, variant, c, [lease], [kin],
               f"{years}年租期、年租{rent:.0f}元（市值{value:.0f}元）租给亲属 / {years}-year lease to kin at {rent:.0f}/yr")


PLANTERS = {  # kind: (planter, one-step variants, two-step variants)
    "sham_divorce": (sham_divorce, ["flat_to_spouse"], ["via_in_law"]),
    "transfer_to_relative": (transfer_to_relative, ["kin"], ["in_law", "relative_spouse"]),
    "undervalue_sale": (undervalue_sale, ["under_70"], ["price_paid_back"]),
    "gratuitous_transfer": (gratuitous_transfer, ["gift"], ["price_returned"]),
    "zero_price_equity": (zero_price_equity, ["nominee"], ["relative_legal_rep", "company_chain"]),
    "sealed_asset_disposal": (sealed_asset_disposal, ["registered_transfer"], ["private_vehicle_sale"]),
    "cheap_lease": (cheap_lease, ["kin_long_lease"], ["in_law", "relative_spouse"]),
}
