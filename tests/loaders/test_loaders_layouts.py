"""One test per source layout: real entity content (amounts, directions, dates, ids, proof)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

from debtorgraph.loaders.base import Reject, Row
from debtorgraph.loaders.ids import account_id, make_id, party_id
from debtorgraph.loaders.sources import detect_layout, read_source
from fixtures_loaders import writers as W

LINKS = {"Payment", "Ownership", "Family", "Event", "Sanction", "CourtCaseParty", "Debt",
         "Directorship", "Employment"}


def load(path: Path, **kw: Any) -> dict[str, Any]:
    """Read a file; check the item contract and FtM validity; index what came out."""
    items = list(read_source(path, **kw))
    doc = items[0]
    assert isinstance(doc, Row) and doc.derived
    assert doc.entity["schema"] in ("Table", "Workbook", "Document")
    doc_id = doc.entity["id"]
    rows = [i for i in items[1:] if isinstance(i, Row)]
    for row in [doc] + rows:
        e = row.entity
        schema = model.get(e["schema"])
        assert schema is not None and not schema.abstract, e
        for prop, values in e["properties"].items():
            p = schema.get(prop)
            assert p is not None and not p.stub, (e["schema"], prop)
            for v in values:
                assert isinstance(v, str) and p.type.validate(v), (e["schema"], prop, v)
        proxy = model.get_proxy(e)
        assert sum(len(v) for v in proxy.to_dict()["properties"].values()) == \
            sum(len(v) for v in e["properties"].values()), e
        if row is not doc:
            assert e["properties"]["proof"] == [doc_id], e
        if e["schema"] in LINKS:
            assert e["properties"].get("recordId"), e
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_schema.setdefault(row.entity["schema"], []).append(row.entity)
    return {"items": items, "doc": doc.entity, "rows": rows, "schema": by_schema,
            "main": [i for i in items[1:] if not (isinstance(i, Row) and i.derived)],
            "rejects": [i for i in items if isinstance(i, Reject)]}


def props(entity: dict[str, Any]) -> dict[str, list[str]]:
    return entity["properties"]


def one(out: dict[str, Any], schema: str, **match: str) -> dict[str, Any]:
    found = [e for e in out["schema"].get(schema, [])
             if all(v in props(e).get(k, []) for k, v in match.items())]
    assert found, (schema, match)
    return found[0]


HOLDER = party_id(W.DEBTOR, None, (W.DEBTOR_ACCT,))
SISTER = party_id(W.SISTER, None, (W.SISTER_ACCT,))


def test_icbc_xlsx_income_expense_columns(tmp_path: Path) -> None:
    path = W.icbc_xlsx(tmp_path)
    assert detect_layout(path).name == "icbc_statement"  # type: ignore[union-attr]
    out = load(path)
    assert out["doc"]["properties"]["fileName"] == ["工行流水.xlsx"]
    assert out["doc"]["properties"]["mimeType"][0].endswith("spreadsheetml.sheet")
    assert len(out["main"]) == 3 and not out["rejects"]  # 合计, blank and note rows skipped
    pay = one(out, "Payment", recordId="明细!5")
    p = props(pay)
    assert p["amount"] == ["50000"] and p["date"] == ["2023-05-01T10:01:02"]
    assert p["payer"] == [HOLDER] and p["beneficiary"] == [SISTER]
    assert p["payerAccount"] == [account_id(W.DEBTOR_ACCT)]
    assert p["beneficiaryAccount"] == [account_id(W.SISTER_ACCT)]
    assert p["publisher"] == ["中国工商银行"]
    cash = props(one(out, "Payment", recordId="明细!6"))
    assert cash["payer"] == cash["beneficiary"] == [HOLDER]
    assert "beneficiaryAccount" not in cash and "取款" in cash["purpose"][0]
    income = props(one(out, "Payment", recordId="明细!7"))
    assert income["beneficiary"] == [HOLDER] and income["amount"] == ["1000"]
    acct = [e for e in out["schema"]["BankAccount"] if "balance" in props(e)]
    assert props(acct[0])["balance"] == ["149000"]
    assert props(acct[0])["balanceDate"] == ["2023-05-03"]


def test_abc_gbk_csv_signed_amounts_and_rejects(tmp_path: Path) -> None:
    out = load(W.abc_csv(tmp_path))
    assert out["doc"]["schema"] == "Table" and out["doc"]["properties"]["encoding"] == ["gbk"]
    assert len(out["main"]) == 4
    first = props(one(out, "Payment", recordId="row 4"))
    assert first["payer"] == [HOLDER] and first["beneficiary"] == [SISTER]
    assert first["date"] == ["2023-05-01T10:01:05"] and first["transactionNumber"] == ["ABC001"]
    assert first["purpose"] == ["转账 借款"]
    cash = props(one(out, "Payment", recordId="row 5"))
    assert cash["payer"] == cash["beneficiary"] == [SISTER] and "支取" in cash["purpose"][0]
    neg = props(one(out, "Payment", recordId="row 6"))  # （1,000.00） is an outflow
    assert neg["amount"] == ["1000"] and neg["payer"] == [SISTER]
    (bad,) = out["rejects"]
    assert bad.origin.row == 7 and bad.column == "交易时间" and bad.reason == "bad_value"
    assert "农行流水.csv" in bad.message_zh and "第7行" in bad.message_zh


def test_boc_xls_direction_flag(tmp_path: Path) -> None:
    pytest.importorskip("xlwt")
    pytest.importorskip("xlrd")
    out = load(W.boc_xls(tmp_path))
    assert out["doc"]["schema"] == "Workbook"
    out_pay = props(one(out, "Payment", recordId="Sheet1!4"))
    assert out_pay["amount"] == ["8000"]  # full-width ８，０００．００
    assert out_pay["beneficiary"] == [SISTER] and out_pay["date"] == ["2023-06-01T14:30:00"]
    in_pay = props(one(out, "Payment", recordId="Sheet1!5"))
    assert in_pay["amount"] == ["12000.5"] and in_pay["payerAccount"] == [
        account_id("6222020200009999999")]


def test_boc_statement_saved_as_html_xls(tmp_path: Path) -> None:
    """An HTML page with a .xls name (GBK, spanned cells) reads like the real workbook."""
    from debtorgraph.loaders.files import read_sheets

    path = W.boc_html_xls(tmp_path)
    (sheet,), encoding = read_sheets(path)
    assert encoding == "gbk" and sheet.name == "table1"
    assert sheet.head[1][:4] == [f"客户名称：{W.DEBTOR}"] * 3 + ["账号：6216610100001234567"]
    assert sheet.head[2][:4] == [f"客户名称：{W.DEBTOR}"] * 3 + ["打印日期：2023-07-01"]  # rowspan
    out = load(path)
    out_pay = props(one(out, "Payment", recordId="table1!5"))
    assert out_pay["amount"] == ["8000"] and out_pay["beneficiary"] == [SISTER]
    assert out_pay["date"] == ["2023-06-01T14:30:00"]
    in_pay = props(one(out, "Payment", recordId="table1!6"))
    assert in_pay["amount"] == ["12000.5"] and in_pay["payerAccount"] == [
        account_id("6222020200009999999")]
    assert not out["rejects"]


def test_ccb_xlsx_serial_dates_and_wan(tmp_path: Path) -> None:
    out = load(W.ccb_xlsx(tmp_path))
    first = props(one(out, "Payment", recordId="交易明细!4"))
    assert first["date"] == ["2023-05-01T10:01:02"] and first["amount"] == ["50000"]
    assert first["payer"] == [HOLDER] and first["beneficiary"] == [SISTER]
    second = props(one(out, "Payment", recordId="交易明细!5"))
    assert second["date"] == ["2023-05-08T16:00:00"] and second["payer"] == [SISTER]


def test_rcb_gb18030_per_row_holder_and_cash_deposit(tmp_path: Path) -> None:
    out = load(W.rcb_csv(tmp_path))
    assert len(out["main"]) == 3  # 小计 skipped
    holder = party_id(W.DEBTOR, None, ("6214000000000001",))
    first = props(one(out, "Payment", recordId="row 4"))
    assert first["payer"] == [holder] and first["amount"] == ["20000"]
    deposit = props(one(out, "Payment", recordId="row 6"))
    assert deposit["payer"] == deposit["beneficiary"] == [holder]
    assert "payerAccount" not in deposit and "存现" in deposit["purpose"][0]
    bank = one(out, "BankAccount", accountNumber="6214000000000001")
    assert props(bank)["bankName"] == ["成都农村商业银行春熙支行"]


def test_wechat_bill(tmp_path: Path) -> None:
    out = load(W.wechat_csv(tmp_path))
    assert detect_layout(W.wechat_csv(tmp_path)).name == "wechat_bill"  # type: ignore[union-attr]
    assert len(out["main"]) == 3
    acct = one(out, "BankAccount", accountType="wechat")
    transfer = props(one(out, "Payment", transactionNumber="1000050001202303010001"))
    assert transfer["amount"] == ["20000"] and transfer["payerAccount"] == [acct["id"]]
    assert transfer["date"] == ["2023-03-01T20:00:00"] and "purpose" not in transfer
    meal = props(one(out, "Payment", transactionNumber="4200001234202303020002"))
    assert meal["amount"] == ["25.5"] and meal["purpose"] == ["美团订单"]
    withdraw = props(one(out, "Payment", transactionNumber="1000060001202303030003"))
    assert withdraw["payer"] == withdraw["beneficiary"]  # 零钱提现 to one's own card


def test_alipay_bill(tmp_path: Path) -> None:
    out = load(W.alipay_csv(tmp_path))
    assert out["doc"]["properties"]["encoding"] == ["gbk"]
    assert len(out["main"]) == 2  # trailer lines are notes, not rows
    pay = props(one(out, "Payment", transactionNumber="2023030122001411111111111111"))
    assert pay["amount"] == ["30000"] and pay["date"] == ["2023-03-01T10:00:05"]
    assert one(out, "BankAccount", accountType="alipay")["id"] in pay["payerAccount"]
    (closed,) = out["rejects"]
    assert closed.column == "交易状态" and "交易关闭" in closed.message_zh
    # a closed deal is no mistake in the file: the message says so rather than asking for a fix
    assert closed.reason == "not_completed" and "无需处理" in closed.message_zh and "请改" not in closed.message_zh


def test_real_estate(tmp_path: Path) -> None:
    out = load(W.real_estate_xlsx(tmp_path))
    home = one(out, "RealEstate", titleNumber="川(2021)成都市不动产权第0123456号")
    assert props(home)["area"] == ["89.5"] and props(home)["encumbrance"] == ["抵押"]
    debtor = party_id(W.DEBTOR, W.DEBTOR_ID)
    own = props(one(out, "Ownership", asset=home["id"]))
    assert own["owner"] == [debtor] and own["startDate"] == ["2021-03-15"]
    assert own["legalBasis"] == ["sale"] and own["sharesValue"] == ["1200000"]
    seal = props(one(out, "Sanction", entity=home["id"]))
    assert seal["program"] == ["seizure"] and seal["startDate"] == ["2023-06-01"]
    assert seal["summary"] == ["(2022)川3338执123号"] and seal["recordId"] == ["查询结果!4"]
    gift = props(one(out, "Ownership", legalBasis="gift"))
    assert gift["startDate"] == ["2023-06-20"] and "sharesValue" not in gift
    # the sister's ID number fails its check digit: kept as written, but not the id alone
    sister = one(out, "Person", name=W.SISTER)
    assert props(sister)["idNumber"] == [W.SISTER_ID]
    assert sister["id"] != make_id("party", "ric", W.SISTER_ID)
    assert len(out["schema"]["Sanction"]) == 1


def test_vehicle(tmp_path: Path) -> None:
    out = load(W.vehicle_csv(tmp_path))
    car = one(out, "Vehicle", registrationNumber="川A12345")
    assert car["id"] == make_id("vehicle", "川A12345")
    assert props(car)["model"] == ["宝马 BMW7201"]
    own = props(one(out, "Ownership", asset=car["id"]))
    assert own["owner"] == [party_id(W.DEBTOR, W.DEBTOR_ID)] and own["startDate"] == ["2020-01-10"]
    seal = props(one(out, "Sanction", entity=car["id"]))
    assert seal["program"] == ["seizure"] and seal["startDate"] == ["2023-06-05"]
    assert len(out["schema"]["Sanction"]) == 1


def test_housing_fund(tmp_path: Path) -> None:
    out = load(W.housing_fund_xlsx(tmp_path))
    acct = props(one(out, "BankAccount", accountType="housing_fund"))
    assert acct["balance"] == ["86500.3"] and acct["balanceDate"] == ["2023-08-01"]
    person = props(one(out, "Person", idNumber=W.DEBTOR_ID))
    assert person["phone"] == ["+8613912345678"]
    assert props(one(out, "Sanction"))["program"] == ["freeze"]
    assert out["schema"]["Employment"]


def test_samr_extract_with_change_history(tmp_path: Path) -> None:
    out = load(W.samr_xlsx(tmp_path))
    company = one(out, "Company", registrationNumber=W.USCC)
    assert company["id"] == party_id(W.COMPANY, W.USCC)
    assert props(company)["capital"] == ["1000000"]
    rep = props(one(out, "Directorship", role="法定代表人", startDate="2023-06-10"))
    assert rep["organization"] == [company["id"]]
    seller = props(one(out, "Ownership", endDate="2023-06-10"))
    assert seller["percentage"] == ["60"] and seller["recordId"] == ["变更记录!2"]
    buyer = one(out, "Ownership", startDate="2023-06-10")
    assert props(buyer)["legalBasis"] == ["sale"] and props(buyer)["sharesValue"] == ["1"]
    current = one(out, "Ownership", recordId="股东及出资信息!2")
    assert current["id"] == buyer["id"]  # the change record dates the current stake
    assert "认缴出资额 600000 元" in props(current)["description"][0]
    assert len(out["main"]) == 1 + 2 + 3


def test_household(tmp_path: Path) -> None:
    out = load(W.household_csv(tmp_path))
    head = party_id(W.DEBTOR, W.DEBTOR_ID)
    assert len(out["main"]) == 3
    wife = props(one(out, "Family", relationship="spouse"))
    assert wife["person"] == [head]
    son = props(one(out, "Family", relationship="child"))
    assert son["person"] == [head] and son["recordId"] == ["row 4"]
    assert props(one(out, "Person", idNumber=W.DEBTOR_ID))["birthDate"] == ["1949-12-31"]


def test_marriage_then_divorce_is_one_family_link(tmp_path: Path) -> None:
    out = load(W.marriage_xlsx(tmp_path))
    links = out["schema"]["Family"]
    assert len(links) == 2 and links[0]["id"] == links[1]["id"]
    assert props(links[0])["startDate"] == ["1975-10-01"]
    assert props(links[1])["endDate"] == ["2023-05-20"]
    assert props(links[0])["relationship"] == ["spouse"]


def test_case_list(tmp_path: Path) -> None:
    out = load(W.cases_xlsx(tmp_path))
    case = one(out, "CourtCase")
    assert case["id"] == make_id("case", "(2022)川3338执123号")
    assert props(case)["fileDate"] == ["2022-09-01"]
    debtor = party_id(W.DEBTOR, W.DEBTOR_ID)
    assert props(one(out, "CourtCaseParty", role="debtor"))["party"] == [debtor]
    debt = props(one(out, "Debt", amount="500000"))  # 执行标的(万元) 50
    assert debt["date"] == ["2022-07-15"] and debt["summary"] == ["(2022)川3338执123号"]
    assert props(one(out, "Debt", description="balance"))["amount"] == ["480000"]
    names = {props(e)["name"][0]: props(e)["date"][0] for e in out["schema"]["Event"]}
    assert names == {"enforcement_filed": "2022-09-01", "judgment_effective": "2022-07-15",
                     "termination": "2023-08-30"}
    assert one(out, "PublicBody", name="得荣县人民法院")


def test_measures_list(tmp_path: Path) -> None:
    out = load(W.measures_csv(tmp_path))
    assert len(out["main"]) == 6
    freeze = props(one(out, "Sanction", program="freeze"))
    assert freeze["entity"] == [account_id(W.DEBTOR_ACCT)] and freeze["startDate"] == ["2022-09-10"]
    assert freeze["authority"] == ["得荣县人民法院"]
    seizure = props(one(out, "Sanction", program="seizure"))
    assert seizure["entity"] == [make_id("re", "title", "川(2021)成都市不动产权第0123456号")]
    debtor = party_id(W.DEBTOR, W.DEBTOR_ID)
    assert props(one(out, "Sanction", program="dishonest_listing"))["entity"] == [debtor]
    assert props(one(out, "Sanction", program="consumption_restriction"))["entity"] == [debtor]
    assert props(one(out, "Event", name="execution_notice"))["date"] == ["2022-09-05"]
    (bad,) = out["rejects"]
    assert bad.reason == "unknown_value" and "拍照" in bad.message_zh


def test_same_fact_from_two_files_has_one_id(tmp_path: Path) -> None:
    """The registry's seizure and the court's measure list name one Sanction, one RealEstate."""
    estate = load(W.real_estate_xlsx(tmp_path))
    measures = load(W.measures_csv(tmp_path))
    assert one(estate, "Sanction")["id"] == one(measures, "Sanction", program="seizure")["id"]
    assert {e["id"] for e in estate["schema"]["RealEstate"]} >= {
        e["id"] for e in measures["schema"]["RealEstate"]}


def test_divorce_and_remarriage_are_two_family_links(tmp_path: Path) -> None:
    """结婚 2005, 离婚 2015, 复婚 2018, 离婚 2023 (after the lawsuit): two marriages, each with
    its own dates, so the second divorce is not hidden behind the first one."""
    path = W.write_xlsx(tmp_path / "婚姻登记.xlsx", {"婚姻登记": [
        ["男方姓名", "男方身份证件号", "女方姓名", "女方身份证件号", "登记类型", "登记日期", "登记机关"],
        [W.DEBTOR, W.DEBTOR_ID, "刘某", "", "结婚登记", "2005-10-01", "锦江区民政局"],
        ["刘某", "", W.DEBTOR, W.DEBTOR_ID, "离婚登记", "2015-03-02", "锦江区民政局"],
        [W.DEBTOR, W.DEBTOR_ID, "刘某", "", "复婚登记", "2018-08-08", "锦江区民政局"],
        [W.DEBTOR, W.DEBTOR_ID, "刘某", "", "补发结婚证", "2020-01-01", "锦江区民政局"],
        [W.DEBTOR, W.DEBTOR_ID, "刘某", "", "离婚登记", "2023-05-20", "锦江区民政局"],
    ]})
    out = load(path)
    by_id: dict[str, dict[str, set[str]]] = {}
    for link in out["schema"]["Family"]:
        merged = by_id.setdefault(link["id"], {})
        for key in ("startDate", "endDate"):
            merged.setdefault(key, set()).update(props(link).get(key, []))
    assert sorted((sorted(m["startDate"]), sorted(m["endDate"])) for m in by_id.values()) == [
        (["2005-10-01"], ["2015-03-02"]), (["2018-08-08"], ["2023-05-20"])]


def test_alipay_counterparties_with_an_account_are_not_keyed_by_nickname(tmp_path: Path) -> None:
    """Two people both called 小王 in a newer Alipay export (with 对方账号) stay two parties;
    without the column the nickname is all there is, and they are one."""
    def row(*cells: str) -> str:
        return ",".join(f"{c:<20}" for c in cells) + ","

    def bill(name: str, with_account: bool) -> Path:
        head = ["交易号", "交易创建时间", "付款时间", "类型", "交易对方"] + (["对方账号"] if with_account else [])
        head += ["商品名称", "金额（元）", "收/支", "交易状态"]
        lines = ["支付宝交易记录明细查询", "账号:[wang@example.com]", row(*head)]
        for k, acct in enumerate(("138****1111", "139****2222")):
            cells = [f"20230301220014{k:014d}", "2023-03-01 10:00:00", "2023-03-01 10:00:05",
                     "即时到账交易", "小王"] + ([acct] if with_account else [])
            cells += ["转账", f"{1000 + k}.00", "支出", "交易成功"]
            lines.append(row(*cells))
        return W.write_csv(tmp_path / name, lines, encoding="gbk")

    def payees(path: Path) -> set[str]:
        out = load(path)
        return {props(p)["beneficiary"][0] for p in out["schema"]["Payment"]}

    assert len(payees(bill("alipay_new.csv", True))) == 2
    assert len(payees(bill("alipay_old.csv", False))) == 1
