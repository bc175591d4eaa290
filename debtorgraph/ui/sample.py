"""A small, fixed sample case for training and trying the app offline.

Debtor 王建国 (``p-wang``) owes 中兴建材有限公司 RMB 500,000 under (2022)川3338执123号. After
the notice to respond he divorces, sells his flat to his sister for a fifth of its value,
gives his 60% stake in his trading company to a cousin for 1 yuan, and pays money out
to his sister, directly and through a friend, after the execution notice. A second
debtor, 陈立新 (``p-chen``), pays his debt to the court's account: an honest look-alike.

:func:`sample_entities` yields the case as FtM entities (interchange.md conventions);
``background_payments`` adds unrelated transfers among a pool of other people, so the
same case can sit inside a large store (the app benchmark uses a million).
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Iterator

from stdnum.cn import ric, uscc

__all__ = ["sample_entities", "SAMPLE_DEBTOR", "SAMPLE_CASE", "SAMPLE_CASE_NUMBER", "valid_ric",
           "valid_uscc"]

SAMPLE_DEBTOR = "p-wang"
SAMPLE_CASE = "case-1"
SAMPLE_CASE_NUMBER = "(2022)川3338执123号"


def valid_ric(first17: str) -> str:
    """An 18-character resident ID with its check digit (GB 11643).

    >>> valid_ric("51333819800101123")
    '513338198001011235'
    """
    return first17 + ric.calc_check_digit(first17)


def valid_uscc(first17: str) -> str:
    """A Unified Social Credit Code with its check character (GB 32100).

    >>> uscc.is_valid(valid_uscc("91513338MA6ABCDE1"))
    True
    """
    return first17 + uscc.calc_check_digit(first17)


def _e(ent_id: str, schema: str, **props: Any) -> dict[str, Any]:
    out: dict[str, list[str]] = {}
    for key, value in props.items():
        if value is None:
            continue
        out[key] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    return {"id": ent_id, "schema": schema, "properties": out}


def _parties() -> Iterator[dict[str, Any]]:
    yield _e("p-wang", "Person", name="王建国", idNumber=valid_ric("51333819800101123"),
             phone="+8613912345678", address="四川省甘孜州得荣县松麦镇1号", birthDate="1980-01-01")
    yield _e("p-sister", "Person", name="王秀英", idNumber=valid_ric("51333819830512234"),
             phone="+8613812345671")
    yield _e("p-li", "Person", name="李梅", idNumber=valid_ric("51333819820303456"))
    yield _e("p-zhao", "Person", name="赵强", idNumber=valid_ric("51010519790707111"))
    yield _e("p-cousin", "Person", name="王小军", idNumber=valid_ric("51333819950808222"))
    yield _e("p-chen", "Person", name="陈立新", idNumber=valid_ric("51333819751111333"),
             phone="+8613700001111")
    yield _e("co-wang", "Company", name="得荣县建国商贸有限公司",
             registrationNumber=valid_uscc("91513338MA6WANG01"), capital="1000000",
             incorporationDate="2015-06-01", status="存续")
    yield _e("co-creditor", "Company", name="中兴建材有限公司",
             registrationNumber=valid_uscc("91510100MA6XJC001"))
    yield _e("court", "PublicBody", name="得荣县人民法院")


def _assets() -> Iterator[dict[str, Any]]:
    yield _e("acct-wang", "BankAccount", accountNumber="6222021234567890123", bankName="中国工商银行",
             accountType="bank")
    yield _e("acct-wang-wx", "BankAccount", accountNumber="wxid_wangjg1980", bankName="财付通",
             accountType="wechat")
    yield _e("acct-sister", "BankAccount", accountNumber="6228480012345678901", bankName="中国农业银行",
             accountType="bank")
    yield _e("acct-zhao", "BankAccount", accountNumber="6217000011112222333", bankName="中国建设银行",
             accountType="bank")
    yield _e("acct-chen", "BankAccount", accountNumber="6222029999888877776", bankName="中国工商银行",
             accountType="bank")
    yield _e("acct-court", "BankAccount", accountNumber="51001234500000001", bankName="中国建设银行",
             accountType="bank", name="得荣县人民法院执行款专户")
    yield _e("re-1", "RealEstate", titleNumber="川(2019)得荣县不动产权第0001234号",
             address="得荣县松麦镇幸福路8号2单元301", area="120", amount="800000", currency="CNY")
    yield _e("veh-1", "Vehicle", registrationNumber="川A12345", type="小型轿车", model="丰田凯美瑞",
             amount="150000", currency="CNY")


def _links() -> Iterator[dict[str, Any]]:
    own = [("own-wang-acct", "p-wang", "acct-wang", None), ("own-wang-wx", "p-wang", "acct-wang-wx", None),
           ("own-sister-acct", "p-sister", "acct-sister", None), ("own-zhao-acct", "p-zhao", "acct-zhao", None),
           ("own-chen-acct", "p-chen", "acct-chen", None), ("own-court-acct", "court", "acct-court", None),
           ("own-wang-veh", "p-wang", "veh-1", None)]
    for oid, owner, asset, _ in own:
        yield _e(oid, "Ownership", owner=owner, asset=asset, startDate="2018-01-01")
    yield _e("own-wang-re", "Ownership", owner="p-wang", asset="re-1", startDate="2019-03-01",
             endDate="2022-05-20")
    yield _e("own-sister-re", "Ownership", owner="p-sister", asset="re-1", startDate="2022-05-20",
             sharesValue="160000", sharesCurrency="CNY", legalBasis="sale")
    yield _e("own-wang-co", "Ownership", owner="p-wang", asset="co-wang", percentage="60",
             startDate="2015-06-01", endDate="2022-06-10")
    yield _e("own-cousin-co", "Ownership", owner="p-cousin", asset="co-wang", percentage="60",
             startDate="2022-06-10", sharesValue="1", legalBasis="sale")
    yield _e("dir-wang", "Directorship", director="p-wang", organization="co-wang", role="法定代表人",
             startDate="2015-06-01")
    yield _e("fam-spouse", "Family", person="p-wang", relative="p-li", relationship="spouse",
             startDate="2008-10-01", endDate="2022-01-15")
    yield _e("fam-sister", "Family", person="p-wang", relative="p-sister", relationship="sibling")
    yield _e("fam-cousin", "Family", person="p-wang", relative="p-cousin", relationship="other")
    yield _e("assoc-zhao", "Associate", person="p-wang", associate="p-zhao", relationship="朋友")


def _case() -> Iterator[dict[str, Any]]:
    yield _e("case-1", "CourtCase", caseNumber=SAMPLE_CASE_NUMBER, court="得荣县人民法院",
             fileDate="2022-04-01", status="执行中")
    yield _e("case-2", "CourtCase", caseNumber="(2023)川3338执45号", court="得荣县人民法院",
             fileDate="2023-02-01", status="执行完毕")
    yield _e("ccp-wang", "CourtCaseParty", party="p-wang", case="case-1", role="debtor")
    yield _e("ccp-creditor", "CourtCaseParty", party="co-creditor", case="case-1", role="applicant")
    yield _e("ccp-chen", "CourtCaseParty", party="p-chen", case="case-2", role="被执行人")
    yield _e("ccp-creditor2", "CourtCaseParty", party="co-creditor", case="case-2", role="applicant")
    yield _e("debt-wang", "Debt", debtor="p-wang", creditor="co-creditor", amount="500000", currency="CNY",
             date="2022-03-01", summary=SAMPLE_CASE_NUMBER)
    yield _e("debt-chen", "Debt", debtor="p-chen", creditor="co-creditor", amount="30000", currency="CNY",
             date="2023-01-10", summary="(2023)川3338执45号")
    events = [("ev-served", "lawsuit_served", "2021-11-01"), ("ev-effective", "judgment_effective", "2022-03-01"),
              ("ev-filed", "enforcement_filed", "2022-04-01"), ("ev-notice", "execution_notice", "2022-04-10"),
              ("ev-report", "property_report_order", "2022-04-10")]
    for eid, name, day in events:
        yield _e(eid, "Event", name=name, date=day, summary=SAMPLE_CASE_NUMBER, involved="p-wang")
    yield _e("ev-chen-notice", "Event", name="execution_notice", date="2023-02-05",
             summary="(2023)川3338执45号", involved="p-chen")
    yield _e("sanc-freeze", "Sanction", entity="acct-wang", program="freeze", authority="得荣县人民法院",
             startDate="2022-07-01", summary=SAMPLE_CASE_NUMBER)
    yield _e("sanc-list", "Sanction", entity="p-wang", program="dishonest_listing", authority="得荣县人民法院",
             startDate="2022-09-01", summary=SAMPLE_CASE_NUMBER)


def _payments() -> Iterator[dict[str, Any]]:
    rows = [  # id, payer, beneficiary, src, dst, amount, date, purpose
        ("pay-1", "p-wang", "p-sister", "acct-wang", "acct-sister", 50000, "2022-04-15T10:20:00", "借款"),
        ("pay-2", "p-wang", "p-sister", "acct-wang", "acct-sister", 80000, "2022-04-20T09:00:00", "还款"),
        ("pay-3", "p-wang", "p-sister", "acct-wang", "acct-sister", 30000, "2022-05-03T15:00:00", "转账"),
        ("pay-4", "p-wang", "p-zhao", "acct-wang", "acct-zhao", 120000, "2022-05-10T11:00:00", "货款"),
        ("pay-5", "p-zhao", "p-sister", "acct-zhao", "acct-sister", 115000, "2022-05-11T14:30:00", "转账"),
        ("pay-6", "p-wang", "p-wang", "acct-wang", None, 40000, "2022-06-01T16:00:00", "取现"),
        ("pay-7", "p-sister", "p-wang", "acct-sister", "acct-wang-wx", 5000, "2022-08-01T08:00:00", "生活费"),
        ("pay-8", "p-chen", "court", "acct-chen", "acct-court", 30000, "2023-02-20T10:00:00", "执行款"),
        ("pay-9", "p-zhao", "p-wang", "acct-zhao", "acct-wang", 2000, "2021-12-01T10:00:00", "还款"),
    ]
    for pid, payer, ben, src, dst, amount, day, purpose in rows:
        yield _e(pid, "Payment", payer=payer, beneficiary=ben, payerAccount=src, beneficiaryAccount=dst,
                 amount=amount, currency="CNY", date=day, purpose=purpose)


def _background(n: int, seed: int, people: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(people):
        yield _e(f"bg-p{i}", "Person", name=f"居民{i:06d}")
        yield _e(f"bg-a{i}", "BankAccount", accountNumber=f"62{i:017d}", accountType="bank")
        yield _e(f"bg-o{i}", "Ownership", owner=f"bg-p{i}", asset=f"bg-a{i}", startDate="2015-01-01")
    start = date(2021, 1, 1)
    # a few background people also trade with the debtor's friend, as real statements do
    for i in range(n):
        a = rng.randrange(people)
        b = rng.randrange(people - 1)
        b = b + 1 if b >= a else b
        day = start + timedelta(days=rng.randrange(900), seconds=rng.randrange(86400))
        amount = round(rng.lognormvariate(7.5, 1.2), 2)
        payer, ben, src, dst = f"bg-p{a}", f"bg-p{b}", f"bg-a{a}", f"bg-a{b}"
        if i % 5000 == 0:
            ben, dst = "p-zhao", "acct-zhao"
        yield _e(f"bg-pay{i}", "Payment", payer=payer, beneficiary=ben, payerAccount=src,
                 beneficiaryAccount=dst, amount=amount, currency="CNY",
                 date=day.isoformat(), purpose="转账")


def sample_entities(background_payments: int = 0, *, seed: int = 7, people: int | None = None,
                    sanctions: bool = True) -> Iterator[dict[str, Any]]:
    """Yield the sample case as FtM entities, optionally inside unrelated background payments.

    >>> ents = list(sample_entities())
    >>> sum(e["schema"] == "Payment" for e in ents), sum(e["schema"] == "CourtCase" for e in ents)
    (9, 2)
    """
    yield from _parties()
    yield from _assets()
    yield from (e for e in _case() if sanctions or e["schema"] != "Sanction")
    yield from _links()
    yield from _payments()
    if background_payments:
        pool = people or max(100, min(200_000, background_payments // 10))
        yield from _background(background_payments, seed, pool)
