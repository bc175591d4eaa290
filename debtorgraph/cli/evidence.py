"""``debtorgraph evidence``: the evidence packet a prosecutor files for refusal to execute."""
from __future__ import annotations

import logging
import shlex
from pathlib import Path
from typing import Any

import click

from ..errors import DebtorGraphError

log = logging.getLogger(__name__)


def _read_findings(path: str) -> list[dict[str, Any]]:
    """Findings from a JSON-lines file (``debtorgraph detect`` output) or a JSON list."""
    import orjson

    from ..errors import InvalidInput

    text = Path(path).read_bytes().strip()
    if text.startswith(b"["):
        return list(orjson.loads(text))
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise InvalidInput(f"{path} 第 {n} 行不是合法的 JSON：{exc} / line {n} of {path} is not JSON",
                                   {"line": n}) from exc
    return out


@click.command("evidence")
@click.option("--debtor", required=True, help="被执行人 id（输入中的 id）/ the debtor's entity id.")
@click.option("--case", "case_id", default=None, help="案件 id（CourtCase）；不给则含其全部案件 / the case id.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "html", "docx"]), default="pdf",
              show_default=True)
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False), help="输出文件 / output file.")
@click.option("--findings", type=click.Path(exists=True, dir_okay=False), default=None,
              help="已有的检测结果（JSON lines）；不给则现场检测 / findings file instead of running detection.")
@click.option("--sources", "source_dirs", multiple=True, type=click.Path(file_okay=False),
              help="源文件所在目录，用于计算 SHA-256（可多次）/ folder holding the source files (repeatable).")
@click.pass_obj
def evidence(obj: Any, debtor: str, case_id: str | None, fmt: str, out: str, findings: str | None,
             source_dirs: tuple[str, ...]) -> None:
    """证据材料 / build the evidence chain of a debtor (five categories, 法发〔2025〕8号).

    Writes the packet in Chinese (PDF, DOCX, HTML) or as JSON, plus OUT.sha256. With
    accounts on, ID, phone and account numbers are masked unless an investigator or
    prosecutor gives the reason with `debtorgraph --why "..." evidence ...`.
    The same store and options give the same JSON bytes and the same PDF.

    \b
    Example:
      debtorgraph evidence --debtor p-000029 --case case-000003 --format pdf --out 证据材料.pdf
    """
    from ..analysis.evidence import build_chain, render

    # The options that decide the content; the store and output locations are left out, so
    # the same data gives the same packet wherever it is loaded or written.
    parts = ["debtorgraph", "evidence", "--debtor", debtor] + (["--case", case_id] if case_id else [])
    parts += ["--format", fmt] + (["--findings", Path(findings).name] if findings else [])
    command = " ".join(shlex.quote(p) for p in parts)
    store = obj.store(read_only=True)
    try:
        found = _read_findings(findings) if findings else None
        chain = build_chain(store, debtor, case_id, findings=found, command=command, source_dirs=source_dirs)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    from .session import masks_packet
    from ..security.masking import redact

    chain = redact(chain, unmasked=not masks_packet())
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    path = render(chain, out, fmt)
    facts = sum(len(c["facts"]) for c in chain["categories"].values())
    gaps = sum(len(c["gaps"]) for c in chain["categories"].values())
    click.echo(f"证据材料 evidence: {path}（{facts} 项事实 facts，{gaps} 项缺口 gaps，"
               f"{len(chain['findings'])} 项检测结果 findings）", err=True)
