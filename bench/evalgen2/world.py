"""The building blocks of a caseload: ids, identifiers, parties, accounts, money, conveyances.

Written from /work/shared/docs/interchange.md and domain.md alone. Every entity is kept
in ``World.entities`` (id -> FtM dict) until the end, so a seller's Ownership can get its
``endDate`` when the asset is conveyed later in the story.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文辉春梅海燕俊峰林波斌宇浩凯晨欣怡"
#: resident-ID address codes (GB/T 2260) and court codes that go with them
COURTS = [("513338", "得荣县人民法院", "川3338"), ("510104", "成都市锦江区人民法院", "川0104"),
          ("440703", "江门市蓬江区人民法院", "粤0703"), ("110105", "北京市朝阳区人民法院", "京0105"),
          ("330106", "杭州市西湖区人民法院", "浙0106"), ("320102", "南京市玄武区人民法院", "苏0102")]
#: the year each district code came into use (stdnum's GB/T 2260 history)
AREA_SINCE = {"510104": 1990, "440703": 1994, "330106": 1983, "320102": 1983}
BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "招商银行", "成都农村商业银行"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DOCS = {  # source -> (schema, publisher, mime)
    "court": ("Table", "人民法院执行案件管理系统", "text/csv"),
    "registry": ("Document", "不动产登记中心", "application/pdf"),
    "vehicles": ("Document", "公安局交通管理局车辆管理所", "application/pdf"),
    "market": ("Table", "市场监督管理局", "text/csv"),
    "civil": ("Document", "民政局婚姻登记处", "application/pdf"),
    "police": ("Table", "公安局户籍信息", "text/csv"),
}


def ric_check(body17: str) -> str:
    """GB 11643 check character (ISO 7064 MOD 11-2), domain.md section 6."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


