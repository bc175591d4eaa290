"""The provisions an evidence chain cites, and which detection rules fall under which.

Texts are short paraphrases for the reader, not the official wording; see domain.md
for sources. Keys are stable: ``CrimL-313``, ``I24-3-1`` (法释〔2024〕13号 art. 3 item 1),
``NPC-1`` (2002 NPCSC Interpretation item 1), ``CC-539`` (Civil Code), ``CG-42``
(法释〔2023〕13号), ``CPL-252`` (Civil Procedure Law 2023).
"""
from __future__ import annotations

import re
from typing import Any

#: key -> (Chinese citation, English citation, Chinese gist, English gist)
PROVISIONS: dict[str, tuple[str, str, str, str]] = {
    "CrimL-313": ("《刑法》第三百一十三条", "Criminal Law art. 313",
                  "对人民法院的判决、裁定有能力执行而拒不执行，情节严重的，构成拒不执行判决、裁定罪",
                  "refusing, with ability, to execute a court judgment or ruling, if serious"),
    "CrimL-314": ("《刑法》第三百一十四条", "Criminal Law art. 314",
                  "隐藏、转移、变卖、故意毁损已被司法机关查封、扣押、冻结的财产", "disposing of sealed or frozen property"),
    "CrimL-307-1": ("《刑法》第三百零七条之一", "Criminal Law art. 307-1", "虚假诉讼罪", "false litigation"),
    "NPC-1": ("全国人大常委会关于《刑法》第三百一十三条的解释（2002）第（一）项", "NPCSC Interpretation (2002) item 1",
              "被执行人隐藏、转移、故意毁损财产或者无偿转让财产、以明显不合理的低价转让财产，致使判决、裁定无法执行",
              "hiding, transferring, giving away or selling property at an unreasonable low price"),
    "NPC-3": ("全国人大常委会关于《刑法》第三百一十三条的解释（2002）第（三）项", "NPCSC Interpretation (2002) item 3",
              "协助执行义务人接到协助执行通知书后拒不协助执行", "an assisting party refusing after an assistance notice"),
    "I24-3-1": ("法释〔2024〕13号第三条第（一）项", "法释〔2024〕13号 art. 3(1)",
                "恶意无偿处分财产权益、恶意延长到期债权履行期限，或以虚假和解、虚假转让等方式处分财产权益",
                "malicious gratuitous disposal, extending due dates, sham settlement or transfer"),
    "I24-3-2": ("法释〔2024〕13号第三条第（二）项", "法释〔2024〕13号 art. 3(2)",
                "以明显不合理的高价受让他人财产、为他人债务提供担保等恶意减损责任财产",
                "buying at unreasonable high prices or guaranteeing others' debts"),
    "I24-3-4": ("法释〔2024〕13号第三条第（四）项", "法释〔2024〕13号 art. 3(4)",
                "拒绝报告或虚假报告财产、违反限制消费令，经罚款、拘留等强制措施后仍拒不执行",
                "not reporting property or breaching a consumption order, after a fine or detention"),
    "I24-4-1": ("法释〔2024〕13号第四条第（一）项", "法释〔2024〕13号 art. 4(1)",
                "通过虚假诉讼、虚假仲裁、虚假公证等方式妨害执行（情节特别严重）",
                "false litigation, arbitration or notarisation (especially serious)"),
    "I24-5": ("法释〔2024〕13号第五条", "法释〔2024〕13号 art. 5",
              "有能力执行包括全部或部分执行能力，应扣除本人及所扶养家属的生活必需费用",
              "ability includes partial ability, after deducting living necessities"),
    "I24-6": ("法释〔2024〕13号第六条", "法释〔2024〕13号 art. 6",
              "诉讼开始后（一般为接到应诉通知后）、裁判生效前隐藏、转移财产，生效后经查证属实仍拒不执行的，可以认定",
              "hiding assets after the lawsuit began and before effectiveness counts"),
    "I24-7": ("法释〔2024〕13号第七条", "法释〔2024〕13号 art. 7",
              "致使判决、裁定无法执行：采取执行措施后仍全部或部分无法执行", "cannot be executed, wholly or partly"),
    "I24-8": ("法释〔2024〕13号第八条", "法释〔2024〕13号 art. 8",
              "案外人明知而与其通谋、协助隐藏、转移财产的，以共犯论处", "colluding outsiders who knew are accomplices"),
    "I24-9": ("法释〔2024〕13号第九条", "法释〔2024〕13号 art. 9",
              "同时构成非法处置查封、扣押、冻结的财产罪等的，依照处罚较重的规定", "concurrence: the heavier offence"),
    "I24-10": ("法释〔2024〕13号第十条", "法释〔2024〕13号 art. 10",
               "拒不执行支付赡养费、扶养费、抚养费、抚恤金、医疗费用、劳动报酬等判决、裁定的，从重处罚",
               "heavier punishment for maintenance, medical or wage debts"),
    "I24-12": ("法释〔2024〕13号第十二条", "法释〔2024〕13号 art. 12",
               "违法处置的财产应予追缴或责令退赔，交执行法院处置", "disposed property is recovered for the enforcing court"),
    "FF2025-8": ("法发〔2025〕8号（移送公安机关的证据材料：身份、执行义务、履行能力、拒不执行行为、情节与后果）",
                 "法发〔2025〕8号 para. 4", "移送时应附的五类证据材料", "the five categories of evidence for a referral"),
    "GC-71": ("最高人民法院指导案例71号（毛建文拒不执行判决、裁定案）", "SPC Guiding Case No. 71",
              "拒不执行的起算时间为判决、裁定发生法律效力之日", "the duty is counted from the effective date"),
    "CC-538": ("《民法典》第五百三十八条", "Civil Code art. 538",
               "债务人无偿处分财产权益、恶意延长到期债权履行期限，影响债权实现的，债权人可以请求撤销",
               "gratuitous acts can be revoked without proof of the counterparty's knowledge"),
    "CC-539": ("《民法典》第五百三十九条", "Civil Code art. 539",
               "以明显不合理的低价转让、高价受让或为他人债务提供担保，相对人知道或应当知道的，债权人可以请求撤销",
               "low-price sales etc. can be revoked if the counterparty knew or should have known"),
    "CC-541": ("《民法典》第五百四十一条", "Civil Code art. 541",
               "撤销权自债权人知道或者应当知道撤销事由之日起一年内行使；自债务人的行为发生之日起五年内没有行使的，撤销权消灭",
               "revoke within 1 year of knowing; extinguished 5 years after the act"),
    "CC-542": ("《民法典》第五百四十二条", "Civil Code art. 542", "被撤销的行为自始没有法律约束力",
               "a revoked act is void from the start"),
    "CG-42": ("法释〔2023〕13号第四十二条", "法释〔2023〕13号 art. 42",
              "转让价格未达交易时交易地市场价或指导价70%的，一般可认定为明显不合理的低价；亲属、关联关系不受70%限制",
              "below 70% of market value is obviously low; related parties are not bound by the 70% limit"),
    "CG-43": ("法释〔2023〕13号第四十三条", "法释〔2023〕13号 art. 43", "以物抵债、出租等参照第四十二条认定",
              "set-off, leases and licences are judged the same way"),
    "CG-46": ("法释〔2023〕13号第四十六条", "法释〔2023〕13号 art. 46", "撤销后可请求相对人返还财产，并可申请强制执行",
              "after revocation the property is returned and can be enforced against"),
    "FS25-1-3": ("法释〔2025〕1号第三条", "法释〔2025〕1号 art. 3", "离婚协议中的财产分割条款可依民法典第538、539条撤销",
                 "property terms of a divorce agreement are revocable"),
    "CPL-114": ("《民事诉讼法》第一百一十四条", "Civil Procedure Law art. 114",
                "隐藏、转移、变卖、毁损已被查封、扣押、冻结的财产，拒不履行生效判决、裁定的，予以罚款、拘留",
                "fines or detention for disposing of sealed property and refusing to perform"),
    "CPL-117": ("《民事诉讼法》第一百一十七条", "Civil Procedure Law art. 117",
                "有义务协助执行的单位拒不协助的，予以罚款", "units refusing to assist are fined"),
    "CPL-252": ("《民事诉讼法》第二百五十二条", "Civil Procedure Law art. 252",
                "被执行人应报告当前及收到执行通知之日前一年的财产情况", "report current property and that of the prior year"),
}

