"""Debtors, their circle and their enforcement cases (interchange.md: the case and its milestones)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .world import COURTS, World, money

END = date(2025, 6, 30)


def later(w: World, day: date, lo: int, hi: int) -> date:
    return min(day + timedelta(days=w.rng.randint(lo, hi)), END)


@dataclass
class Case:
    id: str
    number: str
    applicant: str
    debt: str
    party: str
    served: date
    effective: date
    filed: date
    notice: date
    restrict: date
    restrict_sanction: str = ""
    restrict_end: date | None = None


@dataclass
class Debtor:
    id: str
    company: bool
    area: str
    court: str
    code: str
    kin: dict[str, str] = field(default_factory=dict)
    marriage: str = ""
    employer: str = ""
    controller: str = ""
    flat: tuple[str, str, float] | None = None
    car: tuple[str, str, float] | None = None
    stake: tuple[str, str, float] | None = None
    cases: list[Case] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    salary_stop: date | None = None

    @property
    def case(self) -> Case:
        return self.cases[0]


def case_number(w: World, d: Debtor, year: int, kind: str = "执") -> str:
    return f"({year}){d.code}{kind}{w.rng.randint(1, 4999)}号"


def variant(w: World, number: str) -> str:
    """The same number as another clerk typed it (full-width brackets, spaces)."""
    r = w.rng.random()
    if r < 0.25:
        return number.replace("(", "（").replace(")", "）")
    if r < 0.35:
        return number.replace(")", ") ")
    return number


def family(w: World, a: str, b: str, rel: str, since: date | None = None) -> str:
    """A Family link, stated from either side, sometimes in Chinese."""
    mirror = {"parent": "child", "child": "parent", "spouse": "spouse", "sibling": "sibling", "other": "other"}
    zh = {"parent": "父母", "child": "子女", "spouse": "配偶", "sibling": "兄弟姐妹", "other": "other"}
    if w.rng.random() < 0.4:
        a, b, rel = b, a, mirror[rel]
    word = zh[rel] if w.rng.random() < 0.3 else rel
    return w.emit("Family", {"person": a, "relative": b, "relationship": word,
                             "startDate": since.isoformat() if since else None}, "police", link=True, sheet="户籍")


def make_debtor(w: World, company: bool) -> Debtor:
    r = w.rng
    area, court, code = r.choice(COURTS)
    w.court(court)
    if company:
        boss = w.person(area)
        cid = w.company(area, f"{w.entities[boss]['properties']['name'][0][:1]}{r.choice(('鑫源', '恒达', '华盛', '蓉城', '锦程'))}{r.choice(('商贸', '建材', '餐饮', '物流'))}有限公司",
                        capital=r.choice((500_000, 1_000_000, 3_000_000)))
        d = Debtor(cid, True, area, court, code, controller=boss)
        w.emit("Directorship", {"director": boss, "organization": cid, "role": "法定代表人"}, "market", link=True)
        w.own(boss, cid, date(2016, 3, 1), "market", pct=r.choice((51, 70, 100)))
        d.kin["spouse"] = w.person(area, male=False)
        family(w, boss, d.kin["spouse"], "spouse", date(2008, 5, 1))
        w.account(cid, "bank")
        w.account(boss, "bank")
        return d
    male = r.random() < 0.65
    born = date(r.randint(1965, 1992), r.randint(1, 12), r.randint(1, 28))
    pid = w.person(area, born=born, male=male)
    sur = w.entities[pid]["properties"]["name"][0][0]
    d = Debtor(pid, False, area, court, code)
    w.account(pid, "bank")
    if r.random() < 0.7:
        w.account(pid, r.choice(("wechat", "alipay")))
    if r.random() < 0.75:
        sp = w.person(area, male=not male)
        d.kin["spouse"] = sp
        d.marriage = family(w, pid, sp, "spouse", date(born.year + r.randint(23, 30), r.randint(1, 12), r.randint(1, 28)))
        w.account(sp, "bank")
        if r.random() < 0.6:  # the spouse's sibling: an in-law known only through the chain
            d.kin["in_law"] = w.person(area)
            family(w, sp, d.kin["in_law"], "sibling")
    d.kin["parent"] = w.person(area, born=date(born.year - r.randint(22, 32), 3, 3), surname=sur)
    family(w, pid, d.kin["parent"], "parent")
    if r.random() < 0.8:
        d.kin["sibling"] = w.person(area, surname=sur)
        family(w, pid, d.kin["sibling"], "sibling")
        if r.random() < 0.5:
            d.kin["sibling_spouse"] = w.person(area)
            family(w, d.kin["sibling"], d.kin["sibling_spouse"], "spouse")
    if r.random() < 0.3:  # a relative the files know only as an associate
        d.kin["cousin"] = w.person(area, full=False)
        w.emit("Associate", {"person": pid, "associate": d.kin["cousin"],
                             "relationship": r.choice(("表兄弟", "堂兄", "表姐"))}, "police", link=True)
    if r.random() < 0.1:  # the same parent again from the registry, same valid ID
        d.kin["parent"] = w.twin(d.kin["parent"], "registry")
    if r.random() < 0.7:
        emp = w.company(area, f"{r.choice(('蜀南', '华西', '锦江', '天府', '岭南'))}{r.choice(('机械', '食品', '物业', '建设'))}{r.choice(('有限公司', '股份有限公司'))}")
        w.account(emp, "bank")
        d.employer = emp
        w.emit("Employment", {"employer": emp, "employee": pid, "role": r.choice(("职员", "司机", "销售", None)),
                              "startDate": date(2015 + r.randrange(4), 1 + r.randrange(12), 1).isoformat()},
               "market", link=True)
    if r.random() < 0.7:
        value = r.randrange(45, 260) * 10_000.0
        fl = w.flat(pid if r.random() > 0.08 else w.twin(pid, "registry"), date(r.randint(2010, 2018), r.randint(1, 12), r.randint(1, 28)), value)
        d.flat = (fl[0], fl[1], value)
    if r.random() < 0.5:
        value = r.randrange(6, 40) * 10_000.0
        car = w.car(pid, date(r.randint(2015, 2019), r.randint(1, 12), r.randint(1, 28)), value)
        d.car = (car[0], car[1], value)
    if r.random() < 0.3:
        capital = r.choice((1_000_000, 2_000_000, 5_000_000))
        comp = w.company(area, f"{sur}氏{r.choice(('贸易', '装饰', '科技'))}有限公司", capital=capital)
        pct = r.choice((60, 80, 100))
        d.stake = (comp, w.own(pid, comp, date(2017, 6, 1), "market", pct=pct), capital * pct / 100)
    return d


def open_case(w: World, d: Debtor, served: date) -> Case:
    """One enforcement case with its milestones, sanctions and debt."""
    r = w.rng
    court_id = w.courts[d.court]
    effective = later(w, served, 80, 260)
    filed = later(w, effective, 20, 150)
    notice = later(w, filed, 1, 10)
    number = case_number(w, d, filed.year)
    trial = case_number(w, d, served.year, r.choice(("民初", "民初", "商初")))
    if r.random() < 0.4:
        applicant = w.company(d.area, f"{r.choice(('中信', '浦发', '民生'))}小额贷款{r.choice(('有限公司', '股份有限公司'))}")
    else:
        applicant = w.person(d.area, full=False)
    cid = w.emit("CourtCase", {"caseNumber": number, "court": d.court, "fileDate": filed.isoformat(),
                               "status": r.choice(("执行中", "恢复执行", None))}, "court")
    party = w.emit("CourtCaseParty", {"party": d.id, "case": cid, "role": r.choice(("debtor", "被执行人"))}, "court", link=True)
    w.emit("CourtCaseParty", {"party": applicant, "case": cid, "role": r.choice(("applicant", "申请执行人"))}, "court", link=True)
    amount = r.randrange(8, 300) * 10_000 + r.choice((0, 0, r.randrange(100_00) / 100))
    debt = w.emit("Debt", {"debtor": d.id, "creditor": applicant, "amount": money(amount), "currency": "CNY",
                           "date": effective.isoformat(), "summary": variant(w, number)}, "court", link=True)
    if r.random() < 0.4:
        w.emit("Debt", {"debtor": d.id, "creditor": applicant, "amount": money(amount * r.uniform(0.6, 1.05)),
                        "date": later(w, notice, 30, 200).isoformat(), "description": "balance",
                        "summary": variant(w, number)}, "court", link=True)
    for name, day, desc in (("lawsuit_served", served, trial), ("judgment_effective", effective, trial),
                            ("enforcement_filed", filed, None), ("execution_notice", notice, None),
                            ("property_report_order", later(w, notice, 0, 3), None)):
        if name == "enforcement_filed" and r.random() < 0.3:
            continue  # optional milestone missing from this court's export
        w.emit("Event", {"name": name, "date": w.when(day, r.random() < 0.2), "summary": variant(w, number),
                         "involved": [d.id], "description": desc}, "court", link=True)
    accounts = w.accounts.get(d.id, [])
    if accounts:
        frozen = later(w, notice, 1, 25)
        w.emit("Sanction", {"entity": accounts[0], "program": "freeze", "authority": court_id,
                            "startDate": frozen.isoformat(), "summary": variant(w, number)},
               "court", link=True)
        w.frozen[accounts[0]] = min(frozen, w.frozen.get(accounts[0], frozen))
    restrict = later(w, notice, 30, 160)
    case = Case(cid, number, applicant, debt, party, served, effective, filed, notice, restrict)
    for program in ("dishonest_listing", "consumption_restriction"):
        if program == "dishonest_listing" and r.random() < 0.3:
            continue
        sid = w.emit("Sanction", {"entity": d.id, "program": program, "authority": court_id,
                                  "startDate": restrict.isoformat(), "summary": variant(w, number)}, "court", link=True)
        if program == "consumption_restriction":
            case.restrict_sanction = sid
    if r.random() < 0.35:
        w.emit("Event", {"name": "termination", "date": later(w, restrict, 90, 400).isoformat(),
                         "summary": variant(w, number), "involved": [d.id]}, "court", link=True)
    d.cases.append(case)
    return case


def seize(w: World, d: Debtor, asset: str, day: date, lifted: date | None = None) -> str:
    case = d.case
    return w.emit("Sanction", {"entity": asset, "program": "seizure", "authority": w.courts[d.court],
                               "startDate": day.isoformat(), "endDate": lifted.isoformat() if lifted else None,
                               "summary": variant(w, case.number)}, "court", link=True)


def assistance_notice(w: World, d: Debtor, unit: str, day: date) -> None:
    case = d.case
    w.emit("Event", {"name": "assistance_notice", "date": day.isoformat(), "summary": variant(w, case.number),
                     "involved": [unit, d.id]}, "court", link=True)
    w.emit("CourtCaseParty", {"party": unit, "case": case.id, "role": w.rng.choice(("assisting_unit", "协助执行人"))},
           "court", link=True)
