"""Lazy bridges from the app to the analysis, security and query-library modules.

Those modules are written beside the app and may be missing from a build. Each bridge
imports its module on first use and raises :class:`Unavailable` (with the module name)
when it is not there, so a page can say so clearly instead of failing; results are
normalised to the plain dict forms of interchange.md (findings, traces, evidence facts).
Masking and CSV cell neutralising fall back to a local minimum when the security module
is absent: personal data is never shown unmasked by accident.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import logging
import re
from typing import Any, Callable

log = logging.getLogger(__name__)

__all__ = ["Unavailable", "plain", "run_detection", "run_trace", "build_evidence", "library_queries",
           "mask_entity", "mask_value", "mask_text", "mask_caption", "neutralise_formula", "run_user_query"]


class Unavailable(RuntimeError):
    """An optional module of the product is not installed (yet)."""

    def __init__(self, module: str, feature: str) -> None:
        super().__init__(f"{module} is not available")
        self.module = module
        self.feature = feature


def _module(name: str, feature: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise Unavailable(name, feature) from exc
        raise


def _function(module: Any, names: tuple[str, ...], feature: str) -> Callable[..., Any]:
    for name in names:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    raise Unavailable(f"{module.__name__}.{names[0]}", feature)


def plain(obj: Any) -> Any:
    """A result object as plain JSON-ready data (dataclasses, ``as_dict``, dates, sets)."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [plain(v) for v in obj]
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    for method in ("as_dict", "to_dict", "model_dump", "dict"):
        fn = getattr(obj, method, None)
        if callable(fn):
            try:
                return plain(fn())
            except TypeError:
                continue
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return plain(dataclasses.asdict(obj))
    return str(obj)


def _call(fn: Callable[..., Any], store: Any, **kwargs: Any) -> Any:
    """Call ``fn(store, ...)`` passing only the keyword arguments it accepts."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn(store, **kwargs)
    if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        return fn(store, **kwargs)
    accepted = {k: v for k, v in kwargs.items() if k in sig.parameters}
    return fn(store, **accepted)


# -- detection -----------------------------------------------------------------------
def run_detection(store: Any, subjects: list[str] | None = None) -> list[dict[str, Any]]:
    """Findings (interchange.md fields), best score first: of every debtor, or of ``subjects``."""
    mod = _module("debtorgraph.analysis.detect", "detect")
    fn = _function(mod, ("detect", "run_detection", "detect_all", "run"), "detect")
    source: Any = store
    if not hasattr(store, "debtors"):  # detect reads a Source: the store's adapter, where it exists
        pull = _module("debtorgraph.analysis.neighbourhood.store", "detect")
        source = _function(pull, ("StoreSource",), "detect")(store)  # the shared store: calls stay locked
    result = _call(fn, source, subjects=subjects) if subjects is not None else _call(fn, source)
    if isinstance(result, dict) and "findings" in result:
        result = result["findings"]
    findings = [f for f in (plain(x) for x in (result or [])) if isinstance(f, dict)]
    findings.sort(key=lambda f: (-(float(f.get("score") or 0)), str(f.get("id"))))
    return findings


# -- tracing -------------------------------------------------------------------------
TRACE_RULES = ("libr", "fifo", "pro_rata", "greedy")


def run_trace(store: Any, source: str, rule: str, since: str | None, until: str | None) -> dict[str, Any]:
    """A trace (interchange.md form), plus ``range`` (LIBR–greedy rows) and ``truncated``.

    The payments around the source are read once, as ``debtorgraph trace`` reads them
    (:func:`debtorgraph.analysis.tracing.store.read_trace_inputs`), and handed to
    :func:`debtorgraph.analysis.tracing.trace` and ``trace_range``. ``truncated`` says that
    some parties with very many payments (hubs) were not followed.
    """
    mod = _module("debtorgraph.analysis.tracing", "tracing")
    fn = _function(mod, ("trace",), "tracing")
    reader = _module("debtorgraph.analysis.tracing.store", "tracing")
    start = since or "0001-01-01"
    data = reader.read_trace_inputs(store, source, start, until)
    kwargs = {"ownerships": data.ownerships, "accounts": data.accounts or None}
    out = plain(fn(data.transfers, data.canonical, start, until, rule=rule, **kwargs))
    ranged = getattr(mod, "trace_range", None)
    if callable(ranged):
        out["range"] = plain(ranged(data.transfers, data.canonical, start, until, **kwargs))["endpoints"]
    out["source"] = source
    out["truncated"] = bool(data.hubs)
    out.setdefault("endpoints", [])
    return out


# -- evidence ------------------------------------------------------------------------
def build_evidence(store: Any, debtor: str, case: str | None,
                   findings: list[dict[str, Any]] | None = None) -> Any:
    """The evidence chain for a debtor (and case), as the evidence module builds it.

    ``findings`` (already detected by the app) are handed over, so detection runs once.
    """
    mod = _module("debtorgraph.analysis.evidence", "evidence")
    fn = _function(mod, ("build_chain", "build_evidence"), "evidence")
    kwargs: dict[str, Any] = {"debtor": debtor, "case": case, "command": "debtorgraph app (evidence page)"}
    if findings is not None:
        kwargs["findings"] = findings
    return _call(fn, store, **kwargs)


def render_evidence(packet: Any, fmt: str) -> bytes:
    """The chain as ``pdf``, ``docx``, ``html`` or ``json`` bytes (the evidence module's renderers)."""
    import json

    mod = _module("debtorgraph.analysis.evidence", "evidence")
    fn = getattr(mod, f"render_{fmt}", None)
    if callable(fn):
        data = fn(packet)
        if isinstance(data, str):
            return data.encode("utf-8")
        return bytes(data.getvalue()) if hasattr(data, "getvalue") else bytes(data)
    if fmt == "json":
        return json.dumps(plain(packet), ensure_ascii=False, indent=2).encode("utf-8")
    raise Unavailable(f"debtorgraph.analysis.evidence.render_{fmt}", "evidence")


# -- query library -------------------------------------------------------------------
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def library_queries() -> list[dict[str, Any]]:
    """The named queries: name, title, description, cypher, params (name -> default)."""
    mod = _module("debtorgraph.queries.library", "library")
    raw: Any = None
    for name in ("QUERIES", "LIBRARY", "queries", "list_queries", "all_queries"):
        raw = getattr(mod, name, None)
        if raw is not None:
            break
    if callable(raw):
        raw = raw()
    if raw is None:
        raise Unavailable("debtorgraph.queries.library.QUERIES", "library")
    items = raw.items() if isinstance(raw, dict) else ((None, q) for q in raw)
    out = []
    for key, q in items:
        d = plain(q) if not isinstance(q, str) else {"cypher": q}
        if not isinstance(d, dict):
            continue
        cypher = d.get("cypher") or d.get("query") or d.get("text") or ""
        name = d.get("name") or key or cypher[:30]
        params = d.get("params") or d.get("parameters") or {}
        if isinstance(params, (list, tuple)):
            params = {str(p.get("name") if isinstance(p, dict) else p):
                      (p.get("default") if isinstance(p, dict) else None) for p in params}
        for p in _PARAM.findall(cypher):
            params.setdefault(p, None)
        out.append({"name": str(name), "title": d.get("title") or d.get("label") or str(name),
                    "title_en": d.get("title_en") or d.get("title") or str(name),
                    "description": d.get("description") or d.get("help") or d.get("doc") or "",
                    "description_zh": d.get("description_zh") or d.get("description") or "",
                    "cypher": cypher, "params": params})
    return out


def run_user_query(store: Any, cypher: str, params: dict[str, Any], *, timeout_ms: int,
                   max_rows: int) -> Any:
    """The product's read-only runner (guard, time limit, row cap)."""
    from ..queries.run import run_user_query as runner

    return runner(store, cypher, params, timeout_ms=timeout_ms, max_rows=max_rows)


# -- masking and export cells ------------------------------------------------------------
_DIGITS = re.compile(r"\d{7,}[\dXx]?")


def _fallback_mask(text: str) -> str:
    return _DIGITS.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 7) + m.group(0)[-4:], text)