#: detection rule -> provisions it falls under (beyond what the finding itself names).
RULE_PROVISIONS: dict[str, list[str]] = {
    "undervalue_sale": ["NPC-1", "CC-539", "CG-42"],
    "gratuitous_transfer": ["NPC-1", "I24-3-1", "CC-538"],
    "nominal_equity_transfer": ["NPC-1", "I24-3-1", "CC-538"],
    "sham_divorce": ["NPC-1", "I24-3-1", "CC-538", "FS25-1-3"],
    "related_party_payment": ["NPC-1"],
    "layered_transfer": ["NPC-1"],
    "fan_out": ["NPC-1"],
    "cash_out": ["NPC-1", "CPL-114"],
    "diverted_income": ["NPC-1"],
    "cheap_lease": ["I24-3-1", "CC-539", "CG-43"],
    "assisting_unit_payment": ["NPC-3", "CPL-117"],
    "frozen_asset_disposal": ["CPL-114", "CrimL-314", "I24-9"],
    "sham_litigation": ["I24-4-1", "CrimL-307-1"],
    "consumption_breach": ["I24-3-4"],
    "unreported_property": ["I24-3-4", "CPL-252"],
}

#: Rules whose acts a creditor may ask to revoke, and the Civil Code article.
REVOCABLE: dict[str, str] = {
    "gratuitous_transfer": "CC-538", "nominal_equity_transfer": "CC-538", "sham_divorce": "CC-538",
    "related_party_payment": "CC-538", "undervalue_sale": "CC-539", "cheap_lease": "CC-539",
}

