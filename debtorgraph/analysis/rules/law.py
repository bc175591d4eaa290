"""The provisions findings cite: short codes used by the rules, with English and Chinese names.

Texts and tags as in docs/domain.md (sections 1 to 4).
"""
from __future__ import annotations

__all__ = ["PROVISIONS", "cite"]

PROVISIONS: dict[str, tuple[str, str]] = {
    "CrimL313": ("Criminal Law art. 313", "《刑法》第三百一十三条"),
    "CrimL314": ("Criminal Law art. 314", "《刑法》第三百一十四条"),
    "CrimL307-1": ("Criminal Law art. 307-1", "《刑法》第三百零七条之一"),
    "NPC1": ("NPCSC Interpretation of Criminal Law art. 313 (2002) item (1)",
             "《全国人大常委会关于〈刑法〉第三百一十三条的解释》第（一）项"),
    "NPC3": ("NPCSC Interpretation of Criminal Law art. 313 (2002) item (3)",
             "《全国人大常委会关于〈刑法〉第三百一十三条的解释》第（三）项"),
    "I24-3-1": ("SPC-SPP 2024 Interpretation (Fa Shi [2024] No. 13) art. 3(1)", "法释〔2024〕13号第三条第（一）项"),
    "I24-3-4": ("SPC-SPP 2024 Interpretation (Fa Shi [2024] No. 13) art. 3(4)", "法释〔2024〕13号第三条第（四）项"),
    "I24-4-1": ("SPC-SPP 2024 Interpretation (Fa Shi [2024] No. 13) art. 4(1)", "法释〔2024〕13号第四条第（一）项"),
    "I24-6": ("SPC-SPP 2024 Interpretation (Fa Shi [2024] No. 13) art. 6", "法释〔2024〕13号第六条"),
    "I24-8": ("SPC-SPP 2024 Interpretation (Fa Shi [2024] No. 13) art. 8", "法释〔2024〕13号第八条"),
    "CC538": ("Civil Code art. 538", "《民法典》第五百三十八条"),
    "CC539": ("Civil Code art. 539", "《民法典》第五百三十九条"),
    "CC541": ("Civil Code art. 541", "《民法典》第五百四十一条"),
    "CG42": ("SPC 2023 Contract Interpretation art. 42", "法释〔2023〕13号第四十二条"),
    "CG43": ("SPC 2023 Contract Interpretation art. 43", "法释〔2023〕13号第四十三条"),
    "MD3": ("SPC 2025 Marriage and Family Interpretation (II) art. 3", "法释〔2025〕1号第三条"),
    "CAP19": ("Change/Add-Party Provisions art. 19", "《最高人民法院关于民事执行中变更、追加当事人若干问题的规定》第十九条"),
    "CPL114-3": ("Civil Procedure Law art. 114(3)", "《民事诉讼法》第一百一十四条第一款第（三）项"),
    "CPL114-6": ("Civil Procedure Law art. 114(6)", "《民事诉讼法》第一百一十四条第一款第（六）项"),
    "CPL115": ("Civil Procedure Law art. 115", "《民事诉讼法》第一百一十五条"),
    "CPL116": ("Civil Procedure Law art. 116", "《民事诉讼法》第一百一十六条"),
    "CPL117": ("Civil Procedure Law art. 117", "《民事诉讼法》第一百一十七条"),
    "CPL118": ("Civil Procedure Law art. 118", "《民事诉讼法》第一百一十八条"),
    "CPL252": ("Civil Procedure Law art. 252", "《民事诉讼法》第二百五十二条"),
    "PIP5": ("Property Investigation Provisions art. 5", "《最高人民法院关于民事执行中财产调查若干问题的规定》第五条"),
    "PIP6": ("Property Investigation Provisions art. 6", "《最高人民法院关于民事执行中财产调查若干问题的规定》第六条"),
    "CR3": ("Consumption Restriction Provisions (Fa Shi [2015] No. 17) art. 3",
            "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条"),
    "DL1-4": ("Dishonest List Provisions (Fa Shi [2017] No. 7) art. 1(4)",
              "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（四）项"),
    "DL1-5": ("Dishonest List Provisions (Fa Shi [2017] No. 7) art. 1(5)",
              "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（五）项"),
    "EP26": ("Execution Provisions (trial) para. 26", "《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第26条"),
}


def cite(codes: list[str]) -> tuple[list[str], list[str]]:
    """English and Chinese names of provision codes, in order, without repeats.

    >>> cite(["CC539", "CG42", "CC539"])[0]
    ['Civil Code art. 539', 'SPC 2023 Contract Interpretation art. 42']
    """
    seen = list(dict.fromkeys(codes))
    return [PROVISIONS[c][0] for c in seen], [PROVISIONS[c][1] for c in seen]
