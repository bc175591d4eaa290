"""Evidence chains for refusal to execute (拒不执行判决、裁定罪, Criminal Law art. 313).

:func:`build_chain` gathers, for one debtor and case, the facts a referral to the police
must prove (法发〔2025〕8号 para. 4), grouped in five categories: identity 身份, duty
执行义务, ability 履行能力, conduct 拒不执行行为, circumstances and consequences 情节与后果.
Every fact names its input entity ids and its sources (the ``proof`` document with its
hash, the ``recordId`` row, the ``file:line`` it was loaded from). The chain also holds
the figures' data, the provisions cited, the art. 541 revocation deadlines, a property
clue list (财产线索) and a manifest (hashes, tool version, command).

The chain is a plain dict; :func:`render_json`, :func:`render_pdf`, :func:`render_html`
and :func:`render_docx` write it out. Same inputs give byte-identical JSON, PDF and DOCX:
nothing in a chain comes from the clock; its "as of" date is the latest date in the
debtor's data, and dates the DOCX's zip entries and core properties too.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Iterable

import orjson

from ... import __version__
from ...errors import InvalidInput
from .ability import ability_facts, read_holdings
from .case import Context, duty_facts, identity_facts, load_context
from .conduct import conduct_facts, rule_name
from .consequences import (circumstances_facts, compute_unpaid, property_clues,
                                    revocation_deadlines)
from .facts import CATEGORIES, money
from .flows import money_flows, timeline
from .law import RULE_PROVISIONS, cite, provision_key
from .store import EvidenceGraph

log = logging.getLogger(__name__)

__all__ = ["FORMAT", "build_chain", "render", "render_json", "render_pdf", "render_html", "render_docx",
           "chain_bytes", "CATEGORIES"]

FORMAT = "debtorgraph-evidence/1"
#: Provisions every chain cites: the offence, the checklist, the start of the duty, ability.
BASE_PROVISIONS = {"CrimL-313": ["duty.1"], "FF2025-8": [], "GC-71": [], "I24-5": []}


def build_chain(store: Any, debtor_id: str | None = None, case_id: str | None = None, *,
                findings: Iterable[dict[str, Any]] | None = None, command: str | None = None,
                source_dirs: Iterable[str | Path] = (), debtor: str | None = None,
                case: str | None = None) -> dict[str, Any]:
    """Build the evidence chain of one debtor (and case) from the store.

    Parameters
    ----------
    store : Store
        An open store (embedded or Neo4j).
    debtor_id : str
        The debtor's entity id as given in the input (a merged party's id works too).
    case_id : str, optional
        The CourtCase id; without it, every case in which the party is the debtor.
    findings : iterable of dict, optional
        Findings in the docs/interchange.md format; without them, detection is run.
    command : str, optional
        The command that made the chain, for the manifest.
    source_dirs : iterable of path
        Folders where the source files may be found, to hash them (SHA-256).
    debtor, case : str, optional
        Other names of ``debtor_id`` and ``case_id`` (as the app passes them).

    Returns
    -------
    dict
        The chain: ``format``, ``debtor``, ``cases``, ``as_of``, ``summary``,
        ``categories`` (five, each with ``facts`` and ``gaps``), ``figures``,
        ``provisions``, ``revocation_deadlines``, ``property_clues``, ``sources``,
        ``manifest``.

    Raises
    ------
    NodeNotFound
        Unknown debtor or case id.
    InvalidInput
        The id is not a party, the party is no debtor in any case, or not in ``case_id``.

    Examples
    --------
    >>> import tempfile, orjson
    >>> from debtorgraph.graph.store.embedded import EmbeddedStore
    >>> from debtorgraph.graph.ingest import Ingest
    >>> from debtorgraph.loaders.ftm import read_ftm
    >>> from debtorgraph.analysis.evidence.sample import sample_entities, sample_findings
    >>> tmp = tempfile.mkdtemp()
    >>> _ = open(f"{tmp}/s.jsonl", "wb").write(b"".join(orjson.dumps(e) + b"\\n" for e in sample_entities()))
    >>> store = EmbeddedStore(f"{tmp}/db")
    >>> ingest = Ingest(store); ingest.add(read_ftm(f"{tmp}/s.jsonl"), "s.jsonl"); _ = ingest.commit()
    >>> chain = build_chain(store, "p-wang", "case-1", findings=sample_findings())
    >>> [len(c["facts"]) > 0 for c in chain["categories"].values()]
    [True, True, True, True, True]
    >>> chain["cases"][0]["effective_date"], chain["categories"]["conduct"]["facts"][0]["entities"][:2]
    ('2022-01-10', ['own-flat-1', 'own-flat-2'])
    >>> store.close()
    """
    debtor_id = debtor_id or debtor
    case_id = case_id or case
    if not debtor_id:
        raise InvalidInput("缺少被执行人 id：请给出 --debtor。 / No debtor id given: pass --debtor.", {"debtor": None})
    graph = EvidenceGraph(store)
    ctx = load_context(graph, debtor_id, case_id)
    ctx.findings = select_findings(ctx, list(findings) if findings is not None else run_detection(store, ctx))
    identity_facts(ctx)
    duty_facts(ctx)
    read_holdings(ctx)
    compute_unpaid(ctx)
    ability_facts(ctx)
    conduct_facts(ctx)
    ctx.extra["as_of"] = max(ctx.dates) if ctx.dates else None
    cites = circumstances_facts(ctx)
    flows = money_flows(ctx)
    figures = [timeline(ctx), *flows]
    revocation = revocation_deadlines(ctx)
    clues = property_clues(ctx, flows)
    documents = ctx.facts.attach_sources()
    chain: dict[str, Any] = {
        "format": FORMAT,
        "title_zh": "拒不执行判决、裁定罪证据材料", "title_en": "Evidence chain: refusal to execute a judgment",
        "debtor": {"id": debtor_id, "canonical": ctx.canonical, "schema": ctx.schema, "name": ctx.name,
                   "merged_ids": sorted(ctx.ids - {ctx.canonical, debtor_id})},
        "cases": [{k: c[k] for k in ("id", "case_number", "court", "file_date", "status", "role",
                                     "effective_date", "effective_source")}
                  | {"applicants": c["applicants"]} for c in ctx.cases],
        "as_of": ctx.extra["as_of"],
        "findings": [f.get("id") for f in ctx.findings],
        "no_findings": not ctx.findings,
        "summary": _summary(ctx),
        "categories": ctx.facts.as_dict(),
        "figures": figures,
        "provisions": cite(_provision_keys(ctx, cites, revocation)),
        "revocation_deadlines": revocation,
        "property_clues": clues,
        "sources": documents,
    }
    chain["manifest"] = manifest(chain, command or f"build_chain(store, {debtor_id!r}, {case_id!r})",
                                 list(source_dirs), ctx)
    log.info("evidence chain for %s: %d facts, %d findings", debtor_id,
             sum(len(c["facts"]) for c in chain["categories"].values()), len(ctx.findings))
    return chain


def select_findings(ctx: Context, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings about this debtor (and case), in date order. Leads (what only says
    "check this", detect --leads) are not evidence and stay out."""
    case_ids = {c["id"] for c in ctx.cases}
    keep = [f for f in findings if f.get("subject") in ctx.ids and not f.get("lead")
            and (not f.get("case") or f.get("case") in case_ids)]
    return sorted(keep, key=lambda f: (str(f.get("date") or ""), str(f.get("id") or "")))


