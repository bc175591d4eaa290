"""One enforcement case and the debtor's world: kin, friends, employer, company, accounts, case file.

``build_case`` writes the parties, links, the CourtCase with its parties, Debt,
milestone Events and Sanctions, and returns a ``Case`` that planters and the
background generator read. Milestones: lawsuit served (L) -> judgment effective
(J) -> enforcement filed (F) -> execution notice (N) and property report order
(R) -> account freeze (S) -> dishonest list (D) and consumption restriction (C).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import ids
from .world import COURT_NAME, World

D = dt.timedelta
COURT_DOC = "doc:法院执行案件卷宗.pdf"


@dataclass
class Case:
    """A debtor, its enforcement case and the people and things around it."""

    debtor: str
    is_person: bool
    case_id: str = ""
    case_no: str = ""
    applicant: str = ""
    applicant_acct: str = ""
    amount: float = 0.0
    m: dict[str, dt.date] = field(default_factory=dict)    # milestones L J F N R S D C A T
    kin: dict[str, list[str]] = field(default_factory=dict)  # spouse parent sibling child in_law sibling_spouse
    friends: list[str] = field(default_factory=list)
    employer: str | None = None
    legal_rep: str | None = None   # for a company debtor: its 法定代表人
    companies: list[str] = field(default_factory=list)  # companies the debtor holds shares in
    acct: str = ""                  # the main (frozen) bank account
    spend: str = ""                 # the everyday WeChat/Alipay account
    tags: set[str] = field(default_factory=set)
    salary: float = 0.0
    salary_to_court_from: dt.date | None = None   # an assistance notice on the employer
    salary_stop: dt.date | None = None
    consumption_id: str = ""
    freeze_id: str = ""
    paid_in_full: bool = False
    sanctions: list[str] = field(default_factory=list)
    marriage: str = ""              # the debtor's spouse Family link
    second: str = ""                # a second, unfrozen bank account (opened on demand)

    def relatives(self, *roles: str) -> list[str]:
        """Relatives of the given roles (all roles if none given)."""
        roles = roles or tuple(self.kin)
        return [p for r in roles for p in self.kin.get(r, [])]


def build_court(w: World) -> tuple[str, str]:
    """The court (PublicBody) and its enforcement account (执行款专户) owned by it."""
    court = w.add("PublicBody", "court", doc=COURT_DOC, name=COURT_NAME,
                  address="四川省甘孜藏族自治州得荣县松麦镇", phone=ids.landline(w.rng))
    acct = w.add("BankAccount", "a", doc=COURT_DOC, accountNumber=ids.corporate_account(w.rng),
                 bankName="中国农业银行得荣县支行", accountType="bank", name="得荣县人民法院执行款专户")
    w.add("Ownership", "o", doc=COURT_DOC, owner=court, asset=acct, startDate=dt.date(2012, 1, 1),
          ownershipType="account_holder")
    w.holder[acct] = court
    w.accounts[court] = [acct]
    w.watched.add(acct)
    w.names[court] = COURT_NAME
    return court, acct


def _milestones(w: World) -> dict[str, dt.date]:
    rng = w.rng
    L = ids.random_date(rng, dt.date(2021, 3, 1), dt.date(2023, 6, 30))
    J = L + D(rng.randint(45, 120))
    F = J + D(rng.randint(15, 60))
    N = F + D(rng.randint(2, 7))
    R = N if rng.random() < 0.7 else N + D(rng.randint(1, 5))
    S = N + D(rng.randint(6, 15))
    Dl = N + D(rng.randint(30, 60))
    C = Dl + D(rng.randint(0, 3))
    A = N + D(rng.randint(10, 25))
    T = N + D(rng.randint(200, 330))
    return {"L": L, "J": J, "F": F, "N": N, "R": R, "S": S, "D": Dl, "C": C, "A": A, "T": T}


def _kin(w: World, c: Case, birth: dt.date, male: bool, surname: str) -> None:
    """Spouse, parents, siblings, children, in-laws and siblings' spouses, with Family links."""
    rng = w.rng
    me = c.debtor
    father = w.person(birth - D(365 * rng.randint(24, 32)), True, surname=surname)
    mother = w.person(birth - D(365 * rng.randint(22, 30)), False)
    w.family(me, father, "parent")
    w.family(mother, me, "child")  # stated from the other side on purpose
    c.kin["parent"] = [father, mother]
    c.kin["sibling"], c.kin["sibling_spouse"] = [], []
    for _ in range(rng.randint(1, 2)):
        sib_male = rng.random() < 0.5
        sib = w.person(birth + D(rng.randint(-3000, 3000)), sib_male, surname=surname)
        w.family(me, sib, "sibling")
        c.kin["sibling"].append(sib)
        if rng.random() < 0.8:
            sp = w.person(birth + D(rng.randint(-2500, 2500)), not sib_male)
            w.family(sib, sp, "spouse", start=dt.date(rng.randint(2004, 2018), rng.randint(1, 12), 8))
            c.kin["sibling_spouse"].append(sp)
    c.kin["spouse"], c.kin["child"], c.kin["in_law"] = [], [], []
    if rng.random() < 0.85:
        spouse = w.person(birth + D(rng.randint(-1500, 1500)), not male)
        married = birth.replace(day=min(birth.day, 28), year=birth.year + rng.randint(23, 30))  # 29 Feb
        link = w.add("Family", "f", doc="doc:民政局婚姻登记信息.pdf", person=me, relative=spouse,
                     relationship="spouse", startDate=married)
        c.kin["spouse"] = [spouse]
        c.tags.add("married")
        c.marriage = link
        sp_sur = w.names[spouse][0]
        f_in = w.person(birth - D(365 * rng.randint(24, 30)), True, surname=sp_sur)
        w.family(spouse, f_in, "parent")
        c.kin["in_law"].append(f_in)
        sp_sib = w.person(birth + D(rng.randint(-2500, 2500)), rng.random() < 0.5, surname=sp_sur)
        w.family(spouse, sp_sib, "sibling")
        c.kin["in_law"].append(sp_sib)
        for _ in range(rng.randint(1, 2)):
            kid_birth = min(married + D(rng.randint(300, 2500)), dt.date(2012, 12, 31))
            kid = w.person(kid_birth, rng.random() < 0.5, surname=surname)
            w.family(me, kid, "child")
            c.kin["child"].append(kid)


