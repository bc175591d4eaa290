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


def chain_for(store: EmbeddedStore, scheme: dict[str, Any]) -> dict[str, Any]:
    """The chain with the real detector's findings; the detector must have run."""
    chain = build_chain(store, scheme["subject"], scheme["case"])
    codes = {g["code"] for g in chain["categories"]["conduct"]["gaps"]}
    assert not codes & {"no_detector", "detection_failed"}, chain["categories"]["conduct"]["gaps"]
    return chain


def test_planted_schemes_give_full_chains(caseload: tuple[EmbeddedStore, list[dict[str, Any]]]) -> None:
    store, planted = caseload
    assert planted, "the generator planted no scheme"
    matched = 0
    for scheme in planted:
        chain = chain_for(store, scheme)
        cats = chain["categories"]
        ents = {k: {e for f in c["facts"] for e in f["entities"]} for k, c in cats.items()}
        assert scheme["subject"] in ents["identity"], scheme["rule"]
        assert scheme["case"] in ents["duty"], scheme["rule"]
        assert cats["ability"]["facts"] and cats["circumstances"]["facts"], scheme["rule"]
        assert [c["id"] for c in chain["cases"]] == [scheme["case"]]
        acts = [f for f in cats["conduct"]["facts"] if f["kind"] == "act" and f["data"]["rule"] == scheme["rule"]]
        if scheme["rule"] == "unreported_property":  # always a lead: a chain leaves leads out
            assert not acts
            matched += 1
            continue
        assert acts, scheme["rule"]  # the detector found the planted scheme
        found = {e for f in acts for e in f["entities"]}
        for fact in acts:  # every act and counterparty of the finding is in the chain, with its sources
            assert {a["id"] for a in fact["data"]["acts"]} <= set(fact["entities"])
            assert {c["id"] for c in fact["data"]["counterparties"]} <= set(fact["entities"])
            assert {s["entity"] for s in fact["sources"]} == set(fact["entities"])
        assert set(scheme["acts"]) & found, scheme["rule"]  # it names some of the planted acts
        matched += 1
    assert matched == len(planted)


def test_planted_chain_renders_as_pdf(caseload: tuple[EmbeddedStore, list[dict[str, Any]]], tmp_path: Path) -> None:
    store, planted = caseload
    scheme = planted[0]
    chain = chain_for(store, scheme)
    pdf = render(chain, tmp_path / "p.pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.with_name("p.pdf.sha256").exists()