def run_detection(store: Any, ctx: Context) -> list[dict[str, Any]]:
    """Findings of :func:`debtorgraph.analysis.detect.detect` for this debtor, from the
    threshold ``detect`` shows findings at (a score under it is no finding to cite).

    Detection runs on the debtor's neighbourhood only, with ``today`` fixed to the latest
    date of the case data (never the clock), so the chain stays reproducible. When the
    detector fails, the conduct category records that as a gap.
    """
    from datetime import date

    from ..detect import DEFAULT_THRESHOLD, detect
    from ..neighbourhood.store import StoreSource  # the detector's view of a store

    today = max(ctx.dates) if ctx.dates else None
    try:
        result = detect(StoreSource(store), subjects=[ctx.canonical],
                        case=ctx.cases[0]["id"] if len(ctx.cases) == 1 else None,
                        today=date.fromisoformat(today) if today else None,
                        min_score=DEFAULT_THRESHOLD)  # what detect shows is what the chain cites
    except Exception as exc:  # a detector failure must not lose the rest of the chain: show it
        log.warning("detection for %s failed: %s", ctx.canonical, exc)
        ctx.facts.gap("conduct", "detection_failed", f"检测运行失败：{exc}", f"detection failed: {exc}")
        return []
    return [f.as_dict() for f in result]