def mask_entity(entity: dict[str, Any]) -> dict[str, Any]:
    """An FtM entity with personal identifiers masked (security.masking, else a local mask)."""
    try:
        from ..security.masking import mask_entity as real
    except ImportError:
        props = {k: [_fallback_mask(str(v)) for v in vs] for k, vs in entity.get("properties", {}).items()}
        return {**entity, "properties": props}
    return real(entity)


def mask_value(prop: str, value: Any) -> Any:
    """One property value masked as :func:`mask_entity` would."""
    try:
        from ..security.masking import mask_value as real
    except ImportError:
        return _fallback_mask(str(value)) if value is not None else value
    return real(prop, value)


def mask_text(text: str) -> str:
    """Identifiers found in free text masked."""
    try:
        from ..security.masking import mask_text as real
    except ImportError:
        return _fallback_mask(text)
    return real(text)


_ID_PROPS = ("accountNumber", "iban", "idNumber", "phone", "registrationNumber")


def mask_caption(schema: str | None, caption: str, props: dict[str, list[str]] | None = None) -> str:
    """A display name with identifiers masked: an account shown by its number, an ID in a name.

    >>> mask_caption("BankAccount", "6222021234567890123", {"accountNumber": ["6222021234567890123"]})
    '***************0123'
    >>> mask_caption("Person", "王建国")
    '王建国'
    """
    if not caption:
        return caption
    if schema == "BankAccount":
        if props is None or any(caption in props.get(p, []) for p in _ID_PROPS):
            return str(mask_value("accountNumber", caption))
    elif schema in ("Person", "LegalEntity") and props and any(caption in props.get(p, []) for p in _ID_PROPS):
        return str(mask_value("idNumber", caption))
    return mask_text(caption)


def neutralise_formula(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula."""
    try:
        from ..security.sanitize import neutralise_formula as real
    except ImportError:
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
        return value
    return real(value)
