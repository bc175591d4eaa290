"""Build a whole caseload: debtors, planted schemes and look-alikes, background noise, files.

``generate(out_dir, seed, debtors)`` writes ``caseload.ftm.jsonl`` and ``truth.jsonl``
and returns a summary. The same seed gives byte-identical files.
"""
from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from .background import company_noise, person_noise
from .debtors import Case, build_case, build_court, close_case
from .lookalikes import LOOKALIKES
from .plant import build_ctx
from .schemes_assets import PLANTERS as ASSET_PLANTERS
from .schemes_money import PLANTERS as MONEY_PLANTERS
from .world import World

SCHEMES = {**ASSET_PLANTERS, **MONEY_PLANTERS}
# Kinds a company debtor can carry, and its two-step variants that need no kin.
COMPANY_KINDS = {"undervalue_sale", "gratuitous_transfer", "zero_price_equity", "cash_out",
                 "sealed_asset_disposal", "assisting_unit_payment"}
COMPANY_TWO_STEP = {"price_paid_back", "price_returned", "private_vehicle_sale", "spread_weeks"}
LOOK_PERSON_ONLY = {"kin_sale_price_to_court", "divorce_share_paid_to_court", "divorce_nothing_moved",
                    "relative_genuine_suit", "round_trip_relative", "lease_kin_market_rent",
                    "relative_own_job", "travel_allowed"}
# A claim a row takes on its debtor; no two rows on one debtor take the same claim.
CLAIMS = {"sham_divorce": "divorce", "divorce_share_paid_to_court": "divorce",
          "divorce_nothing_moved": "divorce", "relative_own_job": "salary", "payroll": "payroll"}
SCHEMA_ORDER = ["Table", "Workbook", "Document", "PublicBody", "Company", "LegalEntity", "Person",
                "BankAccount", "RealEstate", "Vehicle", "CourtCase", "CourtCaseParty", "Debt", "Event",
                "Sanction", "Family", "Associate", "Employment", "Directorship", "Ownership", "Payment"]
MIN_PER_FORM = 5


def _fits(c: Case, kind: str, form: str, variant: str) -> bool:
    """Whether the debtor can carry this row (kind of party, kin, employer, claims)."""
    if kind in CLAIMS and CLAIMS[kind] in c.tags:
        return False
    if kind == "diverted_income" and form == "one_step" and "salary" in c.tags:
        return False
    if kind == "payroll":
        return not c.is_person
    if not c.is_person:
        if kind in SCHEMES:
            return kind in COMPANY_KINDS and (form == "one_step" or variant in COMPANY_TWO_STEP)
        return kind not in LOOK_PERSON_ONLY
    if kind in ("sham_divorce", "divorce_share_paid_to_court", "divorce_nothing_moved") or variant == "in_law":
        if not c.kin.get("spouse") or not c.kin.get("in_law"):
            return False
    if variant == "relative_spouse" and not c.kin.get("sibling_spouse"):
        return False
    if (kind == "diverted_income" and form == "one_step") or kind == "relative_own_job":
        return bool(c.employer and c.salary)
    if kind == "travel_allowed" and variant == "after_lifted":
        return "breach" not in c.tags
    if kind == "consumption_breach":
        return "lifted" not in c.tags
    return True


def _claim(c: Case, kind: str, form: str, variant: str) -> None:
    if kind in CLAIMS:
        c.tags.add(CLAIMS[kind])
    if kind == "diverted_income" and form == "one_step":
        c.tags.add("salary")
    if kind == "consumption_breach":
        c.tags.add("breach")
    if kind == "travel_allowed" and variant == "after_lifted":
        c.tags.add("lifted")