def _provision_keys(ctx: Context, cites: dict[str, list[str]], revocation: list[dict[str, Any]]
                    ) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {k: list(v) for k, v in BASE_PROVISIONS.items()}
    eff = [f["id"] for f in ctx.facts.facts["duty"] if f["kind"] == "effective"]
    keys["GC-71"] += eff
    keys["I24-5"] += [f["id"] for f in ctx.facts.facts["ability"] if f["kind"] == "summary"]
    for fact in ctx.facts.facts["conduct"]:
        if fact["kind"] == "report_scope":
            keys.setdefault("CPL-252", []).append(fact["id"])
        if fact["kind"] != "act":
            continue
        for basis in fact["data"].get("legal_basis", []):
            keys.setdefault(provision_key(basis), []).append(fact["id"])
        for key in RULE_PROVISIONS.get(fact["data"]["rule"] or "", []):
            keys.setdefault(key, []).append(fact["id"])
    for key, ids in cites.items():
        keys.setdefault(key, []).extend(ids)
    for item in revocation:
        for key in (item["article"], "CC-541", "CC-542"):
            keys.setdefault(key, []).append(item["fact"])
    return keys


def _summary(ctx: Context) -> dict[str, str]:
    numbers = "、".join(c["case_number"] or c["id"] for c in ctx.cases)
    eff = ctx.effective_date or "（缺少生效日期）"
    unpaid = ctx.extra.get("unpaid")
    acts = [f for f in ctx.facts.facts["conduct"] if f["kind"] == "act"]
    total = sum(f["amount"] or 0 for f in acts)
    rules = "、".join(sorted({rule_name(f["data"]["rule"] or "")[0] for f in acts}))
    if acts:
        zh = (f"{ctx.name}（{ctx.canonical}）为 {numbers} 的被执行人，判决于 {eff} 生效，未履行金额 {money(unpaid)}。"
              f"生效后其名下财产及账户显示有履行能力，却实施 {len(acts)} 项行为（{rules}），涉及金额 {money(total)}。")
        en = (f"{ctx.name} ({ctx.canonical}) is the debtor in {numbers}; the judgment became effective on "
              f"{ctx.effective_date or '(no effective date)'}; unpaid {money(unpaid)}. {len(acts)} acts found, "
              f"involving {money(total)}.")
    else:
        zh = (f"{ctx.name}（{ctx.canonical}）为 {numbers} 的被执行人，判决于 {eff} 生效，未履行金额 {money(unpaid)}。"
              "检测规则未发现拒不执行行为。")
        en = (f"{ctx.name} ({ctx.canonical}) is the debtor in {numbers}; unpaid {money(unpaid)}. "
              "No act of refusal was found by the detection rules.")
    return {"zh": zh, "en": en}


# -- manifest and JSON ------------------------------------------------------------------
def _hash_file(path: Path) -> tuple[str, str]:
    sha256, sha1 = hashlib.sha256(), hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha256.update(block)
            sha1.update(block)
    return sha256.hexdigest(), sha1.hexdigest()


