"""layered_transfer: money leaves the debtor through intermediaries and lands with his side.

Pattern
    Inside the watch window a payment of at least ``MIN_AMOUNT`` goes from the debtor to a
    party that is not related, and from there on along a time-respecting path (each hop
    no earlier than the one before and within ``MAX_WAIT``; docs/tracing.md "time-respecting
    paths") of payments that each carry ``KEEP_LOW`` to ``KEEP_HIGH`` of the previous
    amount, through unrelated intermediaries, to (a) a related party or a company the
    debtor controls, or (b) the debtor again (round trip, at least two intermediaries).
    The last hop is not counted when it is the receiver's own employer paying a salary;
    a cycle in which every hop is a firm paying a firm for goods or services (货款,
    材料款, 运费...) is trade, not layering.

    Split and joined again over weeks (domain.md section 7): the debtor's payments from
    ``MIN_AMOUNT``/2 to unrelated parties are followed as money each party holds for up
    to ``LONG_WAIT``; an onward payment carries it (oldest first, the FIFO rule of
    docs/tracing.md) when at least ``POOL_SHARE`` of the payment is the debtor's money, and
    parts that meet again are summed. What reaches the debtor's side (back to the debtor:
    two intermediaries or more) from ``MIN_AMOUNT`` on is a finding.
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313 (transferring
    property); art. 8 of 法释〔2024〕13号 (intermediaries who knew are accomplices).
Thresholds
    ``MIN_AMOUNT`` = 10,000; ``MAX_WAIT`` = 7 days per hop; ``MAX_HOPS`` = 5 payments;
    ``KEEP_LOW``/``KEEP_HIGH`` = 0.5/1.05 (this product's choices; AMLSim cycles forward
    about 90% a hop); ``LONG_WAIT`` = 30 days, ``POOL_SHARE`` = 0.8.
Score
    0.75; +0.10 when it ends with close kin, a controlled company or the debtor; +0.05
    when 90% or more of the amount arrives; +0.05 when every hop came within 48 hours.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.fmt import money, names, names_en, plural
from debtorgraph.analysis.rules.text import is_salary, is_trade

RULE = "layered_transfer"
MIN_AMOUNT = 10_000.0
MAX_WAIT = timedelta(days=7)
LONG_WAIT = timedelta(days=30)  # split-and-rejoin layering: how long a party may hold the money
POOL_SHARE = 0.8  # an onward payment counts when this share of it is the debtor's money
MAX_HOPS = 5
KEEP_LOW = 0.5
KEEP_HIGH = 1.05
_BRANCH = 50  # most onward payments examined per intermediary


def _by_sender(ctx: Context) -> dict[str, list[Pay]]:
    out: dict[str, list[Pay]] = {}
    for p in ctx.payments:
        out.setdefault(p.payer, []).append(p)
        sender = ctx.sender(p)
        if sender != p.payer:
            out.setdefault(sender, []).append(p)
    return out


def _paths(ctx: Context, seed: Pay, index: dict[str, list[Pay]]) -> list[list[Pay]]:
    """Time-respecting paths from ``seed`` that end with the debtor's side."""
    found: list[list[Pay]] = []
    stack = [[seed]]
    while stack:
        path = stack.pop()
        last = path[-1]
        node = ctx.receiver(last)
        branch = 0
        for nxt in index.get(node, ()):
            if nxt.when < last.when or nxt.when > last.when + MAX_WAIT:
                continue
            if not KEEP_LOW * last.amount <= nxt.amount <= KEEP_HIGH * last.amount or nxt in path:
                continue
            if ctx.to_creditor_side(nxt) or nxt.withdrawal:
                continue
            branch += 1
            if branch > _BRANCH:
                break
            got = ctx.receiver(nxt)
            if got == ctx.subject:
                if len(path) >= 2:  # two intermediaries or more: a round trip
                    found.append(path + [nxt])
                continue
            if got in ctx.rel:
                if not (is_salary(nxt.purpose) and _employs(ctx, node, got)):
                    found.append(path + [nxt])
                continue
            if len(path) + 1 < MAX_HOPS and got not in {ctx.receiver(p) for p in path}:
                stack.append(path + [nxt])
    return found


