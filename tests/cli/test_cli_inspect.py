"""`debtorgraph inspect` and multi-file `load` as an officer runs them: a subprocess, real files.

Five of the published exports in tests/fixtures/statements/ are inspected (nothing written),
one layout is saved with --write-mapping and read back with --mapping, and a load of
several files with one unreadable file loads the others and says the load was partial.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "statements"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
FIVE = ["icbc_debit_ddg.csv", "wechat_ddg.csv", "alipay_2023_ddg.csv", "cmb_credit_ddg.csv",
        "bocom_debit_ddg.csv"]


def run(args: list[str], tmp: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess with its own store and home folder."""
    env = dict(os.environ, DEBTORGRAPH_DB=str(tmp / "db"), DEBTORGRAPH_HOME=str(tmp / "home"),
               PYTHONIOENCODING="utf-8")
    env.pop("NEO4J_URI", None)
    proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout}\nstderr:{proc.stderr}")
    return proc


def test_inspect_five_published_exports(tmp_path: Path) -> None:
    """Layout, holder, roles with reasons, three rows as loaded, no rejects; nothing written."""
    proc = run(["inspect", "--json", *[str(HERE / n) for n in FIVE]], tmp_path)
    reports = {r["name"]: r for r in json.loads(proc.stdout)}
    assert set(reports) == set(FIVE)
    for name, rep in reports.items():
        assert rep["recognised"], name
        (table,) = rep["tables"]
        roles = {c["role"] for c in table["columns"]}
        assert "date" in roles and roles & {"amount", "debit", "credit"}, (name, roles)
        assert all(c["why"] for c in table["columns"]), name
        assert rep["rows_loaded"] == EXPECTED[name]["transaction_rows"], name
        assert not rep["rejected"], (name, rep["reject_messages"])
        assert len(rep["sample"]) == 3 and all(s["schema"] == "Payment" for s in rep["sample"])
        first = EXPECTED[name]["rows"][0]
        sample = rep["sample"][0]["properties"]
        assert sample["date"][0][:10] == first["date"] and float(sample["amount"][0]) == first["amount"]
    cmb = reports["cmb_credit_ddg.csv"]["tables"][0]
    assert cmb["convention"] == "sign_spent_positive"  # a card bill: spending is positive
    assert cmb["holder"]["placeholder"] and "cmb_credit_ddg" in cmb["holder"]["name"]
    bocom = {c["header"]: c["role"] for c in reports["bocom_debit_ddg.csv"]["tables"][0]["columns"]}
    assert bocom["借贷"] == "direction" and bocom["对方户名"] == "counterparty_name"
    assert reports["alipay_2023_ddg.csv"]["tables"][0]["holder"]["name"] == "xx"
    assert not (tmp_path / "db").exists()  # inspect writes nothing


def test_inspect_text_and_an_unreadable_file(tmp_path: Path) -> None:
    odd = tmp_path / "说明.txt"
    odd.write_text("请查收附件\n谢谢\n", encoding="utf-8")
    proc = run(["inspect", str(HERE / "boc_debit_ddg.csv"), str(odd)], tmp_path, check=False)
    assert proc.returncode == 3
    assert "== boc_debit_ddg.csv" in proc.stdout and "header row" in proc.stdout
    assert "== 说明.txt" in proc.stdout and "未识别 not recognised" in proc.stdout


def test_write_mapping_and_read_it_back(tmp_path: Path) -> None:
    mapping = tmp_path / "boc.yaml"
    run(["inspect", str(HERE / "boc_debit_ddg.csv"), "--write-mapping", str(mapping)], tmp_path)
    text = mapping.read_text(encoding="utf-8")
    assert "kind: bank_statement" in text and "fields:" in text
    proc = run(["inspect", "--json", "--mapping", str(mapping), str(HERE / "boc_debit_ddg.csv")],
               tmp_path)
    (rep,) = json.loads(proc.stdout)
    assert rep["layout"] == "boc_debit_ddg_layout"
    assert rep["rows_loaded"] == EXPECTED["boc_debit_ddg.csv"]["transaction_rows"]


def test_load_many_files_with_one_unreadable(tmp_path: Path) -> None:
    """The unreadable file is named before anything is written; the others load; exit 3."""
    bad = tmp_path / "扫描件.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    files = [str(HERE / "cmb_debit_ddg.csv"), str(bad), str(HERE / "wechat_ddg.csv")]
    proc = run(["load", "--json", *files], tmp_path, check=False)
    assert proc.returncode == 3, proc.stderr
    assert "扫描件.xlsx" in proc.stderr and "not recognised" in proc.stderr
    report = json.loads(proc.stdout)
    assert report["partial"] and [n["file"] for n in report["not_loaded"]] == [str(bad)]
    assert report["files"] == ["cmb_debit_ddg.csv", "wechat_ddg.csv"]
    assert report["loaded_by_schema"]["Payment"] == (
        EXPECTED["cmb_debit_ddg.csv"]["transaction_rows"] + EXPECTED["wechat_ddg.csv"]["transaction_rows"])
    assert "cmb_debit_ddg.csv" in report["placeholders"]  # no holder in the file: to confirm
    stats = json.loads(run(["stats", "--json"], tmp_path).stdout)
    assert stats["relationships"]["Payment"] == report["loaded_by_schema"]["Payment"]
    text = run(["load", str(bad)], tmp_path, check=False)
    assert text.returncode == 1 and "无法识别" in text.stderr


def test_load_with_holder_and_account(tmp_path: Path) -> None:
    """--holder/--account name the holder of a statement that does not: no placeholder."""
    proc = run(["load", "--json", "--holder", "王建国", "--account", "6225880000001234",
                str(HERE / "cmb_debit_ddg.csv")], tmp_path)
    report = json.loads(proc.stdout)
    assert not report["placeholders"] and not report["partial"]
    (holder,) = report["holders"]["cmb_debit_ddg.csv"]
    assert holder["name"] == "王建国" and holder["account"] == "6225880000001234"
    out = run(["query", "MATCH (p:Entity) WHERE p.schema = 'BankAccount' RETURN p.id, p.caption"],
              tmp_path).stdout
    assert "6225880000001234" in out


@pytest.mark.parametrize("name", ["jd_ddg.csv", "meituan_ddg.csv"])
def test_shop_orders_are_spending(tmp_path: Path, name: str) -> None:
    proc = run(["inspect", "--json", str(HERE / name)], tmp_path)
    (rep,) = json.loads(proc.stdout)
    assert rep["layout"].endswith(name.split("_")[0]) and rep["rows_loaded"] == EXPECTED[name]["transaction_rows"]
