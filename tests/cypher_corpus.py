"""Every Cypher text the product can send to a store, gathered for the Neo4j checks.

- every UPPER_SNAKE module constant of the ``debtorgraph`` package whose value (or the
  items of a tuple/list value) is a Cypher statement: the queries library, detection
  rules, evidence, the app's queries, the CLI's;
- the Neo4j store's own statements: ``init_schema``, the reads, every statement of a
  load of :func:`neo4j_standin.sample_batch` (one transaction and batched), and the
  compensating delete, as recorded by the driver stand-in.

Streamlit entry scripts (``debtorgraph.app``, ``debtorgraph.pages.*``) run on import and
are skipped; their queries live in importable modules. The embedded store's DDL and COPY
are ladybug-only by design and are built inside functions, so they are not constants.
"""
from __future__ import annotations

import ast
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import debtorgraph

_CLAUSE = re.compile(r"^\s*(MATCH|OPTIONAL\s+MATCH|UNWIND|WITH|RETURN|CALL|CREATE|MERGE|USE|CYPHER)\b",
                     re.I)
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SKIP = ("debtorgraph.app", "debtorgraph.pages", "debtorgraph.__main__")


@dataclass(frozen=True)
class Text:
    name: str    # module.CONSTANT (or store:what)
    cypher: str


def _is_cypher(value: object) -> bool:
    return isinstance(value, str) and bool(_CLAUSE.match(value)) and (" " in value.strip())


def product_modules() -> tuple[list[str], dict[str, str]]:
    """Names of the importable product modules, and the ones that failed to import (with why).

    Walks the package folder itself, so sub-folders without ``__init__.py`` count too.
    """
    root = Path(debtorgraph.__file__).parent
    names, failed = [], {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name.startswith(_SKIP) or "-" in name:
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:  # reported by the tests, never hidden
            failed[name] = f"{type(exc).__name__}: {exc}"
            continue
        names.append(name)
    return names, failed


def _assigned(module: ModuleType) -> set[str]:
    """Names a module assigns at its top level (not the ones it imports)."""
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        out.update(t.id for t in targets if isinstance(t, ast.Name))
    return out


def library_texts() -> list[Text]:
    """UPPER_SNAKE Cypher constants defined in the product's modules (each text once)."""
    seen: dict[str, Text] = {}
    modules, _ = product_modules()
    for mod_name in modules:
        module = sys.modules[mod_name]
        own = _assigned(module)
        for attr, value in vars(module).items():
            if not _CONSTANT.match(attr) or attr not in own:
                continue
            values = list(value) if isinstance(value, (tuple, list)) else [value]
            for i, item in enumerate(values):
                if not _is_cypher(item):
                    continue
                name = f"{mod_name}.{attr}" + (f"[{i}]" if len(values) > 1 else "")
                seen.setdefault(item, Text(name, item))
    return sorted(seen.values(), key=lambda t: t.name)


def store_texts(tmp_path: object = None) -> list[Text]:
    """What the Neo4j store itself sends, recorded through the driver stand-in."""
    from neo4j_standin import sample_batch, standin_driver

    from debtorgraph.graph.store.neo4j import Neo4jStore

    out: dict[str, Text] = {}

    def keep(prefix: str, texts: list[str]) -> None:
        for i, text in enumerate(texts):
            out.setdefault(text, Text(f"store:{prefix}[{i}]", text))

    driver, log = standin_driver()
    store = Neo4jStore(driver, "neo4j")
    store.init_schema()
    keep("init_schema", [c.args[0] for c in driver.execute_query.call_args_list])
    store.lookup_records(["a"])
    store.lookup_party_keys(["ric:1"])
    store.count_records()
    keep("reads", log.texts("read"))
    n = len(log.sent)
    store.write(sample_batch(tmp_path))
    keep("write_one_transaction", log.texts()[n:])
    driver2, log2 = standin_driver()
    Neo4jStore(driver2, "neo4j", atomic_rows=0).write(sample_batch(tmp_path))
    keep("write_batched", log2.texts())
    driver3, log3 = standin_driver()
    Neo4jStore(driver3, "neo4j").delete_load("L1")
    keep("delete_load", log3.texts())
    return sorted(out.values(), key=lambda t: t.name)


def all_texts(tmp_path: object = None) -> list[Text]:
    """Library constants, then the store's statements (duplicates dropped)."""
    seen: dict[str, Text] = {}
    for text in library_texts() + store_texts(tmp_path):
        seen.setdefault(text.cypher, text)
    return list(seen.values())
