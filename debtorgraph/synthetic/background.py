"""The stream of ordinary payments of one debtor's network, merged with the planted ones.

Month by month it makes salaries and rents (the network's monthly flows), shopping,
small transfers among family and friends, and refunds; sorts the month by time; and
writes it with the planted payments that fall in it. Only one month is in memory, so
millions of payments take bounded memory. Nothing ordinary leaves a frozen account.
"""
from __future__ import annotations

import logging
import random
from datetime import date

from debtorgraph.synthetic import names
from debtorgraph.synthetic.network import Flow, Network, Pending
from debtorgraph.synthetic.writer import EntityWriter

log = logging.getLogger(__name__)

_P2P_AMOUNTS = (20.0, 50.0, 88.0, 100.0, 200.0, 200.0, 300.0, 500.0, 500.0, 666.0, 800.0, 1000.0,
                1000.0, 1500.0, 2000.0, 3000.0)
_P2P_PURPOSES = names.P2P_PURPOSES
_HOURS = 16  # ordinary payments fall between 07:00 and 23:00
_BATCH = 2000  # above this many payments a day, batches are made per hour
_SHOP_SHARE = 0.62
_P2P_SHARE = 0.92  # the rest are refunds from shops
_Props = dict[str, list[str]]
_Item = tuple[str, _Props, str]  # (date-time, properties, document id)