def manifest(chain: dict[str, Any], command: str, source_dirs: list[str | Path], ctx: Context) -> dict[str, Any]:
    """Hashes of the source files named (SHA-256 where the file is at hand), tool, command."""
    named: dict[str, dict[str, Any]] = {}
    for doc in chain["sources"]:
        if doc["file_name"]:
            named[doc["file_name"]] = {"file_name": doc["file_name"], "document": doc["document"],
                                       "recorded_sha1": doc["content_hash"]}
    for cat in chain["categories"].values():
        for fact in cat["facts"]:
            for src in fact["sources"]:
                origin = (src["origin"] or "").rpartition(":")[0] or src["origin"]
                if origin and origin not in named:
                    named[origin] = {"file_name": origin, "document": None, "recorded_sha1": None}
    files = []
    for name in sorted(named):
        entry = dict(named[name], sha256=None, sha1=None, found=False)
        for folder in source_dirs:
            path = Path(folder) / name
            if path.is_file():
                entry["sha256"], entry["sha1"] = _hash_file(path)
                entry["found"] = True
                if entry["recorded_sha1"]:
                    entry["matches_recorded"] = entry["sha1"] == entry["recorded_sha1"].lower()
                break
        files.append(entry)
    out = {"tool": "debtorgraph", "version": __version__, "command": command,
           "inputs": {"debtor": chain["debtor"]["id"], "cases": [c["id"] for c in chain["cases"]]},
           "source_files": files, "content_sha256": None,
           "note_zh": "content_sha256 为本材料（除该字段外）规范 JSON 的 SHA-256；输出文件自身的 SHA-256 写在同名 .sha256 文件中",
           "note_en": "content_sha256 is the SHA-256 of this chain's canonical JSON (without this field); "
                      "each output file's own SHA-256 is written beside it in a .sha256 file"}
    chain["manifest"] = out
    out["content_sha256"] = hashlib.sha256(chain_bytes(chain)).hexdigest()
    return out


def chain_bytes(chain: dict[str, Any]) -> bytes:
    """The chain's JSON, indented, keys in the order built (byte-identical for the same inputs)."""
    return orjson.dumps(chain, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def write_digest(path: str | Path) -> str:
    """Write ``<path>.sha256`` (``sha256sum`` format) beside an output file; return the digest."""
    p = Path(path)
    digest = _hash_file(p)[0]
    Path(str(p) + ".sha256").write_text(f"{digest}  {p.name}\n", encoding="utf-8")
    return digest


def _finish(data: bytes, path: str | Path | None) -> Any:
    """Write ``data`` (and its ``.sha256``) to ``path``; without a path return the bytes."""
    if path is None:
        return data
    p = Path(path)
    p.write_bytes(data)
    write_digest(p)
    return p


def render_json(chain: dict[str, Any], path: str | Path | None = None) -> Any:
    """The chain as JSON: written to ``path`` (plus ``.sha256``), or returned as bytes."""
    return _finish(chain_bytes(chain), path)


def render_pdf(chain: dict[str, Any], path: str | Path | None = None) -> Any:
    """The chain as a PDF in Chinese (embedded CJK font; figures as images)."""
    from .pdf import pdf_bytes

    return _finish(pdf_bytes(chain), path)


def render_html(chain: dict[str, Any], path: str | Path | None = None) -> Any:
    """The chain as one self-contained HTML file (figures inline, no network)."""
    from .html import html_text

    return _finish(html_text(chain).encode("utf-8"), path)


def render_docx(chain: dict[str, Any], path: str | Path | None = None) -> Any:
    """The chain as a Word document (DOCX) in Chinese."""
    from .docx import docx_bytes

    return _finish(docx_bytes(chain), path)


RENDERERS = {"json": render_json, "pdf": render_pdf, "html": render_html, "docx": render_docx}


def render(chain: dict[str, Any], path: str | Path | None, fmt: str) -> Any:
    """Write the chain in ``fmt`` (json, pdf, html, docx) to ``path``, or return the bytes."""
    if fmt not in RENDERERS:
        raise InvalidInput(f"不支持的格式 {fmt!r}：可选 {', '.join(RENDERERS)} / unknown format {fmt!r}", {"format": fmt})
    return RENDERERS[fmt](chain, path)
