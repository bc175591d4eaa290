"""The county shared by every case: court, source documents, merchants, employers, banks.

:func:`build_county` writes these entities first and returns a :class:`Context` that the
per-debtor networks draw from.
"""
from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from debtorgraph.synthetic import names
from debtorgraph.synthetic.identity import (make_card, make_corporate_account, make_landline,
                                            make_uscc)
from debtorgraph.synthetic.writer import RECORD_SCHEMATA, EntityWriter, make_entity

log = logging.getLogger(__name__)


@dataclass
class Merchant:
    """A party that sells to the networks, with the account it is paid into."""

    id: str
    account: str
    purposes: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0


@dataclass
class Context:
    """What every debtor's network shares: the county, its court and its economy."""

    rng: random.Random
    writer: EntityWriter
    seed: int
    county: names.County
    docs: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (doc id, sheet)
    account_doc: dict[str, str] = field(default_factory=dict)  # global account -> doc key
    court: str = ""
    court_account: str = ""
    shops: list[Merchant] = field(default_factory=list)
    employers: list[Merchant] = field(default_factory=list)
    banks: list[Merchant] = field(default_factory=list)  # bank branches that lend and sue
    airlines: list[Merchant] = field(default_factory=list)
    luxury_hotel: Merchant = field(default_factory=lambda: Merchant("", ""))
    budget_hotel: Merchant = field(default_factory=lambda: Merchant("", ""))
    railway: Merchant = field(default_factory=lambda: Merchant("", ""))
    serials: dict[str, int] = field(default_factory=dict)

    def doc(self, key: str) -> str:
        """Return the id of the source document with this key."""
        return self.docs[key][0]

    def case_number(self, year: int, kind: str) -> str:
        """Return the next case number of this court, e.g. ``(2023)川3338执123号``."""
        key = f"{year}{kind}"
        self.serials[key] = self.serials.get(key, self.rng.randrange(1, 60)) + self.rng.randrange(1, 9)
        c = self.county
        return f"({year}){c.province}{c.division[2:]}{kind}{self.serials[key]}号"

    def add(self, schema: str, prefix: str, doc_key: str, props: dict[str, Any]) -> str:
        """Write a county-level entity at once, with its provenance; return its id."""
        id_ = self.writer.new_id(prefix)
        doc_id, sheet = self.docs[doc_key]
        props = dict(props, proof=doc_id)
        if schema in RECORD_SCHEMATA:
            props["recordId"] = f"{sheet}!{self.writer.next_row(doc_id)}"
        self.writer.write(make_entity(id_, schema, props))
        return id_


def bank_key(bank: str) -> str:
    """The document key of a bank's (or payment platform's) statement."""
    return f"bank:{bank}"


def _documents(ctx: Context) -> None:
    c = ctx.county
    local = c.place[-3:]
    specs = [
        ("court", "Table", "执行案件台账.csv", "text/csv", c.court, "台账"),
        ("hukou", "Table", "户籍人口信息.csv", "text/csv", f"{local}公安局", "户籍"),
        ("marriage", "Document", "婚姻登记档案.pdf", "application/pdf", f"{local}民政局", "婚姻"),
        ("registry", "Table", "企业登记信息.csv", "text/csv", f"{local}市场监督管理局", "登记"),
        ("estate", "Document", "不动产登记信息.pdf", "application/pdf", f"{local}不动产登记中心", "不动产"),
        ("vehicle", "Document", "机动车登记信息.pdf", "application/pdf",
         f"{local}公安局交通警察大队车辆管理所", "车辆"),
        ("social", "Table", "社保缴费记录.csv", "text/csv", f"{local}社会保险事业管理局", "社保"),
        ("inquiry", "Document", "执行调查笔录.pdf", "application/pdf", c.court, "笔录"),
    ]
    for bank, _bin, publisher in names.BANKS:
        specs.append((bank_key(bank), "Table", f"{bank}交易明细.csv", "text/csv", publisher, "明细"))
    for bank, publisher in (names.WECHAT, names.ALIPAY):
        specs.append((bank_key(bank), "Table", f"{bank}交易明细.csv", "text/csv", publisher, "明细"))
    for n, (key, schema, file_name, mime, publisher, sheet) in enumerate(specs, 1):
        doc_id = f"doc-{n:02d}"
        digest = hashlib.sha1(f"{ctx.seed}/{file_name}".encode()).hexdigest()
        ctx.writer.write(make_entity(doc_id, schema, {
            "fileName": file_name, "contentHash": digest, "mimeType": mime,
            "fileSize": ctx.rng.randrange(20_000, 9_000_000), "publisher": publisher,
            "title": file_name.rsplit(".", 1)[0],
        }))
        ctx.docs[key] = (doc_id, sheet)