def _employs(ctx: Context, employer: str, person: str) -> bool:
    g = ctx.g
    for a, b in ((person, employer), (employer, person)):
        if g.has_edge(a, b) and any(d.get("schema") == "Employment" for d in g[a][b].values()):
            return True
    return False


def _pooled(ctx: Context) -> list[tuple[Pay, list[list[Pay]]]]:
    """Split-and-rejoin layering over weeks: the debtor's money followed through unrelated
    parties, each holding it up to ``LONG_WAIT`` and passing on what it holds (oldest first,
    as the FIFO rule of docs/tracing.md), summed where parts meet again.

    Returns (first seed payment, the routes that reached the debtor's side), one item per
    party reached.
    """
    parcels: dict[str, list[list[Any]]] = {}  # node -> [[remaining, arrival, routes], ...]
    reached: dict[str, list[list[Pay]]] = {}
    seeds: dict[str, Pay] = {}
    for p in ctx.payments:
        if p.id in ctx.claimed or p.withdrawal or ctx.to_creditor_side(p):
            continue
        got = ctx.receiver(p)
        if ctx.from_subject(p):
            if p.amount >= MIN_AMOUNT / 2 and got != ctx.subject and got not in ctx.rel \
                    and ctx.case_at(p.when) is not None:
                parcels.setdefault(got, []).append([p.amount, p.when, [[p]]])
            continue
        held = [x for x in parcels.get(ctx.sender(p), ()) if x[0] > 0.01 and x[1] <= p.when <= x[1] + LONG_WAIT]
        total = sum(x[0] for x in held)
        if not held or min(total, p.amount) < POOL_SHARE * p.amount:
            continue  # mostly the intermediary's own money: trade, not a pass-through
        need, routes = p.amount, []
        for x in sorted(held, key=lambda x: x[1]):
            if need <= 0.01:
                break
            take = min(need, x[0])
            x[0] -= take
            need -= take
            routes += [r + [p] for r in x[2]]
        if got == ctx.subject and min(len(r) for r in routes) < 3:
            continue  # one trading partner paying the debtor back is trade, not a round trip
        if got == ctx.subject or got in ctx.rel:
            if not (is_salary(p.purpose) and _employs(ctx, ctx.sender(p), got)):
                for route in routes:
                    reached.setdefault(got, []).append(route)
                    seeds.setdefault(got, route[0])
        elif max(len(r) for r in routes) < MAX_HOPS:
            parcels.setdefault(got, []).append([p.amount - max(need, 0.0), p.when, routes])
    return [(seeds[end], routes) for end, routes in reached.items()]


def find(ctx: Context) -> list[Candidate]:
    """Chains from the debtor through unrelated parties back to the debtor's side."""
    out = _chains(ctx)
    for seed, paths in _pooled(ctx):
        acts = list(dict.fromkeys(p.id for path in paths for p in path))
        if set(acts) & ctx.claimed:
            continue
        case = ctx.case_at(seed.when)
        if case is None:
            continue
        sent = sum({path[0].id: path[0].amount for path in paths}.values())
        arrived = sum({path[-1].id: path[-1].amount for path in paths}.values())
        if arrived < MIN_AMOUNT or _trade(ctx, paths):
            continue
        out.append(_candidate(ctx, case, seed, paths, acts, sent, arrived, pooled=True))
        ctx.claimed.update(acts)
    return out


