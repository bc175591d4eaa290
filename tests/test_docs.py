"""Issue 17 item 11: the documents the help texts and the README name are in the repository."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from debtorgraph.cli import main

REPO = Path(__file__).resolve().parents[1]
DOC = re.compile(r"(?<![\w/])((?:docs/|debtorgraph/)?[\w./-]*?[\w-]+\.md)\b")


def _exists(name: str) -> bool:
    return (REPO / name).is_file() or (REPO / "docs" / name).is_file()


def test_every_document_named_in_help_exists() -> None:
    missing = []
    for name, cmd in main.commands.items():
        text = CliRunner().invoke(main, [name, "--help"]).output
        missing += [f"{name}: {d}" for d in DOC.findall(text) if not _exists(d)]
        for sub in getattr(cmd, "commands", {}):
            text = CliRunner().invoke(main, [name, sub, "--help"]).output
            missing += [f"{name} {sub}: {d}" for d in DOC.findall(text) if not _exists(d)]
    assert missing == []


def test_help_names_documents_by_their_path() -> None:
    text = CliRunner().invoke(main, ["trace", "--help"]).output
    assert "docs/tracing.md" in text and "docs/interchange.md" in " ".join(text.split())


def test_every_document_named_in_the_readme_exists_and_the_store_is_a_file() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [d for d in DOC.findall(readme) if not _exists(d)] == []
    assert "(a folder" not in readme and "store folder" not in readme
