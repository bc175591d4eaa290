"""Source layouts as data: YAML mapping files, loaded, checked and matched against a file.

A mapping names a ``kind`` (which record builder reads the rows: ``bank_statement``,
``real_estate``, ...), how to recognise the layout (``detect.header``: header cells that
must all be in one row; ``detect.preamble``: words above the table or in the file name
that prefer this layout), which header cells feed which field (``fields``), what to
capture from the lines above the table (``preamble``: a regex, or a list tried in order,
per field; group 1 is the value) and fixed ``options``. A mapping with several tables (a market-regulation extract
has a company sheet, a shareholder sheet and a change history) lists them under
``tables``; each table has the keys above. Loading checks the whole file, as FtM's
``generate()`` checks its schemata: an unknown kind, field or option is an error.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypedDict

import yaml

from ..errors import InvalidSchema
from .files import Sheet

log = logging.getLogger(__name__)

MAPPINGS_DIR = Path(__file__).parent / "mappings"
_NORMALIZE = re.compile(r"[\s*:：_]")
_UNIT = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]$")


class TableSpec(TypedDict, total=False):
    """One table of a mapping, as written in YAML."""

    kind: str
    detect: dict[str, list[Any]]
    fields: dict[str, str | list[str]]
    preamble: dict[str, str | list[str]]
    options: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """A checked table spec: header alternatives per field, compiled preamble regexes."""

    kind: str
    required: tuple[tuple[str, ...], ...]
    fields: dict[str, tuple[str, ...]]
    preamble: dict[str, tuple[re.Pattern[str], ...]]
    options: dict[str, Any]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    """A source layout: its name, title, publisher and tables; ``path`` is the YAML file."""

    name: str
    title: str
    publisher: str | None
    tables: tuple[Table, ...]
    path: Path | None = None
    priority: int = 0


@dataclass
class Match:
    """Where a table of a mapping sits in a sheet: the header row and its columns."""

    sheet: Sheet
    table: Table
    header_index: int
    header: list[str]
    columns: dict[str, list[int]] = field(default_factory=dict)
    preamble: str = ""
    score: int = 0
    #: fields computed from the table's columns (inferred layouts: split cells, yearless dates)
    derive: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    #: the statement holder found by inference (``infer.holder.Holder``) and the officer's
    holder: Any = None
    given: Any = None
    placeholder: bool = False
    #: what inference found (roles and why, direction convention, app), for ``inspect``
    info: dict[str, Any] = field(default_factory=dict)


def normalize_header(cell: str) -> str:
    """A header cell as compared: NFKC, no spaces, stars, colons or underscores."""
    return _NORMALIZE.sub("", unicodedata.normalize("NFKC", cell or ""))


def _header_keys(cell: str) -> set[str]:
    key = normalize_header(cell)
    return {key, _UNIT.sub("", key)} if key else set()


def _as_names(value: Any, where: str) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise InvalidSchema(f"{where}: expected a header name or a list of names, got {value!r}")
    return tuple(normalize_header(n) for n in names)


def _check_table(spec: dict[str, Any], where: str) -> Table:
    from .kinds import KINDS

    kind = spec.get("kind")
    if kind not in KINDS:
        raise InvalidSchema(f"{where}: unknown kind {kind!r}; known: {', '.join(sorted(KINDS))}")
    known = KINDS[kind]
    fields = {}
    for name, header in (spec.get("fields") or {}).items():
        if name not in known.fields:
            raise InvalidSchema(f"{where}: kind {kind} has no field {name!r}; "
                                f"known: {', '.join(sorted(known.fields))}")
        fields[name] = _as_names(header, f"{where}.fields.{name}")
    detect = spec.get("detect") or {}
    required = tuple(_as_names(h, f"{where}.detect.header") for h in detect.get("header") or [])
    if not required:
        raise InvalidSchema(f"{where}: detect.header must list the header cells of the layout")
    preamble = {}
    for name, patterns in (spec.get("preamble") or {}).items():
        if name not in known.fields:
            raise InvalidSchema(f"{where}: preamble field {name!r} is not a field of {kind}")
        compiled = []
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            try:
                compiled.append(re.compile(pattern))
            except (re.error, TypeError) as exc:
                raise InvalidSchema(f"{where}.preamble.{name}: bad regex {pattern!r}: {exc}") from exc
            if compiled[-1].groups < 1:
                raise InvalidSchema(f"{where}.preamble.{name}: regex {pattern!r} needs a group")
        preamble[name] = tuple(compiled)
    options = dict(spec.get("options") or {})
    unknown = set(options) - set(known.options)
    if unknown:
        raise InvalidSchema(f"{where}: unknown options {sorted(unknown)} for kind {kind}; "
                            f"known: {', '.join(sorted(known.options))}")
    words = tuple(str(w) for w in detect.get("preamble") or [])
    return Table(kind, required, fields, preamble, options, words)


def load_mapping(path: str | Path) -> Mapping:
    """Read and check one mapping file; InvalidSchema names what is wrong and where."""
    path = Path(path)
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidSchema(f"cannot read mapping {path}: {exc}") from exc
    if not isinstance(spec, dict):
        raise InvalidSchema(f"mapping {path} is not a YAML mapping")
    name = str(spec.get("name") or path.stem)
    tables_spec = spec.get("tables") or [{k: spec[k] for k in TableSpec.__annotations__
                                          if k in spec}]
    if not isinstance(tables_spec, list):
        raise InvalidSchema(f"mapping {path}: tables must be a list")
    tables = tuple(_check_table(t, f"{path.name}:tables[{i}]") for i, t in enumerate(tables_spec))
    return Mapping(name, str(spec.get("title") or name), spec.get("publisher"), tables, path,
                   int(spec.get("priority") or 0))


@lru_cache(maxsize=1)
def builtin_mappings() -> tuple[Mapping, ...]:
    """Every mapping shipped in ``loaders/mappings/``, by name."""
    return tuple(load_mapping(p) for p in sorted(MAPPINGS_DIR.glob("*.yaml")))


def match_table(table: Table, sheet: Sheet, file_name: str = "") -> Match | None:
    """The best header row of ``sheet`` for ``table``, or None if no row has every required cell."""
    best: Match | None = None
    for index, row in enumerate(sheet.head):
        keys = [_header_keys(c) for c in row]
        if not all(any(alt in k for k in keys for alt in alts) for alts in table.required):
            continue
        columns: dict[str, list[int]] = {}
        for name, alts in table.fields.items():
            # several columns may feed a field (摘要 + 用途); earlier alternatives first
            cols = [c for alt in alts for c, k in enumerate(keys) if alt in k]
            if cols:
                columns[name] = list(dict.fromkeys(cols))
        preamble = "\n".join(" ".join(c for c in r if c) for r in sheet.head[:index])
        score = 10 * len(table.required) + len(columns)
        if table.words and any(w in preamble or w in file_name for w in table.words):
            score += 50
        if best is None or score > best.score:
            best = Match(sheet, table, index, [c for c in row], columns, preamble, score)
    return best


def match_mapping(mapping: Mapping, sheets: list[Sheet], file_name: str = "") -> list[Match]:
    """For each sheet, the best-matching table of ``mapping`` (sheets with none are left out)."""
    found = []
    for sheet in sheets:
        candidates = [m for t in mapping.tables if (m := match_table(t, sheet, file_name))]
        if candidates:
            found.append(max(candidates, key=lambda m: m.score))
    return found


def choose_mapping(sheets: list[Sheet], file_name: str = "",
                   mapping: str | Path | Mapping | None = None
                   ) -> tuple[Mapping, list[Match]] | None:
    """The mapping that fits the sheets best (or the one given), with its matches."""
    if mapping is not None:
        chosen = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
        matches = match_mapping(chosen, sheets, file_name)
        return (chosen, matches) if matches else None
    best: tuple[int, Mapping, list[Match]] | None = None
    for candidate in builtin_mappings():
        matches = match_mapping(candidate, sheets, file_name)
        if not matches:
            continue
        score = sum(m.score for m in matches) + candidate.priority
        if best is None or score > best[0]:
            best = (score, candidate, matches)
    return (best[1], best[2]) if best else None
