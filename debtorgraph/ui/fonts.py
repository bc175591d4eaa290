"""The CJK font the app needs, served by the app itself (no system font required).

A machine without CJK fonts draws every Chinese label as a box. The package ships WenQuanYi
Micro Hei (Apache-2.0, ``debtorgraph/static/wqy-microhei.ttf``, licence and notice beside it;
the PDF uses its copy in ``analysis/fonts``). ``debtorgraph app`` turns on Streamlit's static
file serving, so the font is at :data:`FONT_URL` on the app's own server (127.0.0.1):

- :func:`app_font_css`: the app's text. Streamlit draws text (and tables, on a canvas) in
  the family "Source Sans"; a second ``@font-face`` of that family with a CJK
  ``unicode-range`` gives its Chinese characters our font, whatever the machine has;
- :func:`network_font_css`: the network drawings' own family, :data:`FAMILY`.

Both name the common system CJK fonts first (``local()``, :data:`SYSTEM_CJK`): a machine
that has one draws with it and never fetches the 4.6 MB file (whose download and parse cost
the first page ~0.2-0.3 s of browser time, bench/app.py); only a machine without one does.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["FONT_FILE", "FONT_URL", "FAMILY", "SYSTEM_CJK", "app_font_css", "network_font_css"]

FONT_FILE = Path(__file__).resolve().parents[1] / "static" / "wqy-microhei.ttf"
FONT_URL = "/app/static/wqy-microhei.ttf"
FAMILY = "DebtorgraphCJK"
#: CJK radicals, punctuation, kana, ideographs and full-width forms.
_CJK_RANGE = ("U+2E80-2FDF, U+3000-30FF, U+3100-312F, U+31A0-31BF, U+3400-4DBF, U+4E00-9FFF, "
              "U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF")


#: System CJK fonts used before ours, by full and PostScript name (Linux, Windows, macOS).
SYSTEM_CJK = ("Noto Sans CJK SC", "NotoSansCJKsc-Regular", "Source Han Sans SC", "SourceHanSansSC-Regular",
              "WenQuanYi Micro Hei", "WenQuanYiMicroHei", "Microsoft YaHei", "MicrosoftYaHei",
              "PingFang SC", "PingFangSC-Regular")


def _face(family: str, cjk_only: bool) -> str:
    """One ``@font-face``: a system CJK font if the machine has one, else ours.

    >>> _face("X", False).startswith('@font-face{font-family:"X";src:local("Noto Sans CJK SC"),')
    True
    """
    rng = f"unicode-range:{_CJK_RANGE};" if cjk_only else ""
    local = "".join(f'local("{name}"),' for name in SYSTEM_CJK)
    return (f'@font-face{{font-family:"{family}";src:{local}url({FONT_URL}) format("truetype");'
            f"font-weight:100 900;font-display:block;{rng}}}")


def app_font_css() -> str:
    """``<style>`` giving the app's own families our font for CJK characters."""
    return "<style>" + "".join(_face(f, True) for f in ("Source Sans", "Source Serif", "Source Code Pro")) + "</style>"


def network_font_css() -> str:
    """The ``@font-face`` of :data:`FAMILY` for the network pages (CSS, no ``<style>``)."""
    return _face(FAMILY, False)
