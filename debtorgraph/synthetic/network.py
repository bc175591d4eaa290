"""One debtor's small world: parties, links, accounts, assets and the planted payments.

A :class:`Network` holds its entities in memory until :meth:`Network.flush` writes them
(so a conveyance can still close the seller's Ownership). Its Payments are
:class:`Pending` until the background stream writes them in date order and gives them ids.
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from debtorgraph.synthetic import names
from debtorgraph.synthetic.county import Context, bank_key
from debtorgraph.synthetic.identity import (make_card, make_corporate_account, make_landline,
                                            make_mobile, make_plate, make_resident_id, make_uscc,
                                            make_wxid)
from debtorgraph.synthetic.writer import RECORD_SCHEMATA, Entity, fmt, make_entity

log = logging.getLogger(__name__)

INVERSE = {"parent": "child", "child": "parent", "spouse": "spouse", "sibling": "sibling"}
CHINESE = {"spouse": "配偶", "parent": "父母", "child": "子女", "sibling": "兄弟姐妹"}
_ASSET_DOC = {"RealEstate": "estate", "Vehicle": "vehicle", "Company": "registry"}


@dataclass(slots=True)
class Pending:
    """A Payment made by a scheme, written later in date order (then ``id`` is set)."""

    when: str
    props: dict[str, list[str]]
    doc: str
    id: str | None = None


@dataclass(slots=True)
class Flow:
    """A monthly background payment (salary, rent) between two accounts."""

    payer: str
    payer_account: str
    beneficiary: str
    beneficiary_account: str
    amount: float
    day: int
    purpose: str
    start: date
    end: date


@dataclass
class PersonInfo:
    birth: date
    male: bool
    surname: str


@dataclass
class Timeline:
    """The case's milestones and the window of ordinary payments around them."""

    lawsuit: date
    judgment: date
    filed: date
    notice: date
    report: date
    start: date
    end: date