def _tasks(w: World, debtors: int) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The scheme rows and look-alike rows to plant: (kind, form, variant)."""
    rng = w.rng
    base = max(MIN_PER_FORM, round(MIN_PER_FORM * debtors / 120))
    schemes = []
    for kind, (_, ones, twos) in SCHEMES.items():
        for form, variants in (("one_step", ones), ("two_step", twos)):
            for i in range(base + rng.randint(0, 1)):
                schemes.append((kind, form, variants[i % len(variants)]))
    looks = []
    for kind, (_, variants) in LOOKALIKES.items():
        for i in range(base + rng.randint(0, 1)):
            looks.append((kind, "", variants[i % len(variants)]))
    rng.shuffle(schemes)
    rng.shuffle(looks)
    return schemes, looks


def _assign(w: World, cases: list[Case], tasks: list[tuple[str, str, str]], prefer_schemed: float,
            load: Counter, schemed: set[int], out: dict[int, list], missed: list,
            exclude: frozenset[int] = frozenset()) -> None:
    """Give each task to the least-loaded debtor that fits (scheme debtors preferred)."""
    rng = w.rng
    hard = sorted(tasks, key=lambda t: sum(_fits(c, *t) for c in cases))
    for task in hard:
        fits = [i for i, c in enumerate(cases) if i not in exclude and _fits(c, *task)]
        if prefer_schemed < 1.0:
            pool = [i for i in fits if i in schemed] if rng.random() < prefer_schemed else [i for i in fits if i not in schemed]
            fits = pool or fits
        else:
            fits = [i for i in fits if i in schemed]
        if not fits:
            missed.append(task)
            continue
        low = min(load[i] for i in fits)
        i = rng.choice([i for i in fits if load[i] == low])
        load[i] += 1
        _claim(cases[i], *task)
        out.setdefault(i, []).append(task)


def generate(out_dir: str | Path, seed: int, debtors: int = 120) -> dict[str, Any]:
    """Write ``caseload.ftm.jsonl`` and ``truth.jsonl`` into ``out_dir``; return a summary.

    Parameters
    ----------
    out_dir : directory to write (created if missing)
    seed : the random seed; the same seed gives byte-identical files
    debtors : number of enforcement cases (one debtor each)
    """
    w = World(seed)
    rng = w.rng
    court, court_acct = build_court(w)
    ctx = build_ctx(w, court, court_acct)
    n_company = max(6, round(debtors * 0.15))
    kinds = [False] * n_company + [True] * (debtors - n_company)
    rng.shuffle(kinds)
    cases = [build_case(w, is_person, ctx.employers) for is_person in kinds]
    order = list(range(debtors))
    rng.shuffle(order)
    n_clean = debtors // 3
    clean, schemed = set(order[:n_clean]), set(order[n_clean:])
    paid = set(sorted(clean)[: max(1, n_clean // 5)])
    for i in paid:
        cases[i].paid_in_full = True
    schemes, looks = _tasks(w, debtors)
    load: Counter = Counter()
    plan_s: dict[int, list] = {}
    plan_l: dict[int, list] = {}
    missed: list = []
    _assign(w, cases, schemes, 1.0, load, schemed, plan_s, missed)
    _assign(w, cases, looks, 0.7, load, schemed, plan_l, missed, frozenset(paid))
    truth = []
    for i, c in enumerate(cases):
        mine = sorted(plan_s.get(i, []), key=lambda t: t[0] != "structuring")
        for kind, form, variant in mine:
            truth.append(SCHEMES[kind][0](w, c, ctx, form, variant))
        for kind, _, variant in plan_l.get(i, []):
            truth.append(LOOKALIKES[kind][0](w, c, ctx, variant))
        if i in plan_s:
            c.tags.add("keep_open")
        close_case(w, c, court_acct)
        (person_noise if c.is_person else company_noise)(w, c, ctx)
    w.finish()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ents = sorted(w.entities.values(), key=lambda e: (SCHEMA_ORDER.index(e["schema"]), e["id"]))
    with open(out / "caseload.ftm.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for ent in ents:
            fh.write(json.dumps(ent, ensure_ascii=False, sort_keys=True) + "\n")
    with open(out / "truth.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for r in truth:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return summarize(ents, truth, cases, clean, paid, missed)


def summarize(ents: list[dict], truth: list[dict], cases: list[Case], clean: set[int], paid: set[int],
              missed: list) -> dict[str, Any]:
    """Counts per schema, per scheme kind and form, per look-alike kind, payments per debtor."""
    per_debtor: Counter = Counter()
    debtor_ids = {c.debtor for c in cases}
    for e in ents:
        if e["schema"] == "Payment":
            p = e["properties"]
            for key in ("payer", "beneficiary"):
                if p.get(key, [""])[0] in debtor_ids:
                    per_debtor[p[key][0]] += 1
                    break
    counts = [per_debtor[c.debtor] for c in cases]
    return {
        "entities": len(ents),
        "schemata": dict(sorted(Counter(e["schema"] for e in ents).items())),
        "debtors": len(cases), "company_debtors": sum(not c.is_person for c in cases),
        "clean_debtors": len(clean), "paid_in_full": len(paid),
        "schemes": dict(sorted(Counter(f"{r['kind']}/{r['form']}" for r in truth if r["type"] == "scheme").items())),
        "scheme_variants": dict(sorted(Counter(f"{r['kind']}/{r['variant']}" for r in truth if r["type"] == "scheme").items())),
        "lookalikes": dict(sorted(Counter(r["kind"] for r in truth if r["type"] == "lookalike").items())),
        "lookalikes_on_scheme_debtors": sum(1 for r in truth if r["type"] == "lookalike"
                                            and any(s["subject"] == r["subject"] for s in truth if s["type"] == "scheme")),
        "payments_per_debtor": {"min": min(counts), "median": statistics.median(counts), "max": max(counts)},
        "not_planted": [list(t) for t in missed],
    }