def _chains(ctx: Context) -> list[Candidate]:
    """Payment by payment chains, each hop within ``MAX_WAIT``."""
    index = _by_sender(ctx)
    out = []
    for seed in ctx.payments:
        if seed.amount < MIN_AMOUNT or not ctx.from_subject(seed) or seed.id in ctx.claimed:
            continue
        first = ctx.receiver(seed)
        if first == ctx.subject or first in ctx.rel or ctx.to_creditor_side(seed) or seed.withdrawal:
            continue
        case = ctx.case_at(seed.when)
        if case is None:
            continue
        by_end: dict[str, list[list[Pay]]] = {}
        for path in _paths(ctx, seed, index):
            by_end.setdefault(ctx.receiver(path[-1]), []).append(path)
        for end, paths in by_end.items():
            acts = list(dict.fromkeys(p.id for path in paths for p in path))
            if set(acts) & ctx.claimed:
                continue
            arrived = sum({path[-1].id: path[-1].amount for path in paths}.values())
            if _trade(ctx, paths):
                continue
            c = _candidate(ctx, case, seed, paths, acts, seed.amount, arrived)
            out.append(c)
            ctx.claimed.update(acts)
    return out


def _trade(ctx: Context, paths: list[list[Pay]]) -> bool:
    """Every hop is a firm paying a firm for goods or services: a trade cycle, not layering."""
    firms = ("Company", "Organization", "LegalEntity")
    return all(is_trade(p.purpose) and ctx.schema(ctx.sender(p)) in firms and ctx.schema(ctx.receiver(p)) in firms
               for path in paths for p in path)


def _candidate(ctx: Context, case: Any, seed: Pay, paths: list[list[Pay]], acts: list[str], sent: float,
               arrived: float, pooled: bool = False) -> Candidate:
    """A layering finding from its routes."""
    end = ctx.receiver(paths[0][-1])
    mids = list(dict.fromkeys(ctx.receiver(p) for path in paths for p in path[:-1]))
    link = ctx.rel.get(end)
    c = Candidate(RULE, case, acts, [end], ctx.subject, round(min(arrived, sent), 2),
                  seed.when, 0.75, provisions=["NPC1", "CrimL313", "I24-8"])
    if end == ctx.subject:
        c.add("round_trip", 0.10, "资金经他人账户回流至债务人", "the money came back to the debtor")
    elif link and (link.closeness >= 0.9 or link.kind == "controlled_company"):
        c.add("ends_with_kin", 0.10, f"资金最终流入其{link.zh}", f"it ends with the debtor's {link.en}")
    if arrived >= 0.9 * sent:
        c.add("amount_kept", 0.05, "到达金额与转出金额基本一致", "nearly the whole amount arrives")
    if pooled:
        c.add("split_rejoined", 0.0, f"分 {len({p[0].id for p in paths})} 笔经多人、历时数周后汇合",
              f"split over {len({p[0].id for p in paths})} payments through several parties, joined again over weeks")
    elif all((b.when - a.when) <= timedelta(hours=48) for path in paths for a, b in zip(path, path[1:])):
        c.add("fast_hops", 0.05, "每一跳均在 48 小时内", "every hop within 48 hours")
    c.facts.update(end=end, link=link, mids=mids, hops=max(len(p) for p in paths), sent=sent,
                   arrived=arrived)
    return c


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    debtor = ctx.caption(ctx.subject)
    if f["end"] == ctx.subject:
        end_zh, end_en = "回到被执行人本人账户", "came back to the debtor's own account"
    else:
        who_zh = f"其{f['link'].zh}" if f["link"] else ""
        who_en = f"the debtor's {f['link'].en} " if f["link"] else ""
        end_zh = f"流入{who_zh}{ctx.caption(f['end'])}"
        end_en = f"reached {who_en}{ctx.caption(f['end'])}"
    zh = (f"被执行人{debtor}于{when_zh}转出 {money(f['sent'])} 元，经{names(ctx, f['mids'])}等"
          f" {len(f['mids'])} 个中间账户、{f['hops']} 跳后，{money(f['arrived'])} 元{end_zh}。")
    en = (f"{when_en.capitalize()}, the debtor {debtor} sent {money(f['sent'])} yuan that passed through "
          f"{plural(len(f['mids']), 'intermediary').replace('intermediarys', 'intermediaries')} "
          f"({names_en(ctx, f['mids'])}) in {plural(f['hops'], 'hop')}; "
          f"{money(f['arrived'])} yuan {end_en}.")
    return zh, en
