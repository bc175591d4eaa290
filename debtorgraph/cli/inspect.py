"""The ``debtorgraph inspect`` command and the court-file parts of ``load``'s report.

``inspect`` shows, without writing, how each file would load (see :mod:`.explain`);
``check_files`` finds the files no reader knows before a load writes anything, and
``note_lines`` adds skipped rows, holders to confirm and files left out to the report.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

#: exit status of ``load`` when some files were not recognised and the others were loaded
EXIT_PARTIAL = 3


def check_files(files: list[str], mapping: str | None = None) -> list[tuple[str, str]]:
    """The files no reader knows, each with the reason (read before anything is written)."""
    from ..loaders import is_ftm_file
    from ..loaders.explain import why_unknown
    from ..loaders.sources import detect_layout

    unknown = []
    for path in files:
        if mapping is None and is_ftm_file(path):
            continue
        if detect_layout(path, mapping) is None:
            unknown.append((path, why_unknown(Path(path))))
    return unknown


def note_lines(report: Any, unknown: list[tuple[str, str]]) -> list[str]:
    """What the load report adds for court files: skipped rows, holders to confirm, files left out."""
    out = []
    if report.skipped:
        out.append(f"  跳过 skipped 表尾、小计、说明行 / footers, subtotals and notices: {report.skipped}")
    if report.mangled_accounts:
        out.append(f"  账号被 Excel 改为科学计数法（如 8.15E+14），未作账号使用，对方按户名记 / account numbers "
                   f"Excel turned into scientific notation, not used as accounts: {report.mangled_accounts}")
    for name, placeholder in report.placeholders:
        out.append(f"  待确认户名 holder to confirm: {name}: 文件未写明户名，暂记为「{placeholder}」；"
                   f"请用 --holder/--account 重新导入 / the file names no holder")
    for path, reason in unknown:
        out.append(f"  未导入 not loaded: {path}: {reason}")
    if unknown:
        out.append(f"部分导入：{len(unknown)} 个文件未识别，其余已导入（退出码 {EXIT_PARTIAL}）/ "
                   f"partial load: {len(unknown)} file(s) not recognised, the others loaded")
    return out


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="用此映射读取 / read with this mapping.")
@click.option("--holder", default=None, help="户名 / the statement holder's name.")
@click.option("--account", default=None, help="账号 / the statement holder's account.")
@click.option("--write-mapping", "write_mapping", type=click.Path(dir_okay=False), default=None,
              help="把识别出的版式写成映射 YAML，可修改后用 --mapping 传回 / save the layout found "
                   "as a mapping to edit and pass back with --mapping.")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / print JSON.")
def inspect(files: tuple[str, ...], mapping: str | None, holder: str | None, account: str | None,
            write_mapping: str | None, as_json: bool) -> None:
    """查看文件将如何导入（不写入）/ show how files would load, writing nothing.

    对每个文件：识别出的版式、户名及来源、每列的角色和理由、按导入结果显示的前三行、
    会被拒绝的行及原因。无法识别的文件说明原因，退出码 3。

    For each file: the layout found, the holder and where it was found, each
    column's role and why, three rows as they would load, what would be rejected
    and why. An unrecognised file says why (exit status 3).

    \b
    Example:
      debtorgraph inspect 工行流水_王建国.csv 微信账单.csv
      debtorgraph inspect 某银行流水.xls --write-mapping 某银行.yaml
    """
    from ..loaders.explain import inspect_file, mapping_yaml

    reports = [inspect_file(f, mapping, holder, account) for f in files]
    if write_mapping:
        first = next((r["file"] for r in reports if r.get("tables")), None)
        text = mapping_yaml(first) if first else None
        if first is None or text is None:
            raise click.ClickException("没有可写成映射的版式 / no layout to write as a mapping")
        Path(write_mapping).write_text(text, encoding="utf-8")
        click.echo(f"映射已写入 mapping written: {write_mapping} ({Path(first).name})", err=True)
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2, default=str))
    else:
        for rep in reports:
            for line in _inspect_lines(rep):
                click.echo(line)
    if any(not r["recognised"] for r in reports):
        sys.exit(EXIT_PARTIAL)


def _inspect_lines(rep: dict[str, Any]) -> list[str]:
    """The text form of one file's inspection."""
    out = [f"== {rep['name']}"]
    if not rep["recognised"]:
        return out + [f"  未识别 not recognised: {rep['reason']}"]
    out.append(f"  版式 layout: {rep['layout']} ({rep.get('title', '')})")
    for table in rep.get("tables", []):
        out.append(f"  工作表 sheet: {table['sheet'] or '-'}  表头第 {table['header_row']} 行 / header row "
                   f"{table['header_row']}  方向 direction: {table['convention'] or 'mapping'}")
        holder = table.get("holder")
        if holder:
            flag = "（占位，待确认 / placeholder, to confirm）" if holder["placeholder"] else ""
            out.append(f"  户名 holder: {holder['name'] or '-'}  账号 account: {holder['account'] or '-'}"
                       f"  来源 from: {holder['source'] or 'columns'}{flag}")
        for col in table["columns"]:
            out.append(f"    {col['column']:>3} {col['header']} → {col['role'] or '-'}  ({col['why']})")
    for row in rep.get("sample", []):
        props = row["properties"]
        out.append(f"  第{row['row']}行 row {row['row']}: {row['schema']} {props.get('date', [''])[0]} "
                   f"{props.get('amount', [''])[0]} {props.get('currency', [''])[0]} "
                   f"{'/'.join(row.get('payer', []))} → {'/'.join(row.get('beneficiary', []))}")
    out.append(f"  导入 rows: {rep.get('rows_loaded', 0)}  跳过 skipped: {rep.get('skipped', 0)}  "
               f"拒绝 rejected: {sum(rep.get('rejected', {}).values())} {rep.get('rejected') or ''}")
    out += [f"    {m}" for m in rep.get("reject_messages", [])]
    return out