def _person_debtor(w: World, c: Case, employers: list[str]) -> None:
    rng = w.rng
    male = rng.random() < 0.7
    birth = ids.random_date(rng, dt.date(1965, 1, 1), dt.date(1990, 12, 31))
    c.debtor = w.person(birth, male)
    surname = w.names[c.debtor][0]
    _kin(w, c, birth, male, surname)
    for _ in range(rng.randint(1, 2)):
        friend = w.stranger()
        w.add("Associate", "as", doc="doc:调查笔录.pdf", person=c.debtor, associate=friend,
              relationship=rng.choice(("朋友", "生意伙伴", "同学", "老乡")))
        c.friends.append(friend)
    if rng.random() < 0.75:
        c.employer = rng.choice(employers)
        start = ids.random_date(rng, dt.date(2012, 1, 1), c.m["L"] - D(400))
        w.add("Employment", "em", doc="doc:劳动用工备案信息.pdf", employer=c.employer,
              employee=c.debtor, role=rng.choice(("驾驶员", "项目经理", "会计", "销售", "技术员", "厨师")),
              startDate=start)
        c.salary = float(rng.randrange(4500, 16000, 100))
    if rng.random() < 0.45:
        co = w.company(ids.random_date(rng, dt.date(2010, 1, 1), dt.date(2019, 12, 31)),
                       rng.choice((500_000, 1_000_000, 2_000_000, 3_000_000)))
        w.own(c.debtor, co, dt.date.fromisoformat(w.get(co, "incorporationDate")),
              pct=rng.choice((100, 70, 60, 51)))
        w.add("Directorship", "dr", doc="book:市场监督管理局企业登记信息.xlsx", director=c.debtor,
              organization=co, role="法定代表人", startDate=w.get(co, "incorporationDate"))
        c.companies.append(co)
        w.account(co, "bank", watched=True)
    c.acct = w.account(c.debtor, "bank", watched=True)
    c.spend = w.account(c.debtor, rng.choice(("wechat", "alipay")), watched=True)
    for rel in c.relatives():
        w.account(rel, "bank", watched=rel in c.relatives("spouse", "parent", "sibling", "child"))
    if rng.random() < 0.5:
        home = w.add("RealEstate", "re", doc="doc:不动产登记查询结果.pdf",
                     titleNumber=ids.title_number(rng, rng.randint(2010, 2019)),
                     address=ids.address(rng), area=f"{rng.randint(60, 140)}.{rng.randint(10, 99)}",
                     amount=float(rng.randrange(250_000, 900_000, 1000)), currency="CNY")
        w.own(c.debtor, home, ids.random_date(rng, dt.date(2010, 1, 1), dt.date(2019, 6, 30)))


