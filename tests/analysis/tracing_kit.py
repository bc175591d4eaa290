"""Entity builders and result readers the tracing tests share."""
from __future__ import annotations

from typing import Any


def payment(pid: str, amount: float, when: str, payer: str, beneficiary: str,
            payer_account: str | None = None, beneficiary_account: str | None = None,
            seq: int | None = None, purpose: str | None = None) -> dict[str, Any]:
    """A Payment entity dict."""
    props: dict[str, list[str]] = {"payer": [payer], "beneficiary": [beneficiary],
                                   "amount": [str(amount)], "date": [when]}
    if payer_account:
        props["payerAccount"] = [payer_account]
    if beneficiary_account:
        props["beneficiaryAccount"] = [beneficiary_account]
    if seq is not None:
        props["sequenceNumber"] = [str(seq)]
    if purpose:
        props["purpose"] = [purpose]
    return {"id": pid, "schema": "Payment", "properties": props}


def move(pid: str, frm: str, to: str, amount: float, when: str, seq: int | None = None) -> dict:
    """An account-to-account transfer; account ``x`` is held by party ``p-x``."""
    return payment(pid, amount, when, "p-" + frm, "p-" + to, frm, to, seq)


def ownership(oid: str, owner: str, asset: str, start: str | None = None,
              end: str | None = None, **extra: str) -> dict[str, Any]:
    props = {"owner": [owner], "asset": [asset]}
    if start:
        props["startDate"] = [start]
    if end:
        props["endDate"] = [end]
    props.update({k: [v] for k, v in extra.items()})
    return {"id": oid, "schema": "Ownership", "properties": props}


def amounts(result: dict[str, Any]) -> dict[str, float]:
    """Endpoint id -> amount (summed over holders)."""
    out: dict[str, float] = {}
    for ep in result["endpoints"]:
        out[ep["id"]] = out.get(ep["id"], 0.0) + ep["amount"]
    return out


def total(result: dict[str, Any]) -> float:
    return sum(ep["amount"] for ep in result["endpoints"])


