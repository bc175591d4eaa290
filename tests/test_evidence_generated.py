"""Evidence chains for the schemes planted by ``debtorgraph generate`` (truth.jsonl)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from debtorgraph.analysis.evidence import build_chain, render
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm

synthetic = pytest.importorskip("debtorgraph.synthetic", reason="generator not installed")


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, list[dict[str, Any]]]]:
    """A small generated county caseload, loaded; with its planted (not honest) schemes."""
    out = tmp_path_factory.mktemp("caseload")
    synthetic.generate(out, seed=11, debtors=14, payments=1500)
    store = EmbeddedStore(out / "graph")
    ingest = Ingest(store)
    ingest.add(read_ftm(out / "entities.ftm.jsonl"), "entities.ftm.jsonl")
    ingest.commit()
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    yield store, [t for t in truth if not t.get("honest")]
    store.close()


def _truth_findings(planted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(t, id=f"truth-{i}", score=1.0, actor=t["subject"], amount=None, date=None,
                 legal_basis=["Criminal Law art. 313"], explanation=t["rule"], sources=[])
            for i, t in enumerate(planted)]


def chain_for(store: EmbeddedStore, scheme: dict[str, Any], planted: list[dict[str, Any]]
              ) -> tuple[dict[str, Any], bool]:
    """The chain with the real detector's findings; the truth rows stand in while it cannot run.

    Returns the chain and whether the real detector made its findings.
    """
    chain = build_chain(store, scheme["subject"], scheme["case"])
    codes = {g["code"] for g in chain["categories"]["conduct"]["gaps"]}
    if codes & {"no_detector", "detection_failed"}:
        return build_chain(store, scheme["subject"], scheme["case"], findings=_truth_findings(planted)), False
    return chain, True


def test_planted_schemes_give_full_chains(caseload: tuple[EmbeddedStore, list[dict[str, Any]]]) -> None:
    store, planted = caseload
    assert planted, "the generator planted no scheme"
    matched = 0
    for scheme in planted:
        chain, detected = chain_for(store, scheme, planted)
        cats = chain["categories"]
        ents = {k: {e for f in c["facts"] for e in f["entities"]} for k, c in cats.items()}
        assert scheme["subject"] in ents["identity"], scheme["rule"]
        assert scheme["case"] in ents["duty"], scheme["rule"]
        assert cats["ability"]["facts"] and cats["circumstances"]["facts"], scheme["rule"]
        assert [c["id"] for c in chain["cases"]] == [scheme["case"]]
        acts = [f for f in cats["conduct"]["facts"] if f["kind"] == "act" and f["data"]["rule"] == scheme["rule"]]
        if detected and not acts:  # the real detector missed this one: nothing to compare
            continue
        assert acts, scheme["rule"]
        found = {e for f in acts for e in f["entities"]}
        for fact in acts:  # every act and counterparty of the finding is in the chain, with its sources
            assert {a["id"] for a in fact["data"]["acts"]} <= set(fact["entities"])
            assert {c["id"] for c in fact["data"]["counterparties"]} <= set(fact["entities"])
            assert {s["entity"] for s in fact["sources"]} == set(fact["entities"])
        if detected:  # the detector's view of the scheme: it must name some of the planted acts
            assert set(scheme["acts"]) & found, scheme["rule"]
        else:
            assert set(scheme["acts"]) <= found, (scheme["rule"], set(scheme["acts"]) - found)
            assert set(scheme["counterparties"]) <= found, scheme["rule"]
        matched += 1
    assert matched >= max(1, len(planted) // 2)


def test_planted_chain_renders_as_pdf(caseload: tuple[EmbeddedStore, list[dict[str, Any]]], tmp_path: Path) -> None:
    store, planted = caseload
    scheme = planted[0]
    chain, _ = chain_for(store, scheme, planted)
    pdf = render(chain, tmp_path / "p.pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.with_name("p.pdf.sha256").exists()