def _company_debtor(w: World, c: Case) -> None:
    rng = w.rng
    founded = ids.random_date(rng, dt.date(2008, 1, 1), dt.date(2018, 12, 31))
    c.debtor = w.company(founded, rng.choice((1_000_000, 2_000_000, 5_000_000, 10_000_000)))
    birth = ids.random_date(rng, dt.date(1965, 1, 1), dt.date(1985, 12, 31))
    rep = w.person(birth, True)
    c.legal_rep = rep
    w.add("Directorship", "dr", doc="book:市场监督管理局企业登记信息.xlsx", director=rep,
          organization=c.debtor, role="法定代表人", startDate=founded)
    w.own(rep, c.debtor, founded, pct=rng.choice((100, 80, 60)))
    w.account(rep, "bank", watched=False)
    c.acct = w.account(c.debtor, "bank", watched=True)
    c.spend = w.account(c.debtor, "bank", bank="中国建设银行", watched=True)


def build_case(w: World, is_person: bool, employers: list[str]) -> Case:
    """A debtor with its world and its enforcement case (parties, Debt, Events, Sanctions)."""
    rng = w.rng
    c = Case(debtor="", is_person=is_person, m=_milestones(w))
    if is_person:
        _person_debtor(w, c, employers)
    else:
        _company_debtor(w, c)
    m = c.m
    if rng.random() < 0.6:
        c.applicant = w.company(ids.random_date(rng, dt.date(2005, 1, 1), dt.date(2016, 1, 1)),
                                rng.choice((5_000_000, 10_000_000, 20_000_000)))
    else:
        c.applicant = w.stranger()
    c.applicant_acct = w.account(c.applicant, "bank", watched=False)
    c.amount = float(rng.randrange(60_000, 1_500_000, 100))
    c.case_no = w.case_number(m["F"].year)
    trial_no = f"({m['L'].year})川3338民初{rng.randint(100, 2999)}号"
    c.case_id = w.add("CourtCase", "case", doc=COURT_DOC, caseNumber=c.case_no, court=COURT_NAME,
                      fileDate=m["F"], status="执行中", name=f"{w.names[c.applicant]}与{w.names[c.debtor]}执行案")
    w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=c.debtor, case=c.case_id, role="debtor")
    w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=c.applicant, case=c.case_id, role="applicant")
    w.add("Debt", "debt", doc=COURT_DOC, debtor=c.debtor, creditor=c.applicant, amount=c.amount,
          currency="CNY", date=m["J"], summary=c.case_no, description=f"{trial_no}民事判决书")
    for name, key in (("lawsuit_served", "L"), ("judgment_effective", "J"), ("enforcement_filed", "F"),
                      ("execution_notice", "N"), ("property_report_order", "R")):
        w.add("Event", "ev", doc=COURT_DOC, name=name, date=m[key], summary=c.case_no,
              involved=c.debtor, description=trial_no if key in "LJ" else None)
    c.freeze_id = w.add("Sanction", "sa", doc=COURT_DOC, entity=c.acct, program="freeze",
                        authority=COURT_NAME, startDate=m["S"], summary=c.case_no)
    c.sanctions.append(c.freeze_id)
    return c


def close_case(w: World, c: Case, court_acct: str) -> None:
    """Listing, consumption restriction, assistance notice, payment in full or termination.

    Runs after planting, so planters can set ``paid_in_full`` or ``tags`` first.
    """
    rng = w.rng
    m = c.m
    if c.paid_in_full:
        when = dt.datetime.combine(m["N"] + D(rng.randint(20, 60)), dt.time(10, rng.randint(0, 59)))
        w.pay(c.acct if c.is_person else c.spend, court_acct, c.amount, when,
              f"履行{c.case_no}执行款")
        w.set(c.case_id, "status", "执行完毕")
        w.set(c.freeze_id, "endDate", when.date() + D(2))
        return
    if c.employer and c.salary and "no_employer_notice" not in c.tags and rng.random() < 0.5:
        w.add("Event", "ev", doc=COURT_DOC, name="assistance_notice", date=m["A"], summary=c.case_no,
              involved=[c.employer, c.debtor], description="协助执行通知书（扣留、提取收入）")
        w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=c.employer, case=c.case_id, role="assisting_unit")
        c.salary_to_court_from = m["A"] + D(1)
    w.add("Sanction", "sa", doc=COURT_DOC, entity=c.debtor, program="dishonest_listing",
          authority=COURT_NAME, startDate=m["D"], summary=c.case_no)
    lifted = m.get("C_end")
    c.consumption_id = w.add("Sanction", "sa", doc=COURT_DOC, entity=c.debtor,
                             program="consumption_restriction", authority=COURT_NAME,
                             startDate=m["C"], endDate=lifted, summary=c.case_no)
    if rng.random() < 0.4 and "keep_open" not in c.tags:
        w.add("Event", "ev", doc=COURT_DOC, name="termination", date=m["T"], summary=c.case_no,
              involved=c.debtor, description="终结本次执行程序")
        w.set(c.case_id, "status", "终结本次执行")