class Network:
    """The entities of one debtor and the people, firms and accounts around him."""

    def __init__(self, ctx: Context, kind: str, rng: random.Random) -> None:
        self.ctx, self.rng, self.w = ctx, rng, ctx.writer
        self.kind = kind
        self.entities: list[Entity] = []
        self.by_id: dict[str, Entity] = {}
        self.planted: list[Pending] = []
        self.people: dict[str, PersonInfo] = {}
        self.account_doc: dict[str, str] = {}
        self.holder_accounts: dict[str, list[str]] = {}
        self.frozen: dict[str, tuple[date, date | None]] = {}
        self.kin: dict[str, list[str]] = {"spouse": [], "parent": [], "child": [], "sibling": []}
        self.friends: list[str] = []
        self.employers_used: set[str] = set()
        self.flows: list[Flow] = []
        self.jobs: dict[str, tuple[str, str, float]] = {}  # person -> employer, account, salary
        self.payroll: list[Pending] = []
        self.members: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        self.touched: set[str] = set()  # assets and accounts that a scheme uses
        self.debtor = ""
        self.controller = ""  # the person behind a company debtor
        self.companies: list[str] = []  # companies the debtor (or controller) controls
        self.case = ""
        self.case_number = ""
        self.applicant = ""
        self.applicant_account = ""
        self.debt_amount = 0.0
        self.tl: Timeline | None = None
        self.report_forced = False
        self.no_assets = False
        self.sanctions: dict[str, list[str]] = {}

    @property
    def timeline(self) -> Timeline:
        """The case's timeline (set right after the network is made)."""
        if self.tl is None:
            raise RuntimeError("the network has no timeline yet")
        return self.tl

    # -- entities -------------------------------------------------------------
    def add(self, schema: str, prefix: str, doc_key: str, **props: Any) -> str:
        """Create an entity with its provenance (``proof``, ``recordId``); return its id."""
        id_ = self.w.new_id(prefix)
        doc_id, sheet = self.ctx.docs[doc_key]
        props["proof"] = doc_id
        if schema in RECORD_SCHEMATA:
            props["recordId"] = f"{sheet}!{self.w.next_row(doc_id)}"
        ent = make_entity(id_, schema, props)
        self.entities.append(ent)
        self.by_id[id_] = ent
        return id_

    def prop(self, id_: str, name: str) -> str | None:
        """First value of a property of an entity of this network."""
        vals = self.by_id[id_]["properties"].get(name)
        return vals[0] if vals else None

    def set_prop(self, id_: str, name: str, value: Any) -> None:
        """Set (replace) one property of an entity of this network."""
        self.by_id[id_]["properties"][name] = [fmt(value)]

    def flush(self) -> None:
        """Write every non-payment entity of the network."""
        for ent in self.entities:
            self.w.write(ent)
        self.entities.clear()

    # -- time -----------------------------------------------------------------
    def day(self, base: date, lo: int, hi: int) -> date:
        """A date ``lo`` to ``hi`` days after ``base`` (negative for before)."""
        return base + timedelta(days=self.rng.randint(lo, hi))

    def at(self, d: date, lo: int = 8, hi: int = 21) -> str:
        """An ISO date-time on day ``d`` between ``lo`` and ``hi`` o'clock."""
        r = self.rng
        return f"{d.isoformat()}T{r.randrange(lo, hi):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}"

    def later(self, when: str, lo: int, hi: int) -> str:
        """An ISO date-time ``lo`` to ``hi`` minutes after ``when``."""
        after = datetime.fromisoformat(when) + timedelta(minutes=self.rng.randint(lo, hi))
        return after.isoformat(timespec="seconds")

    def address(self) -> str:
        c, r = self.ctx.county, self.rng
        if r.random() < 0.5:
            return (f"{c.place}{r.choice(c.towns)}{r.choice(names.ESTATES)}{r.randrange(1, 20)}栋"
                    f"{r.randrange(1, 4)}单元{r.randrange(1, 18)}0{r.randrange(1, 5)}室")
        return f"{c.place}{r.choice(c.towns)}{r.choice(names.STREETS)}{r.randrange(1, 300)}号"

    # -- parties --------------------------------------------------------------
    def person(self, birth: date | None = None, male: bool | None = None, surname: str | None = None,
               years: tuple[int, int] = (1955, 1998), doc: str = "hukou") -> str:
        """A Person with a valid resident ID matching ``birthDate``."""
        r = self.rng
        male = r.random() < 0.55 if male is None else male
        if birth is None:
            birth = date(r.randrange(*years), r.randrange(1, 13), r.randrange(1, 29))
        surname = surname or r.choice(names.SURNAMES)
        pool = names.GIVEN_MALE if male else names.GIVEN_FEMALE
        given = "".join(r.choice(pool) for _ in range(r.choice((1, 2, 2))))
        pid = self.add("Person", "p", doc, name=surname + given,
                       idNumber=make_resident_id(r, r.choice(self.ctx.county.neighbours), birth, male),
                       birthDate=birth, gender="male" if male else "female",
                       phone=make_mobile(r) if birth.year < 2008 else None,
                       address=self.address(), nationality="cn")
        self.people[pid] = PersonInfo(birth, male, surname)
        return pid

    def company(self, name: str | None = None, since: date | None = None,
                capital: int | None = None) -> str:
        """A Company with a valid USCC, registered capital and incorporation date."""
        r, c = self.rng, self.ctx.county
        name = name or f"{c.place[-3:]}{r.choice(names.COMPANY_WORDS)}{r.choice(names.TRADES)}有限公司"
        since = since or date(r.randrange(2003, 2019), r.randrange(1, 13), r.randrange(1, 29))
        capital = capital or r.choice((300_000, 500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000))
        return self.add("Company", "co", "registry", name=name,
                        registrationNumber=make_uscc(r, c.division), capital=capital,
                        currency="CNY", incorporationDate=since, status="存续",
                        address=self.address(), phone=make_landline(r, c.area_code), country="cn")

    def stranger(self, male: bool | None = None) -> str:
        """An unrelated Person with a bank account (buyers, tenants, intermediaries)."""
        pid = self.person(male=male, years=(1960, 1998))
        self.account(pid, opened=date(self.rng.randrange(2008, 2019), 3, 1))
        return pid

    def adults(self, kinds: tuple[str, ...], on: date) -> list[str]:
        """The debtor's (or controller's) relatives of these kinds who are 18 on ``on``."""
        out = []
        for k in kinds:
            for pid in self.kin[k]:
                b = self.people[pid].birth
                if date(b.year + 18, b.month, b.day) <= on:
                    out.append(pid)
        return out

    def take_employer(self) -> tuple[str, str]:
        """An employer of the county not yet used in this network (id, account)."""
        free = [m for m in self.ctx.employers if m.id not in self.employers_used]
        m = self.rng.choice(free or self.ctx.employers)
        self.employers_used.add(m.id)
        return m.id, m.account

    # -- links ----------------------------------------------------------------
    def family(self, person: str, relative: str, rel: str, start: date | None = None,
               end: date | None = None) -> str:
        """A Family link; stated from either side, sometimes with the Chinese word."""
        if self.rng.random() < 0.2:
            person, relative, rel = relative, person, INVERSE[rel]
        word = CHINESE[rel] if self.rng.random() < 0.1 else rel
        doc = "marriage" if rel == "spouse" else "hukou"
        return self.add("Family", "fam", doc, person=person, relative=relative, relationship=word,
                        startDate=start, endDate=end)

    def employ(self, person: str, employer: str, employer_account: str, start: date,
               salary: float, explicit: bool = False, role: str | None = None) -> str:
        """An Employment; unless ``explicit``, the salary becomes a monthly background flow."""
        eid = self.add("Employment", "emp", "social", employer=employer, employee=person,
                       role=role or self.rng.choice(names.ROLES_JOB), startDate=start)
        self.jobs[person] = (employer, employer_account, salary)
        if not explicit:
            self.flows.append(Flow(employer, employer_account, person, self.accounts(person)[0],
                                   salary, self.rng.choice((5, 10, 15, 20, 25)), "工资", start,
                                   date(2100, 1, 1)))
        return eid

    def own(self, owner: str, asset: str, start: date, **extra: Any) -> str:
        """An Ownership of ``asset`` by ``owner`` from ``start``."""
        schema = self.by_id[asset]["schema"] if asset in self.by_id else "Company"
        doc = _ASSET_DOC.get(schema) or self.account_doc.get(asset, "registry")
        return self.add("Ownership", "own", doc, owner=owner, asset=asset, startDate=start, **extra)

    def convey(self, old: str, new_owner: str, when: date, basis: str,
               price: float | None = None) -> str:
        """Close Ownership ``old`` on ``when``; open the buyer's, carrying price and basis."""
        self.set_prop(old, "endDate", when)
        extra: dict[str, Any] = {"legalBasis": basis}
        if price is not None:
            extra.update(sharesValue=_money(price), sharesCurrency="CNY")
        pct = self.prop(old, "percentage")
        if pct:
            extra["percentage"] = pct
        asset = self.prop(old, "asset") or ""
        self.touched.add(asset)
        return self.own(new_owner, asset, when, **extra)

    # -- accounts and assets --------------------------------------------------
    def account(self, holder: str, kind: str = "bank", opened: date | None = None,
                bank: str | None = None) -> str:
        """A BankAccount (bank, wechat or alipay) and the holder's Ownership of it."""
        r = self.rng
        opened = opened or date(r.randrange(2010, 2020), r.randrange(1, 13), r.randrange(1, 29))
        is_person = holder in self.people
        if kind == "wechat":
            bank, number = names.WECHAT[0], make_wxid(r)
        elif kind == "alipay":
            bank = names.ALIPAY[0]
            number = f"{r.randrange(13000000000, 19999999999)}" if is_person else make_wxid(r)[5:]
        else:
            spec = next((b for b in names.BANKS if b[0] == bank), None) or r.choice(names.BANKS)
            bank = spec[0]
            number = make_card(r, spec[1]) if is_person else make_corporate_account(r)
        key = bank_key(bank)
        aid = self.add("BankAccount", "acct", key, accountNumber=number, bankName=bank,
                       accountType=kind, currency="CNY", openingDate=opened)
        self.account_doc[aid] = key
        self.holder_accounts.setdefault(holder, []).append(aid)
        self.own(holder, aid, opened)
        return aid

    def accounts(self, holder: str) -> list[str]:
        """The accounts of a party of this network (created on first use)."""
        if holder not in self.holder_accounts:
            self.account(holder)
        return self.holder_accounts[holder]

    def is_frozen(self, account: str, on: date) -> bool:
        span = self.frozen.get(account)
        return span is not None and span[0] <= on and (span[1] is None or on <= span[1])

    def paying_account(self, holder: str, on: date, kind: str | None = None) -> str:
        """An account of ``holder`` not frozen on ``on`` (a new one if all are)."""
        for aid in self.accounts(holder):
            if not self.is_frozen(aid, on) and (kind is None or self.prop(aid, "accountType") == kind):
                return aid
        opened = on - timedelta(days=self.rng.randrange(30, 400))
        return self.account(holder, kind or "bank", opened=opened)

    def doc_of(self, account: str) -> str:
        return self.ctx.docs[self.account_doc.get(account) or self.ctx.account_doc[account]][0]

    def flat(self, owner: str, since: date, value: float | None = None) -> tuple[str, str]:
        """A flat (RealEstate with title, address, area, market value) and its Ownership."""
        r, c = self.rng, self.ctx.county
        area = round(r.uniform(55, 160), 1)
        value = value or round(area * r.uniform(3500, 9000), -3)
        aid = self.add("RealEstate", "re", "estate",
                       titleNumber=f"{c.province}({since.year}){c.place[-3:]}不动产权第{r.randrange(10**7):07d}号",
                       address=(f"{c.place}{r.choice(c.towns)}{r.choice(names.ESTATES)}"
                                f"{r.randrange(1, 20)}栋{r.randrange(1, 30)}0{r.randrange(1, 5)}室"),
                       area=f"{area}", amount=_money(value), currency="CNY", propertyType="住宅")
        return aid, self.own(owner, aid, since, percentage="100")

    def vehicle(self, owner: str, since: date, value: float | None = None) -> tuple[str, str]:
        """A vehicle (plate, type, model, market value) and its Ownership."""
        r = self.rng
        value = value or round(r.uniform(40_000, 420_000), -3)
        vid = self.add("Vehicle", "veh", "vehicle", registrationNumber=make_plate(r, self.ctx.county.plate),
                       type=r.choice(names.VEHICLE_TYPES), model=r.choice(names.VEHICLE_MODELS),
                       amount=_money(value), currency="CNY", registrationDate=since)
        return vid, self.own(owner, vid, since, percentage="100")

    def value(self, asset: str) -> float:
        return float(self.prop(asset, "amount") or 0)

    # -- money ----------------------------------------------------------------
    def pay(self, payer: str, payer_account: str | None, beneficiary: str,
            beneficiary_account: str | None, amount: float, when: str, purpose: str) -> Pending:
        """Plant a Payment (written later, in date order, with the background)."""
        props = {"payer": [payer], "beneficiary": [beneficiary], "amount": [_money(amount)],
                 "currency": ["CNY"], "date": [when], "purpose": [purpose],
                 "transactionNumber": [f"{self.rng.getrandbits(62):019d}"]}
        if payer_account:
            props["payerAccount"] = [payer_account]
        if beneficiary_account:
            props["beneficiaryAccount"] = [beneficiary_account]
        doc = self.doc_of(payer_account or beneficiary_account or "")
        p = Pending(when, props, doc)
        self.planted.append(p)
        return p

    def cash(self, party: str, account: str, amount: float, when: str, purpose: str) -> Pending:
        """Plant a cash withdrawal: beneficiary = payer, no beneficiaryAccount."""
        return self.pay(party, account, party, None, amount, when, purpose)


def _money(value: float) -> str:
    """Money as a string: whole yuan without decimals, else two decimals."""
    return fmt(float(value))