def _company(ctx: Context, name: str, division: str, bank: str, since: date) -> Merchant:
    rng = ctx.rng
    cid = ctx.add("Company", "co", "registry", {
        "name": name, "registrationNumber": make_uscc(rng, division),
        "incorporationDate": since, "status": "存续", "country": "cn",
        "capital": rng.choice((500_000, 1_000_000, 5_000_000, 10_000_000, 50_000_000)),
        "currency": "CNY",
    })
    acct = ctx.add("BankAccount", "acct", bank_key(bank), {
        "accountNumber": make_corporate_account(rng), "bankName": bank, "accountType": "bank",
        "name": name, "currency": "CNY",
    })
    ctx.account_doc[acct] = bank_key(bank)
    ctx.add("Ownership", "own", bank_key(bank), {"owner": cid, "asset": acct, "startDate": since})
    return Merchant(cid, acct)


def build_county(rng: random.Random, writer: EntityWriter, seed: int, debtors: int) -> Context:
    """Pick a county and write its shared entities; return the :class:`Context`."""
    county = rng.choice(names.COUNTIES)
    ctx = Context(rng=rng, writer=writer, seed=seed, county=county)
    _documents(ctx)
    local = county.place[-3:]
    bank = names.BANKS[1][0]
    ctx.court = ctx.add("PublicBody", "pb", "court", {
        "name": county.court, "registrationNumber": make_uscc(rng, county.division, "11"),
        "address": f"{county.place}{rng.choice(names.STREETS)}{rng.randrange(1, 200)}号",
        "phone": make_landline(rng, county.area_code), "country": "cn",
    })
    ctx.court_account = ctx.add("BankAccount", "acct", bank_key(bank), {
        "name": f"{county.court}执行款专户", "accountNumber": make_corporate_account(rng),
        "bankName": bank, "accountType": "bank", "currency": "CNY",
    })
    ctx.account_doc[ctx.court_account] = bank_key(bank)
    ctx.add("Ownership", "own", bank_key(bank), {
        "owner": ctx.court, "asset": ctx.court_account, "startDate": date(2016, 1, 1)})

    def since() -> date:
        return date(rng.randrange(1998, 2018), rng.randrange(1, 13), rng.randrange(1, 29))

    def pick_bank() -> str:
        return rng.choice(names.BANKS)[0]

    for template, purposes, low, high in names.SHOPS:
        m = _company(ctx, names.county_of(county, template), county.division, pick_bank(), since())
        ctx.shops.append(Merchant(m.id, m.account, purposes, low, high))
    for _ in range(max(6, debtors // 2)):
        name = (f"{local}{rng.choice(names.COMPANY_WORDS)}{rng.choice(names.TRADES)}有限公司")
        ctx.employers.append(_company(ctx, name, county.division, pick_bank(), since()))
    for bank_name, _bin, _pub in names.BANKS[:4]:
        branch = f"{bank_name}股份有限公司{local}支行"
        ctx.banks.append(_company(ctx, branch, county.division, bank_name, since()))
    for airline in names.AIRLINES:
        ctx.airlines.append(_company(ctx, airline, "110105", pick_bank(), since()))
    city = rng.choice(names.CITIES)
    ctx.luxury_hotel = _company(ctx, names.LUXURY_HOTEL.format(city=city), "510104",
                                pick_bank(), since())
    ctx.budget_hotel = _company(ctx, names.BUDGET_HOTEL, "310104", pick_bank(), since())
    rail = {"川": "成都", "云": "昆明", "晋": "太原"}[county.province]
    ctx.railway = _company(ctx, names.CONSUMPTION_RAIL.format(rail=rail), "510105",
                           pick_bank(), since())
    log.info("county %s: %d shops, %d employers", county.court, len(ctx.shops), len(ctx.employers))
    return ctx
