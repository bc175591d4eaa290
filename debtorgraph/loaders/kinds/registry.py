"""Registry replies: real estate (不动产), vehicles (机动车) and housing fund (公积金).

Each row is an Ownership from the registered owner to the asset (the row's main entity),
plus the owner, the asset and, when the row says the asset is sealed (查封) or frozen
(冻结), a Sanction on it.
"""
from __future__ import annotations

import logging
from typing import Any, Iterator

from ..base import Item, Row
from ..context import Context
from ..ids import account_id, make_id
from .common import add_party, legal_basis, lifted, ownership, sanction
from . import Kind, register

log = logging.getLogger(__name__)

_OWNER = {"owner_name": "text", "owner_id": "identifier"}
_MEASURE = {"status": "text", "seizure_date": "day", "seizure_end": "day",
            "seizure_authority": "text", "case_number": "case"}


def _seizure(ctx: Context, i: int, asset: str, words: tuple[str, ...]) -> dict[str, Any] | None:
    status = ctx.get("status", i) or ""
    start = ctx.get("seizure_date", i)
    codes = ctx.option("status_codes") or {}
    status = "".join(codes.get(c, c) for c in status) if codes and len(status) <= 4 else status
    if not (any(w in status for w in words) or start):
        return None
    prog = "freeze" if "冻结" in status else "seizure"
    if lifted(status) and not ctx.get("seizure_end", i):
        return None
    return sanction(ctx, i, prog, asset, start=start, end=ctx.get("seizure_end", i),
                    case=ctx.get("case_number", i), authority=ctx.get("seizure_authority", i),
                    description=status or None)


def build_real_estate(ctx: Context) -> Iterator[Item]:
    """不动产登记 results: 权利人, 证件号码, 不动产权证号, 坐落, 面积, 登记日期, 查封/抵押."""
    for i in ctx.data_rows:
        bad = ctx.check(i, "owner_name")
        title, address = ctx.get("title_number", i), ctx.get("address", i)
        if bad is None and not (title or address):
            bad = ctx.reject(i, "missing_value", "title_number")
        if bad is not None:
            yield bad
            continue
        asset = make_id("re", "title", title) if title else make_id("re", "address", address)
        extra: list[Row] = []
        owner = add_party(ctx, i, ctx.get("owner_name", i), ctx.get("owner_id", i), (asset,),
                          extra)
        assert owner is not None  # checked: owner_name is required
        status = ctx.get("status", i) or ""
        mortgage = ctx.get("mortgage", i)
        encumbrance = "抵押" if ("抵押" in status and not lifted(status)) or (
            mortgage and mortgage not in ("无", "否")) else None
        yield Row(ownership(ctx, i, owner, asset, startDate=ctx.get("registration_date", i),
                            endDate=ctx.get("end_date", i),
                            legalBasis=legal_basis(ctx.get("reason", i)),
                            sharesValue=ctx.get("price", i),
                            sharesCurrency="CNY" if ctx.get("price", i) else None,
                            percentage=ctx.get("share", i),
                            ownershipType=ctx.get("share_type", i),
                            description=ctx.get("reason", i)), ctx.origin(i))
        yield from extra
        value = ctx.get("value", i)
        yield from ctx.once(ctx.thing("RealEstate", asset, {
            "titleNumber": title, "address": address, "area": ctx.get("area", i),
            "propertyType": ctx.get("use", i), "amount": value,
            "currency": "CNY" if value else None,
            "encumbrance": mortgage if encumbrance and mortgage else encumbrance,
            "name": address or title}), i)
        seal = _seizure(ctx, i, asset, ("查封", "冻结"))
        if seal is not None:
            yield Row(seal, ctx.origin(i), True)