def _months(start: date, end: date) -> list[tuple[int, int, int, int]]:
    """(year, month, first day, last day) of each month of the window."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        last = (date(y + (m == 12), m % 12 + 1, 1) - date(y, m, 1)).days
        lo = start.day if (y, m) == (start.year, start.month) else 1
        hi = end.day if (y, m) == (end.year, end.month) else last
        out.append((y, m, lo, hi))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class _Stream:
    """State shared by the month loop: accounts, freezes, the writer."""

    def __init__(self, net: Network, writer: EntityWriter, rng: random.Random) -> None:
        self.net, self.w, self.r, self.rnd = net, writer, rng, rng.random
        self.frozen = {a: (s.isoformat(), e.isoformat() if e else "9999") for a, (s, e) in net.frozen.items()}
        have = net.holder_accounts  # never create accounts here: the network is written
        members = [m for m in net.members if have.get(m)]
        if net.debtor in members:
            members += [net.debtor] * 3  # the debtor's own statements dominate
        self.members = members or [net.debtor]
        self.pairs = [(a, b) for a, b in net.pairs if have.get(a) and have.get(b)]
        self.pairs = self.pairs or [(self.members[0], self.members[0])]
        self.accts = {m: have[m] for m in dict.fromkeys(self.members + [x for p in self.pairs for x in p])}
        self.shops = net.ctx.shops
        self.docs = {a: net.doc_of(a) for accts in self.accts.values() for a in accts}
        for shop in self.shops:
            self.docs[shop.account] = net.doc_of(shop.account)

    def free(self, account: str, day: str) -> bool:
        span = self.frozen.get(account)
        return span is None or not (span[0] <= day <= span[1])

    def payer_account(self, party: str, day: str) -> str | None:
        accts = self.accts[party]
        first = accts[int(self.rnd() * len(accts))]
        if self.free(first, day):
            return first
        return next((a for a in accts if self.free(a, day)), None)

    def random_item(self, when: str) -> _Item:
        rnd, day = self.rnd, when[:10]
        roll = rnd()
        if _SHOP_SHARE <= roll < _P2P_SHARE:
            a, b = self.pairs[int(rnd() * len(self.pairs))]
            if rnd() < 0.5:
                a, b = b, a
            src = self.payer_account(a, day)
            if src is None:
                a, b = b, a
                src = self.payer_account(a, day)
            if src is not None:
                baccts = self.accts[b]
                return self.item(when, a, src, b, baccts[int(rnd() * len(baccts))],
                                 _P2P_AMOUNTS[int(rnd() * len(_P2P_AMOUNTS))],
                                 _P2P_PURPOSES[int(rnd() * len(_P2P_PURPOSES))])
        member = self.members[int(rnd() * len(self.members))]
        shop = self.shops[int(rnd() * len(self.shops))]
        amount = shop.low + (shop.high - shop.low) * rnd()
        src = self.payer_account(member, day) if roll < _SHOP_SHARE else None
        if src is None:  # a refund (or the member's accounts are all frozen)
            accts = self.accts[member]
            return self.item(when, shop.id, shop.account, member, accts[int(rnd() * len(accts))],
                             amount * 0.5, "退款")
        return self.item(when, member, src, shop.id, shop.account, amount,
                         shop.purposes[int(rnd() * len(shop.purposes))])

    def item(self, when: str, payer: str, src: str, ben: str, dst: str, amount: float,
             purpose: str) -> _Item:
        props = {"payer": [payer], "beneficiary": [ben], "payerAccount": [src],
                 "beneficiaryAccount": [dst], "amount": [f"{amount:.2f}"], "currency": ["CNY"],
                 "date": [when], "purpose": [purpose],
                 "transactionNumber": [f"{self.r.getrandbits(62):019d}"]}
        return when, props, self.docs[src]

    def emit(self, props: _Props, doc: str) -> str:
        row = self.w.next_row(doc)
        props["proof"] = [doc]
        props["recordId"] = [f"明细!{row}"]
        props["sequenceNumber"] = [str(row)]
        return self.w.write_payment_props(props)


def _recurring(stream: _Stream, flows: list[Flow], start: date, end: date) -> list[_Item]:
    """Every monthly flow instance in the window, in time order, none from a frozen account."""
    out = []
    r = stream.r
    for y, m, lo, hi in _months(start, end):
        for f in flows:
            d = min(f.day, hi)
            if not lo <= d <= hi:
                continue
            day = date(y, m, d)
            if not f.start <= day <= f.end:
                continue
            iso = day.isoformat()
            if not stream.free(f.payer_account, iso):
                continue
            when = f"{iso}T{r.randrange(8, 12):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}"
            props = {"payer": [f.payer], "beneficiary": [f.beneficiary],
                     "payerAccount": [f.payer_account], "beneficiaryAccount": [f.beneficiary_account],
                     "amount": [f"{f.amount * r.uniform(0.98, 1.03):.2f}"], "currency": ["CNY"],
                     "date": [when], "purpose": [f.purpose],
                     "transactionNumber": [f"{r.getrandbits(62):019d}"]}
            out.append((when, props, stream.net.doc_of(f.payer_account)))
    return out


def stream_payments(net: Network, writer: EntityWriter, count: int, rng: random.Random) -> None:
    """Write ``count`` ordinary payments of the network and all its planted ones.

    Parameters
    ----------
    net : Network
        The debtor's network, already flushed (its other entities are written).
    writer : EntityWriter
        Where the Payments go; each planted :class:`Pending` gets its id here.
    count : int
        Number of ordinary (background) payments to make.
    rng : random.Random
        Random source of the background (separate from the network's).
    """
    tl = net.timeline
    stream = _Stream(net, writer, rng)
    recurring = sorted(_recurring(stream, net.flows, tl.start, tl.end), key=lambda it: it[0])[:count]
    months = _months(tl.start, tl.end)
    extra = count - len(recurring)
    planted: list[Pending] = sorted(net.planted, key=lambda p: p.when)
    pi = ri = 0
    rnd = rng.random
    for n, (y, m, lo, hi) in enumerate(months):
        k = extra // len(months) + (1 if n < extra % len(months) else 0)
        # one batch per day, or per hour when days are crowded: memory stays bounded
        hours = _HOURS if k <= _BATCH * (hi - lo + 1) else 1
        slots = [(day, hour) for day in range(lo, hi + 1) for hour in range(7, 7 + _HOURS, hours)]
        for j, (day, hour) in enumerate(slots):
            size = k // len(slots) + (1 if j < k % len(slots) else 0)
            prefix = f"{y:04d}-{m:02d}-{day:02d}T"
            until = f"{prefix}{hour + hours:02d}:00:00" if hour + hours < 7 + _HOURS else f"{prefix}99"
            batch: list[_Item] = []
            while ri < len(recurring) and recurring[ri][0] < until:
                batch.append(recurring[ri])
                ri += 1
            span = hours * 3600
            for _ in range(size):
                t = int(rnd() * span)
                batch.append(stream.random_item(
                    f"{prefix}{hour + t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"))
            batch.sort(key=lambda it: it[0])
            for when, props, doc in batch:
                while pi < len(planted) and planted[pi].when <= when:
                    planted[pi].id = stream.emit(planted[pi].props, planted[pi].doc)
                    pi += 1
                stream.emit(props, doc)
    for item in recurring[ri:]:  # none expected: every flow instance lies in the window
        stream.emit(item[1], item[2])
    for p in planted[pi:]:
        p.id = stream.emit(p.props, p.doc)
