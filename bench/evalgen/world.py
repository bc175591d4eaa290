"""The entity store of a generated caseload and the helpers that write FtM entities.

``World`` holds every entity as a plain FtM dict (values are lists of strings),
hands out ids that reveal nothing about the truth (a hash of seed and counter),
attaches provenance (``proof`` documents, ``recordId``) and writes conveyances,
leases and payments exactly as interchange.md describes them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from . import ids

COURT_NAME = "四川省得荣县人民法院"
COURT_CODE = "川3338"


def money(x: float) -> str:
    """An amount as FtM number text with two decimals."""
    return f"{x:.2f}"


def day(d: dt.date | dt.datetime) -> str:
    """ISO date (or date-time) text."""
    return d.isoformat(timespec="seconds") if isinstance(d, dt.datetime) else d.isoformat()


class World:
    """All entities of one caseload plus lookup tables the planters need."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.entities: dict[str, dict[str, Any]] = {}
        self._counter = 0
        self._docs: dict[str, str] = {}
        self._rows: dict[str, int] = {}
        self.holder: dict[str, str] = {}          # account id -> owner id
        self.accounts: dict[str, list[str]] = {}  # party id -> account ids
        self.watched: set[str] = set()            # accounts whose statements were obtained
        self.holding: dict[tuple[str, str], str] = {}  # (owner, asset) -> current Ownership id
        self.names: dict[str, str] = {}
        self._serial = 100

    # ---- ids and raw entities -------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """A fresh id: ``prefix`` plus a hash of seed and counter (no hint of the truth)."""
        self._counter += 1
        digest = hashlib.sha1(f"{self.seed}:{self._counter}".encode()).hexdigest()[:12]
        return f"{prefix}-{digest}"

    def add(self, schema: str, prefix: str, doc: str | None = None, **props: Any) -> str:
        """Create an entity; ``doc`` names a provenance document key for ``proof``/``recordId``."""
        eid = self.new_id(prefix)
        ent: dict[str, Any] = {"id": eid, "schema": schema, "properties": {}}
        self.entities[eid] = ent
        for key, value in props.items():
            self.set(eid, key, value)
        if doc is not None:
            doc_id = self.document(doc)
            self.set(eid, "proof", doc_id)
            if schema not in _NO_RECORD:
                self._rows[doc_id] = self._rows.get(doc_id, 1) + 1
                sheet = self.entities[doc_id]["properties"].get("title", ["记录"])[0]
                self.set(eid, "recordId", f"{sheet}!{self._rows[doc_id]}")
        if "name" in props:
            self.names[eid] = str(props["name"])
        return eid

    def set(self, eid: str, key: str, value: Any) -> None:
        """Set a property (replacing it); ``None`` removes nothing and sets nothing."""
        if value is None:
            return
        values = value if isinstance(value, (list, tuple)) else [value]
        out = []
        for v in values:
            if isinstance(v, (dt.date, dt.datetime)):
                out.append(day(v))
            elif isinstance(v, float):
                out.append(money(v))
            else:
                out.append(str(v))
        self.entities[eid]["properties"][key] = out

    def get(self, eid: str, key: str) -> str | None:
        """First value of a property, or None."""
        vals = self.entities[eid]["properties"].get(key)
        return vals[0] if vals else None

    # ---- provenance -----------------------------------------------------------
    def document(self, key: str) -> str:
        """The provenance document for ``key`` (created on first use).

        Keys look like ``table:中国工商银行流水_王伟.csv`` or ``doc:不动产登记查询.pdf``.
        """
        if key in self._docs:
            return self._docs[key]
        kind, _, file_name = key.partition(":")
        schema = {"table": "Table", "book": "Workbook", "doc": "Document"}[kind]
        mime = {"Table": "text/csv", "Document": "application/pdf",
                "Workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[schema]
        digest = hashlib.sha1(f"{self.seed}:{key}".encode()).hexdigest()
        size = 2048 + int(digest[:5], 16) % 400000
        publisher = _publisher(file_name)
        title = "明细" if schema != "Document" else "记录"
        doc_id = self.add(schema, "doc", fileName=file_name, contentHash=digest, fileSize=str(size),
                          mimeType=mime, publisher=publisher, title=title)
        self._docs[key] = doc_id
        return doc_id

    # ---- parties and accounts -------------------------------------------------
    def person(self, birth: dt.date, male: bool, name: str | None = None,
               surname: str | None = None, doc: str = "doc:户籍人口信息查询结果.pdf") -> str:
        """A Person with a valid resident ID, phone, address and birth date."""
        rng = self.rng
        name = name or ids.person_name(rng, male, surname)
        return self.add("Person", "p", doc=doc, name=name, idNumber=ids.id_number(rng, birth, male),
                        phone=ids.mobile(rng), address=ids.address(rng), birthDate=birth,
                        gender="male" if male else "female")

    def company(self, founded: dt.date, capital: int, trade: str | None = None,
                name: str | None = None) -> str:
        """A Company with a valid USCC, registered capital and address."""
        rng = self.rng
        return self.add("Company", "c", doc="book:市场监督管理局企业登记信息.xlsx",
                        name=name or ids.company_name(rng, trade),
                        registrationNumber=ids.uscc(rng), address=ids.address(rng),
                        phone=ids.landline(rng), incorporationDate=founded,
                        status="存续", capital=money(capital), currency="CNY")

    def stranger(self, male: bool | None = None) -> str:
        """A party that only appears as a counterparty of a bank transfer."""
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        birth = ids.random_date(rng, dt.date(1960, 1, 1), dt.date(1998, 12, 31))
        return self.person(birth, male, doc="doc:对手方身份信息.pdf")

    def account(self, owner: str, kind: str = "bank", opened: dt.date | None = None,
                bank: str | None = None, watched: bool = False) -> str:
        """A BankAccount (bank, wechat or alipay) and its holder's Ownership."""
        rng = self.rng
        opened = opened or dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        if kind == "wechat":
            number, bank_name = "wxid_" + "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(12)), "财付通"
        elif kind == "alipay":
            number, bank_name = "2088" + "".join(rng.choice("0123456789") for _ in range(12)), "支付宝"
        else:
            bank_name = bank or rng.choice(list(ids.BANKS))
            is_org = self.entities[owner]["schema"] != "Person"
            number = ids.corporate_account(rng) if is_org else ids.card_number(rng, bank_name)
        acct = self.add("BankAccount", "a", doc="doc:网络查控账户反馈.pdf", accountNumber=number,
                        bankName=bank_name, accountType=kind, openingDate=opened)
        self.add("Ownership", "o", doc="doc:网络查控账户反馈.pdf", owner=owner, asset=acct,
                 startDate=opened, ownershipType="account_holder")
        self.holder[acct] = owner
        self.accounts.setdefault(owner, []).append(acct)
        if watched:
            self.watched.add(acct)
        return acct

    def main_account(self, party: str, kind: str = "bank", watched: bool = True) -> str:
        """The party's first account of ``kind`` (opened on demand)."""
        for acct in self.accounts.get(party, []):
            if self.get(acct, "accountType") == kind:
                if watched:
                    self.watched.add(acct)
                return acct
        return self.account(party, kind, watched=watched)

    # ---- links ----------------------------------------------------------------
    def family(self, person: str, relative: str, relationship: str,
               start: dt.date | None = None, end: dt.date | None = None,
               doc: str = "doc:户籍人口信息查询结果.pdf") -> str:
        """A Family link: ``relationship`` says what ``relative`` is to ``person``."""
        return self.add("Family", "f", doc=doc, person=person, relative=relative,
                        relationship=relationship, startDate=start, endDate=end)

    def own(self, owner: str, asset: str, start: dt.date, pct: float | None = None,
            price: float | None = None, basis: str | None = None, doc: str | None = None) -> str:
        """An Ownership from ``owner`` to ``asset`` starting on ``start``."""
        doc = doc or _registry_doc(self.entities[asset]["schema"])
        oid = self.add("Ownership", "o", doc=doc, owner=owner, asset=asset, startDate=start,
                       percentage=None if pct is None else f"{pct:g}",
                       sharesValue=None if price is None else money(price),
                       sharesCurrency=None if price is None else "CNY", legalBasis=basis)
        self.holding[(owner, asset)] = oid
        return oid

    def convey(self, seller: str, asset: str, buyer: str, date: dt.date,
               price: float | None, basis: str) -> tuple[str, str]:
        """Convey ``asset`` from ``seller`` to ``buyer``: end the seller's Ownership, start the buyer's.

        Returns the ids (seller's Ownership, buyer's Ownership).
        """
        old = self.holding.pop((seller, asset))
        self.set(old, "endDate", date)
        pct = self.get(old, "percentage")
        new = self.own(buyer, asset, date, pct=None if pct is None else float(pct),
                       price=price, basis=basis)
        return old, new

    def lease(self, lessor: str, asset: str, lessee: str, start: dt.date, years: int,
              rent: float) -> str:
        """A lease Ownership (``legalBasis``/``ownershipType`` lease, ``sharesValue`` = yearly rent)."""
        oid = self.add("Ownership", "o", doc="doc:不动产登记查询结果.pdf", owner=lessee, asset=asset,
                       startDate=start, endDate=start.replace(day=min(start.day, 28), year=start.year + years),
                       sharesValue=money(rent), sharesCurrency="CNY", legalBasis="lease",
                       ownershipType="lease", description=f"出租人 {self.names.get(lessor, lessor)}")
        return oid

    # ---- money ----------------------------------------------------------------
    def pay(self, payer_acct: str | None, bene_acct: str | None, amount: float,
            when: dt.datetime, purpose: str, payer: str | None = None,
            bene: str | None = None) -> str:
        """A Payment between two accounts (or a cash move when one account is None).

        Cash withdrawal: ``bene_acct`` None and the beneficiary is the payer itself;
        cash deposit: ``payer_acct`` None and the payer is the beneficiary itself.
        """
        payer = payer or (self.holder[payer_acct] if payer_acct else None)
        bene = bene or (self.holder[bene_acct] if bene_acct else None)
        if payer_acct is None:
            payer = payer or bene
        if bene_acct is None:
            bene = bene or payer
        src = payer_acct if payer_acct in self.watched else bene_acct
        if src not in self.watched:
            src = payer_acct or bene_acct
        holder = self.holder[src]
        bank = self.get(src, "bankName") or "银行"
        doc = f"table:{bank}交易明细_{self.names.get(holder, holder)}_{self.get(src, 'accountNumber')[-4:]}.csv"
        txn = "".join(self.rng.choice("0123456789") for _ in range(20))
        return self.add("Payment", "pay", doc=doc, payer=payer, beneficiary=bene,
                        payerAccount=payer_acct, beneficiaryAccount=bene_acct, amount=money(amount),
                        currency="CNY", date=when, purpose=purpose, transactionNumber=txn)

    def finish(self) -> None:
        """Number payments in each statement by date (``sequenceNumber`` and ``recordId``)."""
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for ent in self.entities.values():
            if ent["schema"] == "Payment":
                by_doc.setdefault(ent["properties"]["proof"][0], []).append(ent)
        for doc_id, pays in by_doc.items():
            pays.sort(key=lambda e: (e["properties"]["date"][0], e["id"]))
            for i, ent in enumerate(pays, start=1):
                ent["properties"]["sequenceNumber"] = [str(i)]
                ent["properties"]["recordId"] = [f"明细!{i + 1}"]
            self.set(doc_id, "rowCount", str(len(pays)))

    def case_number(self, year: int, kind: str = "执") -> str:
        """A fresh case number of this court, e.g. (2023)川3338执123号."""
        self._serial += self.rng.randint(1, 9)
        return f"({year}){COURT_CODE}{kind}{self._serial}号"


_NO_RECORD = {"Person", "Company", "LegalEntity", "PublicBody", "Organization", "BankAccount",
              "RealEstate", "Vehicle", "CourtCase", "Table", "Document", "Workbook"}


def _publisher(file_name: str) -> str:
    """The data provider named in a provenance document's file name."""
    for bank in list(ids.BANKS) + ["财付通", "支付宝"]:
        if file_name.startswith(bank):
            return bank
    table = {"不动产": "不动产登记中心", "车辆": "公安局交通管理局", "市场监督": "市场监督管理局",
             "婚姻": "民政局婚姻登记处", "户籍": "公安局户籍管理", "法院": COURT_NAME,
             "执行": COURT_NAME, "网络查控": "最高人民法院网络执行查控系统", "劳动": "人力资源和社会保障局"}
    for key, pub in table.items():
        if key in file_name:
            return pub
    return "调查取证材料"


def _registry_doc(asset_schema: str) -> str:
    """The registry document that records ownership of an asset of this schema."""
    return {"RealEstate": "doc:不动产登记查询结果.pdf", "Vehicle": "doc:车辆登记信息查询.pdf",
            "Company": "book:市场监督管理局股权登记信息.xlsx"}.get(asset_schema, "doc:网络查控账户反馈.pdf")