def uscc_check(body17: str) -> str:
    """GB 32100 check character, domain.md section 6."""
    total = sum(USCC_ALPHABET.index(c) * (3 ** i % 31) for i, c in enumerate(body17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def money(x: float) -> str:
    """An amount as a bank writes it: with cents where there are any."""
    x = round(x, 2)
    return str(int(x)) if x == int(x) else f"{x:.2f}"


class World:
    """All entities of one caseload, built from one seeded random source."""

    def __init__(self, seed: int, start: date = date(2019, 1, 1)) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.entities: dict[str, dict[str, Any]] = {}
        self.start = start
        self._n = 0
        self._rows: dict[str, int] = {}
        self.docs: dict[str, str] = {}
        self.names: set[str] = set()
        self.ids: set[str] = set()
        self.statement: dict[str, str] = {}  # account id -> its statement document id
        self.accounts: dict[str, list[str]] = {}  # party id -> account ids
        self.holder: dict[str, str] = {}  # account id -> holder id
        self.court_account: dict[str, str] = {}  # court name -> enforcement account id
        self.courts: dict[str, str] = {}  # court name -> PublicBody id
        self._named: dict[str, str] = {}  # counterparty name -> LegalEntity id
        self.frozen: dict[str, date] = {}  # account id -> the day a court froze it

    # ---- ids and provenance -------------------------------------------------------------
    def new_id(self) -> str:
        self._n += 1
        return hashlib.sha1(f"evalgen2:{self.seed}:{self._n}".encode()).hexdigest()[:20]

    def doc(self, source: str, file_name: str | None = None) -> str:
        """The FtM document entity a source file becomes (one per source name)."""
        key = file_name or source
        if key in self.docs:
            return self.docs[key]
        schema, publisher, mime = DOCS.get(source, ("Workbook", source, "application/vnd.ms-excel"))
        digest = hashlib.sha1(f"{self.seed}:{key}".encode()).hexdigest()
        did = self.new_id()
        self.entities[did] = {"id": did, "schema": schema, "properties": {
            "fileName": [file_name or f"{publisher}_{self.seed}.{'csv' if schema == 'Table' else 'pdf'}"],
            "contentHash": [digest], "fileSize": [str(self.rng.randint(20_000, 4_000_000))],
            "mimeType": [mime], "publisher": [publisher]}}
        self.docs[key] = did
        return did

    def emit(self, schema: str, props: dict[str, Any], source: str | None = None, link: bool = False,
             sheet: str = "明细") -> str:
        """Add one entity; drop empty values; ``link`` schemata get a ``recordId``."""
        eid = self.new_id()
        clean = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in props.items()
                 if v is not None and v != [] and v != ""}
        if source:
            did = self.docs[source] if source in self.docs else self.doc(source)
            clean["proof"] = [did]
            if link:
                self._rows[did] = self._rows.get(did, 1) + 1
                clean["recordId"] = [f"{sheet}!{self._rows[did]}" if self.rng.random() < 0.7
                                     else str(self._rows[did])]
        self.entities[eid] = {"id": eid, "schema": schema, "properties": clean}
        return eid

    def set(self, eid: str, prop: str, value: Any) -> None:
        self.entities[eid]["properties"][prop] = [str(value)]

    # ---- identifiers and names -----------------------------------------------------------
    def name(self, surname: str | None = None) -> str:
        for _ in range(200):
            n = (surname or self.rng.choice(SURNAMES)) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            if n not in self.names:
                self.names.add(n)
                return n
        return n + str(len(self.names))

    def ric(self, born: date, area: str, male: bool) -> str:
        if born.year < AREA_SINCE.get(area, 0):  # the district code did not exist yet: born elsewhere
            area = self.rng.choice(("513338", "110105", "110108"))
        while True:
            seq = self.rng.randrange(0, 999)
            seq += (seq % 2 == 0) == male  # odd = male
            body = f"{area}{born:%Y%m%d}{seq % 1000:03d}"
            ric = body + ric_check(body)
            if ric not in self.ids:
                self.ids.add(ric)
                return ric

    def uscc(self, area: str) -> str:
        while True:
            body = "91" + area + "".join(self.rng.choice(USCC_ALPHABET) for _ in range(9))
            code = body + uscc_check(body)
            if code not in self.ids:
                self.ids.add(code)
                return code

    def phone(self) -> str:
        return f"+86{self.rng.choice(('139', '138', '137', '186', '158', '152'))}{self.rng.randrange(10**8):08d}"

    def when(self, day: date, time: bool | None = None) -> str:
        """A date, or a date-time during banking hours (files vary)."""
        if time is None:
            time = self.rng.random() < 0.6
        if not time:
            return day.isoformat()
        t = datetime(day.year, day.month, day.day, self.rng.randint(8, 21), self.rng.randint(0, 59),
                     self.rng.randint(0, 59))
        return t.isoformat()

    # ---- parties ----------------------------------------------------------------------------
    def person(self, area: str, born: date | None = None, male: bool | None = None,
               surname: str | None = None, source: str = "police", full: bool = True) -> str:
        male = self.rng.random() < 0.5 if male is None else male
        born = born or date(self.rng.randint(1955, 1995), self.rng.randint(1, 12), self.rng.randint(1, 28))
        props: dict[str, Any] = {"name": self.name(surname), "idNumber": self.ric(born, area, male)}
        if full or self.rng.random() < 0.5:
            props["birthDate"] = born.isoformat()
        if self.rng.random() < 0.6:
            props["phone"] = self.phone()
        if self.rng.random() < 0.4:
            props["address"] = f"{self.rng.choice(('幸福路', '人民南路', '建设街', '滨江路'))}{self.rng.randint(1, 300)}号"
        return self.emit("Person", props, source)

    def twin(self, pid: str, source: str) -> str:
        """The same person arriving again from another source with the same valid ID."""
        p = self.entities[pid]["properties"]
        props = {"name": p["name"][0], "idNumber": p["idNumber"][0]}
        if self.rng.random() < 0.5:
            props["phone"] = self.phone()
        return self.emit("Person", props, source)

    def company(self, area: str, name: str, capital: float | None = None, since: date | None = None) -> str:
        props: dict[str, Any] = {"name": name, "registrationNumber": self.uscc(area),
                                 "incorporationDate": (since or date(self.rng.randint(2005, 2017), 1 + self.rng.randrange(12), 1 + self.rng.randrange(28))).isoformat(),
                                 "status": "存续"}
        if capital:
            props["capital"] = money(capital)
        return self.emit("Company", props, "market")

    def counterparty(self, name: str) -> str:
        """A party known only by the name a statement gives it (kind unknown); one per name."""
        if name not in self._named:
            self._named[name] = self.emit("LegalEntity", {"name": name})
        return self._named[name]

    def court(self, cname: str) -> str:
        if cname not in self.courts:
            cid = self.emit("PublicBody", {"name": cname}, "court")
            self.courts[cname] = cid
            acct = self.account(cid, kind="bank", name=f"{cname}执行款专户", since=date(2015, 1, 1))
            self.court_account[cname] = acct
        return self.courts[cname]

    # ---- accounts and money -------------------------------------------------------------------
    def account(self, holder: str, kind: str = "bank", since: date | None = None, name: str | None = None,
                own_source: str | None = None) -> str:
        bank = self.rng.choice(BANKS)
        if kind == "bank":
            number = "62" + "".join(str(self.rng.randrange(10)) for _ in range(17))
            props = {"accountNumber": number, "bankName": bank, "accountType": "bank"}
        elif kind == "wechat":
            number = "wxid_" + hashlib.sha1(f"{self.seed}{self._n}".encode()).hexdigest()[:12]
            props = {"accountNumber": number, "bankName": "财付通", "accountType": "wechat"}
        else:
            number = f"1{self.rng.randrange(10**10):010d}"
            props = {"accountNumber": number, "bankName": "支付宝", "accountType": "alipay"}
        if name:
            props["name"] = name
        src = f"{props['bankName']}流水_{number[-6:]}.xlsx"
        self.doc(props["bankName"], src)
        aid = self.emit("BankAccount", props, src)
        self.statement[aid] = src
        since = since or self.start - timedelta(days=self.rng.randint(300, 3000))
        self.emit("Ownership", {"owner": holder, "asset": aid, "startDate": since.isoformat()},
                  own_source or src, link=True, sheet="开户信息")
        self.accounts.setdefault(holder, []).append(aid)
        self.holder[aid] = holder
        return aid

    def acct(self, party: str, kind: str | None = None, on: date | None = None) -> str:
        """One of the party's accounts (a new bank card if it has none). With ``on``: one that
        can pay on that day, i.e. not frozen yet; a debtor whose accounts are all frozen
        opens a wallet or a card at another bank (a frozen account pays nothing out)."""
        mine = [a for a in self.accounts.get(party, [])
                if (kind is None or self.entities[a]["properties"]["accountType"][0] == kind)
                and (on is None or a not in self.frozen or self.frozen[a] > on)]
        if mine:
            return mine[0]
        since = None
        if on is not None and self.accounts.get(party):
            since = min(on, max(self.frozen.get(a, on) for a in self.accounts[party]) + timedelta(days=self.rng.randint(3, 30)))
        return self.account(party, kind or self.rng.choice(("bank", "wechat", "alipay")) if since else kind or "bank", since=since)

    def pay(self, payer: str, payee: str, amount: float, day: date, purpose: str,
            payer_acct: str | None = None, payee_acct: str | None = None, time: bool | None = None,
            as_named: str | None = None) -> str:
        """One transfer. ``as_named``: the statement names the payee as this counterparty, and only
        the account tells whose it is."""
        if payer_acct in self.frozen and self.frozen[payer_acct] <= day and payee not in self.courts.values():
            payer_acct = self.acct(payer, on=day)
        src = self.statement.get(payer_acct or "") or self.statement.get(payee_acct or "") or "court"
        props = {"payer": payer, "beneficiary": as_named or payee, "payerAccount": payer_acct,
                 "beneficiaryAccount": payee_acct, "amount": money(amount), "date": self.when(day, time),
                 "purpose": purpose, "transactionNumber": f"{day:%Y%m%d}{self.rng.randrange(10**10):010d}"}
        if self.rng.random() < 0.85:
            props["currency"] = "CNY"
        pid = self.emit("Payment", props, src, link=True)
        self.entities[pid]["properties"]["sequenceNumber"] = [self.entities[pid]["properties"]["recordId"][0].split("!")[-1]]
        return pid

    def transfer(self, payer: str, payee: str, amount: float, day: date, purpose: str,
                 kind: str | None = None, named_by_account: bool = False) -> str:
        """Account to account between two parties; optionally named as the app/bank shows it."""
        a, b = self.acct(payer, on=day), self.acct(payee, kind)
        named = None
        if named_by_account:
            prefix = {"wechat": "财付通-", "alipay": "支付宝-"}.get(self.entities[b]["properties"]["accountType"][0], "")
            named = self.counterparty(prefix + self.entities[payee]["properties"]["name"][0])
        return self.pay(payer, payee, amount, day, purpose, a, b, as_named=named)

    def cash_out(self, party: str, amount: float, day: date) -> str:
        a = self.acct(party, on=day)
        word = self.rng.choice(("ATM取现", "柜面取款", "现金支取", "cash withdrawal"))
        return self.pay(party, party, amount, day, word, payer_acct=a)

    # ---- assets --------------------------------------------------------------------------------
    def own(self, owner: str, asset: str, since: date, source: str, basis: str | None = None,
            price: float | None = None, pct: float | None = None, lease_end: date | None = None) -> str:
        props: dict[str, Any] = {"owner": owner, "asset": asset, "startDate": since.isoformat(),
                                 "legalBasis": basis}
        if price is not None:
            props["sharesValue"] = money(price)
            if self.rng.random() < 0.5:
                props["sharesCurrency"] = "CNY"
        if pct is not None:
            props["percentage"] = money(pct)
        if lease_end:
            props.update(ownershipType="lease", endDate=lease_end.isoformat())
        return self.emit("Ownership", props, source, link=True, sheet="登记簿")

    def convey(self, seller_own: str, buyer: str, day: date, basis: str, price: float | None) -> str:
        """End the seller's Ownership and start the buyer's the same day (interchange.md)."""
        old = self.entities[seller_own]["properties"]
        self.set(seller_own, "endDate", day.isoformat())
        pct = float(old["percentage"][0]) if "percentage" in old else None
        return self.own(buyer, old["asset"][0], day, self.docs_of(seller_own), basis, price, pct)

    def docs_of(self, eid: str) -> str:
        did = self.entities[eid]["properties"]["proof"][0]
        return next(k for k, v in self.docs.items() if v == did)

    def flat(self, owner: str, since: date, value: float, source: str = "registry") -> tuple[str, str]:
        r = self.rng
        props = {"titleNumber": f"川({since.year})不动产权第{r.randrange(10**7):07d}号",
                 "address": f"{r.choice(('锦华路', '东大街', '江滨路', '文昌路'))}{r.randint(1, 99)}号{r.randint(1, 30)}栋{r.randint(101, 2802)}",
                 "area": money(r.randint(55, 160) + r.random()), "amount": money(value), "currency": "CNY"}
        if r.random() < 0.2:
            del props["area"]
        aid = self.emit("RealEstate", props, source)
        return aid, self.own(owner, aid, since, source, basis=r.choice(("sale", None)))

    def car(self, owner: str, since: date, value: float) -> tuple[str, str]:
        r = self.rng
        plate = f"{r.choice('川粤京浙苏')}{r.choice('ABCDEF')}{r.randrange(10**5):05d}"
        props = {"registrationNumber": plate, "type": "小型轿车",
                 "model": r.choice(("大众帕萨特", "丰田凯美瑞", "宝马X3", "比亚迪汉")), "amount": money(value)}
        aid = self.emit("Vehicle", props, "vehicles")
        return aid, self.own(owner, aid, since, "vehicles")


def years_after(day: datetime, years: int) -> datetime:
    """The same day ``years`` later; 29 February becomes the 28th in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
