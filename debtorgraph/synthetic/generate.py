"""``generate``: write a synthetic county enforcement caseload and its ground truth."""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from debtorgraph.errors import InvalidInput
from debtorgraph.synthetic.background import stream_payments
from debtorgraph.synthetic.baseline import build_company_debtor, build_person_debtor
from debtorgraph.synthetic.case import close_case, make_timeline, open_case
from debtorgraph.synthetic.county import build_county
from debtorgraph.synthetic.network import Network
from debtorgraph.synthetic.plan import RULES, SCHEMES, plan_debtors
from debtorgraph.synthetic.writer import EntityWriter

log = logging.getLogger(__name__)

ENTITIES_FILE = "entities.ftm.jsonl"
TRUTH_FILE = "truth.jsonl"
PAYMENTS_PER_DEBTOR = 200


def generate(out_dir: str | Path, *, seed: int = 0, debtors: int = 60, payments: int | None = None,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Write a county court's enforcement caseload with planted schemes and look-alikes.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing).
    seed : int
        Same seed, byte-identical files; another seed, other data.
    debtors : int
        Number of enforcement cases (one debtor each). Every rule is planted and
        imitated at least once from 5 debtors up.
    payments : int, optional
        Number of ordinary (background) Payments spread over the networks; the planted
        ones come on top. Default ``200 * debtors``.
    progress : callable, optional
        Called now and then with the number of entities written so far.

    Returns
    -------
    dict
        ``entities_path``, ``truth_path``, ``entities`` (total), ``schemata`` (count per
        schema), ``payments``, ``background_payments``, ``schemes`` (planted),
        ``look_alikes``, ``rules``, ``seed``, ``debtors``, ``court``.

    Raises
    ------
    InvalidInput
        When ``debtors`` is below 1 or ``payments`` is negative.

    Examples
    --------
    >>> import tempfile
    >>> summary = generate(tempfile.mkdtemp(), seed=1, debtors=20, payments=500)
    >>> summary["schemes"] >= 15 and summary["background_payments"]
    500
    """
    if not isinstance(debtors, int) or debtors < 1:
        raise InvalidInput(f"debtors must be a whole number of at least 1, not {debtors!r}",
                           {"debtors": debtors})
    payments = PAYMENTS_PER_DEBTOR * debtors if payments is None else payments
    if not isinstance(payments, int) or payments < 0:
        raise InvalidInput(f"payments must be a whole number of at least 0, not {payments!r}",
                           {"payments": payments})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entities_path, truth_path = out / ENTITIES_FILE, out / TRUTH_FILE
    planted = honest = 0
    with open(entities_path, "wb") as fh, open(truth_path, "wb") as th:
        writer = EntityWriter(fh, progress)
        ctx = build_county(random.Random(f"{seed}/county"), writer, seed, debtors)
        kinds, plans = plan_debtors(random.Random(f"{seed}/plan"), debtors)
        for i in range(debtors):
            net = Network(ctx, kinds[i], random.Random(f"{seed}/debtor/{i}"))
            net.no_assets = ("unreported_property", True) in plans[i]
            net.tl = make_timeline(net)
            (build_company_debtor if kinds[i] == "company" else build_person_debtor)(net)
            open_case(net)
            truths = [SCHEMES[rule](net, is_honest) for rule, is_honest in plans[i]]
            close_case(net, pays_in_full=not plans[i] and net.rng.random() < 0.5)
            net.flush()
            quota = payments // debtors + (1 if i < payments % debtors else 0)
            stream_payments(net, writer, quota, random.Random(f"{seed}/payments/{i}"))
            for t in truths:
                th.write(orjson.dumps(t.as_dict(), option=orjson.OPT_APPEND_NEWLINE))
                honest += t.honest
                planted += not t.honest
        writer.close()
    summary = {
        "entities_path": str(entities_path), "truth_path": str(truth_path),
        "entities": writer.written, "schemata": dict(sorted(writer.counts.items())),
        "payments": writer.counts["Payment"], "background_payments": payments,
        "schemes": planted, "look_alikes": honest, "rules": list(RULES),
        "seed": seed, "debtors": debtors, "court": ctx.county.court,
    }
    log.info("generated %d entities, %d schemes, %d look-alikes in %s",
             writer.written, planted, honest, out)
    return summary
