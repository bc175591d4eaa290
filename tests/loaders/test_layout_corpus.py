"""Statement layouts as courts receive them: every variant of the corpus loads row for row.

The corpus (tests/layouts/) is generated once per session into a temp folder.  Each variant
is loaded through the public entry point `read_any` (a black box here) and compared with its
expected truth: every transaction a Payment with the right date, amount, direction,
counterparty and holder; footers, subtotals and notices give neither a Payment nor a Reject.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from layouts.axes import PYTHON_CODECS, available_axes
from layouts.checks import compare
from layouts.generator import Written, plan_variants, write_corpus

VARIANTS = plan_variants()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Written]:
    """The whole corpus, written once per session: variant id -> files."""
    out = tmp_path_factory.mktemp("layouts")
    return {w.variant.id: w for w in write_corpus(out)}


def _truth(written: Written) -> dict:
    """The expected truth of a variant."""
    return json.loads(written.truth_path.read_text(encoding="utf-8"))


def _load(written: Written) -> tuple[list[dict], list[str], str]:
    """Entities, Reject descriptions and layout name that `read_any` gives for a variant."""
    from debtorgraph.loaders import read_any

    items, layout_name = read_any(written.path)
    entities, rejects = [], []
    for item in items:
        kind = type(item).__name__
        if kind == "Row":
            entities.append(item.entity)
        elif kind == "Reject":
            rejects.append(f"{item.reason}: {item.message_en} at {item.origin}")
        else:
            rejects.append(f"unexpected item type {kind}: {item!r}")
    return entities, rejects, layout_name


# One case per variant; the id names the value of each axis (see tests/layouts/README.md).
@pytest.mark.parametrize("variant_id", [v.id for v in VARIANTS])
def test_layout_loads_every_row(corpus: dict[str, Written], variant_id: str) -> None:
    written = corpus[variant_id]
    truth = _truth(written)
    try:
        entities, rejects, _ = _load(written)
    except Exception as exc:  # the loader's failure is the finding; name it with the variant
        pytest.fail(f"{variant_id}: read_any({written.path.name}) raised {type(exc).__name__}: {exc}")
    problems = compare(variant_id, entities, rejects, truth)
    assert not problems, f"{len(problems)} problem(s) in {written.path.name}:\n" + "\n".join(problems)


def test_corpus_covers_every_axis_value_and_header() -> None:
    """The covering selection uses every value of every axis and every header spelling."""
    assert len(VARIANTS) >= 60
    for axis, values in available_axes().items():
        used = {v.axes[axis] for v in VARIANTS}
        assert used == set(values), f"axis {axis}: values never used: {set(values) - used}"


def _file_text(written: Written) -> str:
    """Every cell of a generated file as one text (spreadsheets read with openpyxl / xlrd)."""
    fmt, encoding = written.variant.axes["format"], written.variant.axes["encoding"]
    if fmt.startswith("xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(written.path)
        return "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    if fmt == "biff_xls":
        import xlrd

        book = xlrd.open_workbook(str(written.path))
        return "\n".join(str(c) for sh in book.sheets() for r in range(sh.nrows) for c in sh.row_values(r))
    return written.path.read_bytes().decode(PYTHON_CODECS[encoding])


def test_corpus_files_hold_what_the_truth_says(corpus: dict[str, Written]) -> None:
    """Sanity of the generator: 5-15 rows; holder and account written exactly where the truth says."""
    for variant_id, written in corpus.items():
        truth = _truth(written)
        assert 5 <= len(truth["rows"]) <= 15, variant_id
        axes, drawn = truth["axes"], truth["drawn"]
        assert (drawn["holder"] in written.path.name) == (axes["preamble"] == "filename"), variant_id
        text = _file_text(written)
        in_file = axes["preamble"] not in ("filename", "anonymous")
        assert (drawn["holder"] in text) == in_file, f"{variant_id}: holder name in the file: {not in_file}"
        assert (drawn["account"] in text) == in_file, f"{variant_id}: holder account in the file: {not in_file}"
        for n, row in enumerate(truth["rows"], start=1):
            assert row["counterparty"]["name"] is None or row["counterparty"]["name"] in text, (variant_id, n)


def _ideal_load(truth: dict) -> list[dict]:
    """The entities a perfect loader would give for a truth record (to test the checker)."""
    holder = {"id": "holder", "schema": "Person", "properties": {"name": [truth["holder"]["name"] or "未知户名"]}}
    out = [holder]
    if truth["holder"]["account"]:
        out.append({"id": "holder-acct", "schema": "BankAccount",
                    "properties": {"accountNumber": [truth["holder"]["account"]]}})
    for n, row in enumerate(truth["rows"]):
        cp, cp_acct = f"cp-{n}", f"cp-acct-{n}"
        out.append({"id": cp, "schema": "LegalEntity", "properties": {"name": [row["counterparty"]["name"] or "?"]}})
        if row["counterparty"]["account"]:
            out.append({"id": cp_acct, "schema": "BankAccount",
                        "properties": {"accountNumber": [row["counterparty"]["account"]]}})
        payer, beneficiary = ("holder", cp) if row["direction"] == "out" else (cp, "holder")
        props = {"payer": [payer], "beneficiary": [beneficiary], "amount": [f"{row['amount']:.2f}"],
                 "date": [row["date"]]}
        acct = "holder-acct" if truth["holder"]["account"] else None
        other = cp_acct if row["counterparty"]["account"] else None
        pa, ba = (acct, other) if row["direction"] == "out" else (other, acct)
        props.update({k: [v] for k, v in (("payerAccount", pa), ("beneficiaryAccount", ba)) if v})
        out.append({"id": f"pay-{n}", "schema": "Payment", "properties": props})
    return out


def test_checker_passes_a_perfect_load_and_names_each_error(corpus: dict[str, Written]) -> None:
    """The comparison is silent on a perfect load and reports reversed, missing and extra rows."""
    for variant_id, written in corpus.items():
        truth = _truth(written)
        assert compare(variant_id, _ideal_load(truth), [], truth) == [], variant_id
    written = next(w for w in corpus.values() if _truth(w)["holder"]["name"] and
                   any(r["direction"] == "out" and r["counterparty"]["name"] for r in _truth(w)["rows"]))
    truth = _truth(written)
    first_out = next(n for n, r in enumerate(truth["rows"]) if r["direction"] == "out" and r["counterparty"]["name"])
    broken = _ideal_load(truth)
    pay = next(e for e in broken if e["id"] == f"pay-{first_out}")["properties"]
    pay["payer"], pay["beneficiary"] = pay["beneficiary"], pay["payer"]  # reversed direction
    pay["date"] = ["1999-01-01"]
    broken = [e for e in broken if e["id"] != "pay-0" or first_out == 0]   # a row lost
    broken.append({"id": "footer", "schema": "Payment", "properties": {"amount": ["12345678.90"]}})
    text = "\n".join(compare("v", broken, ["footer: 合计"], truth))
    assert "direction reversed" in text and "date '1999-01-01'" in text, text
    assert "extra Payment amount '12345678.90'" in text and "rejected: footer" in text, text
    assert first_out == 0 or "row 1 " in text and "not loaded" in text, text


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the debtorgraph CLI in a subprocess."""
    return subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _cli_variants() -> list[str]:
    """Three variants of different containers for the CLI round trip: GBK CSV, several sheets, HTML."""
    picks = []
    for test in (lambda a: a["format"] == "csv" and a["encoding"] == "gbk",
                 lambda a: a["format"] == "xlsx_multi",
                 lambda a: a["format"] == "html_xls"):
        picks.append(next(v.id for v in VARIANTS if test(v.axes)))
    return picks


