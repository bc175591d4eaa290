"""A small, named enforcement case for evidence-chain examples, tests and the benchmark.

``sister_flat`` (:func:`sample_entities`): debtor 王某某 (``p-wang``) owes 申请人 赵某
(``p-zhao``) RMB 500,000 under (2022)川3338执123号 (``case-1``, effective 2022-01-10).
After the effective date he sells his flat (worth 1,200,000) to his sister 王小妹
(``p-sister``) for 300,000, and after the execution notice wires 200,000 from his
salary account to hers, from where 150,000 goes on to a friend. A second debtor,
钱某 (``p-qian``, ``case-2``), has a case and an account but did nothing wrong: his
chain must say that no act was found.

:func:`sample_findings` gives the two findings a detector would report, in the
Findings format of docs/interchange.md. ``payments`` adds background salary and spending
so that a debtor with thousands of payments can be built for the benchmark.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = ["sample_entities", "sample_findings", "CASE_NUMBER"]

CASE_NUMBER = "(2022)川3338执123号"
_DOCS = {
    "doc-bank": ("Table", "工商银行流水_王某某.csv", "3b0f4e1c0e9a1d2f5a6b7c8d9e0f1a2b3c4d5e6f", "中国工商银行"),
    "doc-court": ("Document", "执行案卷_2022川3338执123号.pdf", "aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00",
                  "得荣县人民法院"),
    "doc-reg": ("Workbook", "不动产登记查询.xlsx", "0123456789abcdef0123456789abcdef01234567", "不动产登记中心"),
}


def _e(id_: str, schema: str, **props: Any) -> dict[str, Any]:
    out = {k: (v if isinstance(v, list) else [str(v)]) for k, v in props.items() if v is not None}
    return {"id": id_, "schema": schema, "properties": out}


def _court(id_: str, schema: str, row: int, **props: Any) -> dict[str, Any]:
    return _e(id_, schema, proof="doc-court", recordId=f"卷宗!{row}", **props)


def sample_entities(payments: int = 0) -> list[dict[str, Any]]:
    """The ``sister_flat`` case as FtM entities (plus ``payments`` background payments)."""
    ents = [_e(k, schema, fileName=name, contentHash=sha1, publisher=pub)
            for k, (schema, name, sha1, pub) in _DOCS.items()]
    ents += [
        _e("p-wang", "Person", name="王某某", idNumber="513338198001011233",
           address="四川省甘孜州得荣县松麦镇1号", phone="+8613912345678", birthDate="1980-01-01",
           proof="doc-court"),
        # the same person again from the bank's KYC file: merged into p-wang by the valid ID
        _e("p-wang-2", "Person", name="王某某", idNumber="513338198001011233", address="成都市武侯区人民南路4段9号",
           proof="doc-bank"),
        _e("p-sister", "Person", name="王小妹", idNumber="513338198503124561", proof="doc-reg"),
        _e("p-friend", "Person", name="李朋友", idNumber="513338195505057890"),  # bad check digit
        _e("p-zhao", "Person", name="赵某", idNumber="110105197001010011", proof="doc-court"),
        _e("p-qian", "Person", name="钱某", idNumber="11010519491231002X", proof="doc-court"),
        _e("c-wang", "Company", name="得荣县王氏商贸有限公司", registrationNumber="91513338MA6200010E",
           capital="1000000", address="得荣县松麦镇2号", proof="doc-court"),
        _e("c-employer", "Company", name="得荣县建筑公司", registrationNumber="91513338MA6200020F"),
        _e("court-1", "PublicBody", name="得荣县人民法院"),
        _e("case-1", "CourtCase", caseNumber=CASE_NUMBER, court="得荣县人民法院", fileDate="2022-03-01",
           status="执行中", proof="doc-court"),
        _e("case-2", "CourtCase", caseNumber="（2023）川3338执45号", court="得荣县人民法院",
           fileDate="2023-02-01", proof="doc-court"),
        _e("acct-wang", "BankAccount", accountNumber="6222020402001234567", bankName="中国工商银行",
           accountType="bank", balance="5000", balanceDate="2021-09-30", proof="doc-bank"),
        _e("acct-sister", "BankAccount", accountNumber="6222020402007654321", bankName="中国工商银行",
           accountType="bank", proof="doc-bank"),
        _e("acct-friend", "BankAccount", accountNumber="6217000010001234", bankName="中国建设银行",
           accountType="bank", proof="doc-bank"),
        _e("acct-court", "BankAccount", accountNumber="51001234500000000001", bankName="中国农业银行",
           accountType="bank"),
        _e("acct-qian", "BankAccount", accountNumber="6222020402009999999", bankName="中国工商银行",
           accountType="bank", balance="800", balanceDate="2023-03-01", proof="doc-bank"),
        _e("re-flat", "RealEstate", titleNumber="川(2015)得荣县不动产权第0001234号",
           address="得荣县松麦镇幸福小区3栋201", area="98", amount="1200000", currency="CNY",
           proof="doc-reg"),
        _e("v-car", "Vehicle", registrationNumber="川V12345", model="大众朗逸", amount="60000",
           proof="doc-reg"),
        # links
        _court("ccp-1", "CourtCaseParty", 1, party="p-wang", case="case-1", role="debtor"),
        _court("ccp-2", "CourtCaseParty", 2, party="p-zhao", case="case-1", role="applicant"),
        _court("ccp-3", "CourtCaseParty", 3, party="p-qian", case="case-2", role="被执行人"),
        _court("ccp-4", "CourtCaseParty", 4, party="p-zhao", case="case-2", role="申请执行人"),
        _court("debt-1", "Debt", 5, debtor="p-wang", creditor="p-zhao", amount="500000", currency="CNY",
               date="2022-01-10", summary=CASE_NUMBER),
        _court("debt-2", "Debt", 6, debtor="p-wang", creditor="p-zhao", amount="480000", currency="CNY",
               date="2023-06-30", summary=CASE_NUMBER, description="balance"),
        _court("debt-3", "Debt", 7, debtor="p-qian", creditor="p-zhao", amount="30000", currency="CNY",
               date="2023-01-05", summary="（2023）川3338执45号"),
        _court("ev-1", "Event", 8, name="lawsuit_served", date="2021-09-01", summary=CASE_NUMBER,
               involved="p-wang", description="(2021)川3338民初88号"),
        _court("ev-2", "Event", 9, name="judgment_effective", date="2022-01-10", summary=CASE_NUMBER,
               involved="p-wang"),
        _court("ev-3", "Event", 10, name="enforcement_filed", date="2022-03-01", summary=CASE_NUMBER,
               involved="p-wang"),
        _court("ev-4", "Event", 11, name="execution_notice", date="2022-03-05", summary=CASE_NUMBER,
               involved="p-wang"),
        _court("ev-5", "Event", 12, name="property_report_order", date="2022-03-05", summary=CASE_NUMBER,
               involved="p-wang"),
        _court("ev-6", "Event", 13, name="enforcement_filed", date="2023-02-01",
               summary="（2023）川3338执45号", involved="p-qian"),
        _court("ev-7", "Event", 14, name="judgment_effective", date="2023-01-05",
               summary="（2023）川3338执45号", involved="p-qian"),
        _court("sx-1", "Sanction", 15, entity="acct-wang", authority="court-1", program="freeze",
               startDate="2022-05-10", summary=CASE_NUMBER),
        _court("sx-2", "Sanction", 16, entity="p-wang", authority="court-1", program="dishonest_listing",
               startDate="2022-06-01", summary=CASE_NUMBER),
        _court("sx-3", "Sanction", 17, entity="p-wang", authority="court-1",
               program="consumption_restriction", startDate="2022-06-01", summary=CASE_NUMBER),
        _e("fam-1", "Family", person="p-wang", relative="p-sister", relationship="sibling",
           proof="doc-reg", recordId="户籍!3"),
        _e("assoc-1", "Associate", person="p-sister", associate="p-friend", relationship="朋友"),
        _e("dir-1", "Directorship", director="p-wang", organization="c-wang", role="法定代表人",
           startDate="2018-05-01", proof="doc-court", recordId="工商!1"),
        _e("emp-1", "Employment", employee="p-wang", employer="c-employer", role="项目经理",
           startDate="2019-01-01", proof="doc-court", recordId="社保!1"),
        _e("own-acct", "Ownership", owner="p-wang", asset="acct-wang", startDate="2015-01-01",
           proof="doc-bank", recordId="开户!1"),
        _e("own-acct-s", "Ownership", owner="p-sister", asset="acct-sister", proof="doc-bank",
           recordId="开户!2"),
        _e("own-acct-f", "Ownership", owner="p-friend", asset="acct-friend"),
        _e("own-acct-c", "Ownership", owner="court-1", asset="acct-court"),
        _e("own-acct-q", "Ownership", owner="p-qian", asset="acct-qian", proof="doc-bank", recordId="开户!3"),
        _e("own-flat-1", "Ownership", owner="p-wang", asset="re-flat", startDate="2015-06-01",
           endDate="2022-02-20", proof="doc-reg", recordId="登记簿!7"),
        _e("own-flat-2", "Ownership", owner="p-sister", asset="re-flat", startDate="2022-02-20",
           sharesValue="300000", sharesCurrency="CNY", legalBasis="sale", proof="doc-reg",
           recordId="登记簿!8"),
        _e("own-car", "Ownership", owner="p-wang", asset="v-car", startDate="2020-03-01", proof="doc-reg",
           recordId="车管!2"),
        _e("own-co", "Ownership", owner="p-wang", asset="c-wang", percentage="60", startDate="2018-05-01",
           proof="doc-court", recordId="工商!2"),
        _pay("pay-1", "p-wang", "p-sister", "acct-wang", "acct-sister", 200000, "2022-04-10T10:20:00",
             "转账", 901),
        _pay("pay-2", "p-sister", "p-friend", "acct-sister", "acct-friend", 150000, "2022-04-12T09:00:00",
             "还款", 902),
        _pay("pay-3", "p-wang", "court-1", "acct-wang", "acct-court", 20000, "2022-08-01", "执行款", 903),
        _pay("pay-4", "p-qian", "p-qian", "acct-qian", None, 500, "2023-03-02", "取现", 904),
    ]
    ents += _salary_and_spending(payments)
    return ents


def _pay(id_: str, payer: str, beneficiary: str, src: str | None, dst: str | None, amount: float,
         when: str, purpose: str, seq: int) -> dict[str, Any]:
    return _e(id_, "Payment", payer=payer, beneficiary=beneficiary, payerAccount=src,
              beneficiaryAccount=dst, amount=f"{amount:.2f}", currency="CNY", date=when,
              purpose=purpose, sequenceNumber=str(seq), proof="doc-bank", recordId=f"明细!{seq}")


def _salary_and_spending(extra: int) -> list[dict[str, Any]]:
    """Monthly salary 2021-10 .. 2022-12 (15 payments), plus ``extra`` small card payments."""
    out = []
    for i in range(15):
        year, month = 2021 + (9 + i) // 12, (9 + i) % 12 + 1
        out.append(_pay(f"pay-sal-{i + 1:02d}", "c-employer", "p-wang", None, "acct-wang", 18000,
                        f"{year}-{month:02d}-05", "工资", 100 + i))
    # one inflow large enough for the 200,000 transfer and the 20,000 payment to the court
    out.append(_pay("pay-in-1", "c-employer", "p-wang", None, "acct-wang", 150000, "2022-04-01",
                    "项目奖金", 130))
    if extra:
        out.append(_e("p-shop", "Company", name="得荣县超市"))
        start = date(2022, 1, 11)
        for i in range(extra):
            when = start + timedelta(days=(i * 7) % 700)
            out.append(_pay(f"pay-bg-{i:06d}", "p-wang", "p-shop", "acct-wang", None, 10 + i % 90,
                            when.isoformat(), "消费", 10_000 + i))
    return out


def sample_findings() -> list[dict[str, Any]]:
    """The two findings on ``p-wang`` that a detector reports (docs/interchange.md Findings format)."""
    return [
        {"id": "fd-flat", "rule": "undervalue_sale", "score": 0.92, "subject": "p-wang",
         "actor": "p-wang", "case": "case-1", "acts": ["own-flat-1", "own-flat-2", "fam-1"],
         "counterparties": ["p-sister"], "amount": 300000.0, "date": "2022-02-20",
         "legal_basis": ["Criminal Law art. 313", "Civil Code art. 539", "法释〔2023〕13号 art. 42"],
         "explanation": "生效后将房产以市值的25%转让给其妹。/ Flat sold to his sister at 25% of market value "
                        "after the judgment became effective.",
         "sources": [{"act": "own-flat-1", "proof": {"id": "doc-reg", "fileName": "不动产登记查询.xlsx"},
                      "recordId": "登记簿!7"}]},
        {"id": "fd-pay", "rule": "related_party_payment", "score": 0.85, "subject": "p-wang",
         "actor": "p-wang", "case": "case-1", "acts": ["pay-1"], "counterparties": ["p-sister"],
         "amount": 200000.0, "date": "2022-04-10",
         "legal_basis": ["Criminal Law art. 313", "Civil Code art. 538"],
         "explanation": "执行通知后向其妹转账20万元。/ 200,000 wired to his sister after the execution notice.",
         "sources": [{"act": "pay-1", "proof": {"id": "doc-bank"}, "recordId": "明细!901"}]},
    ]