def build_vehicle(ctx: Context) -> Iterator[Item]:
    """机动车登记 results: 号牌号码, 所有人, 身份证明号码, 登记日期, 状态."""
    for i in ctx.data_rows:
        bad = ctx.check(i, "plate", "owner_name")
        if bad is not None:
            yield bad
            continue
        plate = ctx.get("plate", i)
        asset = make_id("vehicle", plate)
        extra: list[Row] = []
        owner = add_party(ctx, i, ctx.get("owner_name", i), ctx.get("owner_id", i), (asset,),
                          extra)
        assert owner is not None  # checked: owner_name is required
        yield Row(ownership(ctx, i, owner, asset,
                            startDate=ctx.get("transfer_date", i) or ctx.get("registration_date", i),
                            legalBasis=legal_basis(ctx.get("reason", i)),
                            sharesValue=ctx.get("price", i),
                            sharesCurrency="CNY" if ctx.get("price", i) else None), ctx.origin(i))
        yield from extra
        value, vin = ctx.get("value", i), ctx.get("vin", i)
        yield from ctx.once(ctx.thing("Vehicle", asset, {
            "registrationNumber": plate, "type": ctx.get("vehicle_type", i),
            "model": ctx.get("model", i), "registrationDate": ctx.get("registration_date", i),
            "amount": value, "currency": "CNY" if value else None,
            "description": f"车辆识别代号 {vin}" if vin else None, "name": plate}), i)
        seal = _seizure(ctx, i, asset, ("查封", "扣押"))
        if seal is not None:
            yield Row(seal, ctx.origin(i), True)


def build_housing_fund(ctx: Context) -> Iterator[Item]:
    """住房公积金 replies: 公积金账号, 姓名, 证件号码, 余额, 单位, 账户状态."""
    bank = ctx.option("bank_name") or ctx.publisher
    for i in ctx.data_rows:
        bad = ctx.check(i, "account", "owner_name")
        if bad is not None:
            yield bad
            continue
        number = ctx.get("account", i)
        acct = account_id(number, "housing_fund")
        extra: list[Row] = []
        owner = add_party(ctx, i, ctx.get("owner_name", i), ctx.get("owner_id", i), (acct,),
                          extra, phone=ctx.get("phone", i))
        assert owner is not None  # checked: owner_name is required
        yield Row(ownership(ctx, i, owner, acct, startDate=ctx.get("open_date", i)),
                  ctx.origin(i))
        yield from extra
        balance = ctx.get("balance", i)
        monthly = ctx.get("monthly", i)
        yield from ctx.once(ctx.thing("BankAccount", acct, {
            "accountNumber": number, "accountType": "housing_fund", "bankName": bank,
            "balance": balance, "balanceDate": ctx.get("balance_date", i) if balance else None,
            "openingDate": ctx.get("open_date", i),
            "description": f"月缴存额 {monthly} 元" if monthly else None,
            "summary": ctx.get("status", i)}), i)
        employer = ctx.get("employer", i)
        if employer:
            employer_rows: list[Row] = []
            org = add_party(ctx, i, employer, ctx.get("employer_id", i), (), employer_rows)
            yield from employer_rows
            yield Row(ctx.link("Employment", make_id("employment", org, owner), i, {
                "employer": org, "employee": owner}), ctx.origin(i), True)
        seal = _seizure(ctx, i, acct, ("冻结", "查封"))
        if seal is not None:
            yield Row(seal, ctx.origin(i), True)


_ASSET_COMMON = {**_OWNER, **_MEASURE, "registration_date": "day", "reason": "text",
                 "price": "amount", "value": "amount"}
register(Kind("real_estate", {
    **_ASSET_COMMON, "title_number": "case", "address": "text", "area": "measure",
    "use": "text", "end_date": "day", "mortgage": "text", "share": "percent",
    "share_type": "text"}, {"status_codes": {}}, build_real_estate))
register(Kind("vehicle", {
    **_ASSET_COMMON, "plate": "identifier", "plate_type": "text", "transfer_date": "day",
    "vehicle_type": "text", "model": "join", "vin": "identifier"},
    {"status_codes": {}}, build_vehicle))
register(Kind("housing_fund", {
    **_OWNER, **_MEASURE, "account": "identifier", "balance": "amount",
    "balance_date": "day", "employer": "text", "employer_id": "identifier",
    "open_date": "day", "monthly": "amount", "phone": "phone"},
    {"status_codes": {}, "bank_name": None}, build_housing_fund))