def _by_source(entities: list[dict], corpus: dict[str, Written], variant_ids: list[str]) -> dict[str, list[dict]]:
    """Per variant, the exported entities with only the Payments whose `proof` is that variant's file.

    Files are told apart by `contentHash` (SHA-1) of the document entity that `proof` names
    (interchange.md, Provenance); a Payment without a known source goes to the key "?".
    """
    hash_of = {hashlib.sha1(corpus[v].path.read_bytes()).hexdigest(): v for v in variant_ids}
    doc_variant = {e["id"]: hash_of.get(h) for e in entities for h in e["properties"].get("contentHash", [])}
    shared = [e for e in entities if e["schema"] != "Payment"]
    out: dict[str, list[dict]] = {v: list(shared) for v in [*variant_ids, "?"]}
    for e in entities:
        if e["schema"] == "Payment":
            sources = {doc_variant.get(p) for p in e["properties"].get("proof", [])} - {None}
            out[sources.pop() if len(sources) == 1 else "?"].append(e)
    return out


def test_cli_load_and_export(corpus: dict[str, Written], tmp_path: Path) -> None:
    """`load FILES --json` then `export --format ftm` keeps every transaction of three variants."""
    variant_ids = _cli_variants()
    db, rejects_file, out = tmp_path / "db", tmp_path / "rejects.jsonl", tmp_path / "export.ftm.jsonl"
    load = _cli("--db", str(db), "load", *[str(corpus[v].path) for v in variant_ids], "--json",
                "--rejects", str(rejects_file), cwd=tmp_path)
    assert load.returncode == 0, f"load {variant_ids} exited {load.returncode}: {load.stderr.strip()[-600:]}"
    report = json.loads(load.stdout)
    export = _cli("--db", str(db), "export", "--format", "ftm", "-o", str(out), cwd=tmp_path)
    assert export.returncode == 0, f"export exited {export.returncode}: {export.stderr.strip()[-600:]}"
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    rejects = [r for r in (rejects_file.read_text(encoding="utf-8").splitlines() if rejects_file.exists() else [])
               if r.strip()]
    problems = [f"cli: rejected ({len(rejects)} in the load report {report.get('rejected')!r}): {r[:300]}"
                for r in rejects]
    split = _by_source(entities, corpus, variant_ids)
    problems += [f"cli: Payment {e['id']} names no single corpus file in proof: {e['properties'].get('proof')}"
                 for e in split.pop("?") if e["schema"] == "Payment"]
    for variant_id in variant_ids:
        problems += compare(f"cli {variant_id}", split[variant_id], [], _truth(corpus[variant_id]))
    assert not problems, "\n".join(problems)