_PATTERNS = [
    (re.compile(r"criminal law art\.?\s*(\d+(?:-\d+)?)", re.I), "CrimL-{}"),
    (re.compile(r"civil code art\.?\s*(\d+)", re.I), "CC-{}"),
    (re.compile(r"(?:cpl|civil procedure law) art\.?\s*(\d+)", re.I), "CPL-{}"),
    (re.compile(r"2024\D*13\D*art\.?\s*(\d+)\s*\((\d+)\)", re.I), "I24-{}-{}"),
    (re.compile(r"2024\D*13\D*art\.?\s*(\d+)", re.I), "I24-{}"),
    (re.compile(r"2023\D*13\D*art\.?\s*(\d+)", re.I), "CG-{}"),
]


def provision_key(text: str) -> str:
    """Map a finding's ``legal_basis`` string to a provision key (the text itself if unknown).

    >>> provision_key("Civil Code art. 539"), provision_key("法释〔2024〕13号 art. 3(1)")
    ('CC-539', 'I24-3-1')
    """
    for pattern, fmt in _PATTERNS:
        m = pattern.search(text)
        if m:
            return fmt.format(*m.groups())
    return text


def cite(keys: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The provisions list of a chain: ``keys`` maps a provision key to the facts citing it."""
    out = []
    for key in sorted(keys, key=lambda k: (k not in PROVISIONS, list(PROVISIONS).index(k) if k in PROVISIONS else 0, k)):
        zh, en, gist_zh, gist_en = PROVISIONS.get(key, (key, key, "", ""))
        out.append({"key": key, "citation_zh": zh, "citation_en": en, "gist_zh": gist_zh, "gist_en": gist_en,
                    "cited_by": sorted(set(keys[key]), key=_fact_order)})
    return out


def _fact_order(fact_id: str) -> tuple[str, int]:
    cat, _, n = fact_id.partition(".")
    return cat, int(n) if n.isdigit() else 0
