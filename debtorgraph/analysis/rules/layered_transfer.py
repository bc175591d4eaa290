"""layered_transfer: money leaves the debtor through intermediaries and lands with his side.

Pattern
    Inside the watch window a payment of at least ``MIN_AMOUNT`` goes from the debtor to a
    party that is not related, and from there on along a time-respecting path (each hop
    no earlier than the one before and within ``MAX_WAIT``; tracing.md "time-respecting
    paths") of payments that each carry ``KEEP_LOW`` to ``KEEP_HIGH`` of the previous
    amount, through unrelated intermediaries, to (a) a related party or a company the
    debtor controls, or (b) the debtor again (round trip, at least two intermediaries).
    The last hop is not counted when it is the receiver's own employer paying a salary.
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313 (transferring
    property); art. 8 of 法释〔2024〕13号 (intermediaries who knew are accomplices).
Thresholds
    ``MIN_AMOUNT`` = 10,000; ``MAX_WAIT`` = 7 days per hop; ``MAX_HOPS`` = 5 payments;
    ``KEEP_LOW``/``KEEP_HIGH`` = 0.5/1.05 (this product's choices; AMLSim cycles forward
    about 90% a hop).
Score
    0.75; +0.10 when it ends with close kin, a controlled company or the debtor; +0.05
    when 90% or more of the amount arrives; +0.05 when every hop came within 48 hours.
"""
from __future__ import annotations

from datetime import timedelta

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.fmt import money, names, names_en, plural
from debtorgraph.analysis.rules.text import is_salary

RULE = "layered_transfer"
MIN_AMOUNT = 10_000.0
MAX_WAIT = timedelta(days=7)
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


def find(ctx: Context) -> list[Candidate]:
    """Chains from the debtor through unrelated parties back to the debtor's side."""
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
            mids = list(dict.fromkeys(ctx.receiver(p) for path in paths for p in path[:-1]))
            link = ctx.rel.get(end)
            c = Candidate(RULE, case, acts, [end], ctx.subject, round(min(arrived, seed.amount), 2),
                          seed.when, 0.75, provisions=["NPC1", "CrimL313", "I24-8"])
            if end == ctx.subject:
                c.add("round_trip", 0.10, "资金经他人账户回流至债务人", "the money came back to the debtor")
            elif link and (link.closeness >= 0.9 or link.kind == "controlled_company"):
                c.add("ends_with_kin", 0.10, f"资金最终流入其{link.zh}", f"it ends with the debtor's {link.en}")
            if arrived >= 0.9 * seed.amount:
                c.add("amount_kept", 0.05, "到达金额与转出金额基本一致", "nearly the whole amount arrives")
            if all((b.when - a.when) <= timedelta(hours=48) for path in paths for a, b in zip(path, path[1:])):
                c.add("fast_hops", 0.05, "每一跳均在 48 小时内", "every hop within 48 hours")
            c.facts.update(end=end, link=link, mids=mids, hops=max(len(p) for p in paths), sent=seed.amount,
                           arrived=arrived)
            out.append(c)
            ctx.claimed.update(acts)
    return out


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
