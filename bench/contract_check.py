"""Independent check of debtorgraph's outputs against the interchange contract.

    python bench/contract_check.py --seed 41 [--seed 42] [--debtors 40] [--keep DIR]

Reads only /work/shared/docs/interchange.md ("Outputs that other tools read" and the input
conventions above it: ids as given, `proof` documents with `fileName`/`contentHash`,
`recordId` on links), tracing.md section (c) (what a trace starts from) and the CLI's
`--help` texts; nothing under debtorgraph/ or tests/ was opened. For each seed it generates a
caseload with bench/evalgen2 (independent of the product), loads it into a fresh store,
runs `detect` (twice, and once more on a second fresh store), `trace --format json` with the
four rules from a few debtors' parties and accounts, `evidence --format json` for a few
debtors with findings, `export --format ftm`, and some bad requests. It checks:
findings (fields and types, stable ids, snake_case rule, score in [0,1], subject / actor /
case / acts / counterparties are input ids of the right schemata, amount and ISO date, legal
basis, a one- or two-sentence explanation, one source per act with the proof document's file
name and hash and the act's recordId); traces (shape, echoes, payment ids, hop-by-hop
connection, time order, amounts within payments, endpoints and conservation); evidence
chains (five categories, facts naming input ids and sources); exports (every input id comes
back); bad requests (non-zero exit, a message, no traceback).
Prints PASS/FAIL per check with the offending values; exits 1 on any FAIL.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTY = {"Person", "Company", "Organization", "PublicBody", "LegalEntity"}
ACT_SCHEMATA = {"Payment", "Ownership", "Family", "Event", "Sanction", "CourtCase", "Debt", "CourtCaseParty"}
DEBTOR_ROLES = {"debtor", "被执行人", "guarantor", "担保人"}
UNIT_ROLES = {"assisting_unit", "协助执行人"}
FIELDS = {"id": str, "rule": str, "score": (int, float), "subject": str, "actor": str,
          "case": (str, type(None)), "acts": list, "counterparties": list, "amount": (int, float),
          "date": str, "legal_basis": list, "explanation": str, "sources": list}
RULES = ("libr", "fifo", "pro_rata", "greedy")
CATEGORIES = {"identity": ("identity", "身份"), "duty": ("duty", "义务"), "ability": ("ability", "能力"),
              "conduct": ("conduct", "refus", "行为"), "circumstances": ("circumstance", "consequence", "情节")}
EPS = 0.011


class Report:
    def __init__(self):
        self.passed = collections.Counter()
        self.failed = collections.defaultdict(list)

    def check(self, name, ok, detail=""):
        if ok:
            self.passed[name] += 1
        else:
            self.failed[name].append(detail)
        return ok

    def print(self, label, limit=8):
        for name in sorted(set(self.passed) | set(self.failed)):
            bad = self.failed.get(name, [])
            if bad:
                print(f"FAIL [{label}] {name}: {len(bad)} failing, {self.passed[name]} passing")
                for d in bad[:limit]:
                    print(f"     - {d}")
                if len(bad) > limit:
                    print(f"     ... {len(bad) - limit} more")
            else:
                print(f"PASS [{label}] {name} ({self.passed[name]} checked)")
        return not self.failed


class Input:
    """The generated caseload, indexed as the contract describes it."""

    def __init__(self, path):
        self.ents = {}
        for line in open(path, encoding="utf-8"):
            e = json.loads(line)
            self.ents[e["id"]] = e
        self.same = {}  # party id -> ids of all parties with the same idNumber/registrationNumber
        groups = collections.defaultdict(set)
        for e in self.ents.values():
            if e["schema"] in PARTY:
                for k in ("idNumber", "registrationNumber"):
                    for v in self.p(e["id"], k):
                        groups[v].add(e["id"])
        for ids in groups.values():
            for i in ids:
                self.same.setdefault(i, set()).update(ids)
        self.postings = collections.defaultdict(list)  # account -> (time, seq, debit-first, signed amount)
        self.owners = collections.defaultdict(set)  # asset -> owners
        self.ccp = []  # (party, case, role)
        for e in self.ents.values():
            if e["schema"] == "Payment":
                d = e["properties"]["date"][0]
                key = (d if len(d) > 10 else d + "T00:00:00", int((self.p(e["id"], "sequenceNumber") or [0])[0]))
                amt = float(e["properties"]["amount"][0])
                for a in self.p(e["id"], "payerAccount"):
                    self.postings[a].append((*key, 0, -amt))
                for a in self.p(e["id"], "beneficiaryAccount"):
                    self.postings[a].append((*key, 1, amt))
            elif e["schema"] == "Ownership":
                for a in self.p(e["id"], "asset"):
                    self.owners[a].update(self.p(e["id"], "owner"))
            elif e["schema"] == "CourtCaseParty":
                for pa in self.p(e["id"], "party"):
                    for c in self.p(e["id"], "case"):
                        self.ccp.append((pa, c, (self.p(e["id"], "role") or [""])[0]))

    def p(self, eid, prop):
        return self.ents.get(eid, {}).get("properties", {}).get(prop, [])

    def schema(self, eid):
        return self.ents.get(eid, {}).get("schema")

    def group(self, pid):
        return self.same.get(pid, {pid})

    def accounts_of(self, party):
        g = self.group(party)
        return {a for a, own in self.owners.items() if own & g and self.schema(a) == "BankAccount"}

    def balance(self, acct, until=None):
        """B at the end of the window: from the first posting, 0 unless balance + balanceDate, never below 0."""
        b, bdate = self.p(acct, "balance"), (self.p(acct, "balanceDate") or [None])[0]
        B, opened = 0.0, not (b and bdate)
        for t, _, _, amt in sorted(self.postings.get(acct, [])):
            if until and t[:10] > until:
                break
            if not opened and t[:10] > bdate[:10]:
                B, opened = float(b[0]), True
            B = max(0.0, B + amt)
        return B

    def debits_after(self, acct, day, until=None):
        return sum(-a for t, _, k, a in self.postings.get(acct, []) if k == 0 and t[:10] > day and (not until or t[:10] <= until))

    def dates(self, eid):
        out = set()
        for k in ("date", "startDate", "endDate", "fileDate"):
            out.update(v[:10] for v in self.p(eid, k))
        return out

    def proof_docs(self, eid):
        return [[(self.p(d, "fileName") or [None])[0], (self.p(d, "contentHash") or [None])[0]]
                for d in self.p(eid, "proof")]


def cli(db, home, *args):
    env = dict(os.environ, DEBTORGRAPH_HOME=str(home))
    cmd = [sys.executable, "-m", "debtorgraph.cli", "--db", str(db), *args]
    r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    return r, "debtorgraph --db DB " + " ".join(args)


def iso_date(s):
    try:
        dt.date.fromisoformat(s)
        return len(s) == 10
    except (TypeError, ValueError):
        return False


def sentences(text):
    parts = [p for p in re.split(r"[。！？!?]+|(?<=[A-Za-z0-9)\]」])\.(?:\s+|$)", text.strip()) if p.strip()]
    return len(parts)


def doc_of(src):
    d = src.get("document") if isinstance(src.get("document"), dict) else src
    name = d.get("fileName", d.get("file_name"))
    digest = d.get("contentHash", d.get("content_hash"))
    rec = src.get("recordId", src.get("record_id"))
    return name, digest, rec


def check_findings(rows, inp, R, cmd):
    snake = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    for f in rows:
        fid = f.get("id")
        tag = f"{cmd}: finding {fid} ({f.get('rule')})"
        for k, t in FIELDS.items():
            R.check(f"finding.field.{k}", k in f and isinstance(f[k], t) and not isinstance(f[k], bool),
                    f"{tag}: {k}={f.get(k, '<missing>')!r}")
        R.check("finding.rule_snake_case", snake.match(str(f.get("rule", ""))), f"{tag}: rule={f.get('rule')!r}")
        sc = f.get("score")
        R.check("finding.score_in_0_1", isinstance(sc, (int, float)) and 0 <= sc <= 1, f"{tag}: score={sc!r}")
        subj, case = f.get("subject"), f.get("case")
        R.check("finding.subject_in_input", subj in inp.ents, f"{tag}: subject={subj}")
        roles = {(c, r) for pa, c, r in inp.ccp if pa == subj}
        ok = any(r in DEBTOR_ROLES and (case is None or c == case) for c, r in roles)
        via = [pa for pa, c, r in inp.ccp if pa in inp.group(subj) and pa != subj and r in DEBTOR_ROLES]
        R.check("finding.subject_is_debtor_of_case_as_given", ok,
                f"{tag}: subject={subj} case={case} roles={sorted(roles)}"
                + (f"; the input names the debtor {via} (same resident ID)" if via else ""))
        if case is not None:
            R.check("finding.case_is_CourtCase", inp.schema(case) == "CourtCase",
                    f"{tag}: case={case} schema={inp.schema(case)}")
        actor = f.get("actor")
        R.check("finding.actor_party_in_input", inp.schema(actor) in PARTY, f"{tag}: actor={actor} schema={inp.schema(actor)}")
        acts = f.get("acts") or []
        R.check("finding.acts_nonempty", bool(acts), f"{tag}: acts={acts}")
        act_parties = set()
        for a in acts:
            R.check("finding.acts_in_input_of_listed_schemata", inp.schema(a) in ACT_SCHEMATA,
                    f"{tag}: act {a} schema={inp.schema(a)}")
            for prop in ("party", "payer", "beneficiary", "owner"):
                act_parties.update(inp.p(a, prop))
        units = {pa for pa, c, r in inp.ccp if r in UNIT_ROLES}
        R.check("finding.actor_is_debtor_unit_or_suitor", actor == subj or actor in units or actor in act_parties,
                f"{tag}: actor={actor} subject={subj}")
        named = {v for a in acts for k, vs in inp.ents.get(a, {}).get("properties", {}).items()
                 if k not in ("proof", "recordId") for v in vs if v in inp.ents}
        named |= {o for a in list(named) if inp.schema(a) == "BankAccount" for o in inp.owners.get(a, ())}
        for cp in f.get("counterparties") or []:
            s = inp.schema(cp)
            R.check("finding.counterparty_named_by_acts_as_given", cp in named,
                    f"{tag}: counterparty {cp} ({s}) is not named by the acts nor holds an account they name"
                    + (f"; the acts name {sorted(inp.group(cp) & named)} (same resident ID)" if inp.group(cp) & named else ""))
            R.check("finding.counterparties_in_input", s in PARTY or s == "BankAccount", f"{tag}: counterparty {cp} schema={s}")
            holders = {o for a in acts if cp in inp.p(a, "beneficiary") for b in inp.p(a, "beneficiaryAccount")
                       for o in inp.owners.get(b, ())}
            if s == "LegalEntity" and holders and cp not in holders:
                R.check("finding.counterparty_is_account_holder_not_statement_name", False,
                        f"{tag}: counterparty {cp} (LegalEntity {inp.p(cp, 'name')}, as the statement names the payee) "
                        f"but the account's Ownership names {sorted(holders)}")
            elif s in PARTY:
                R.check("finding.counterparty_is_account_holder_not_statement_name", True)
            if s == "BankAccount":
                R.check("finding.counterparty_account_only_when_no_holder", not inp.owners.get(cp),
                        f"{tag}: counterparty account {cp} has holder(s) {sorted(inp.owners.get(cp, ()))} in the input")
        amt = f.get("amount")
        R.check("finding.amount_number_ge_0", isinstance(amt, (int, float)) and not isinstance(amt, bool) and amt >= 0,
                f"{tag}: amount={amt!r}")
        R.check("finding.date_iso", iso_date(f.get("date")), f"{tag}: date={f.get('date')!r}")
        adates = set().union(*(inp.dates(a) for a in acts)) if acts else set()
        R.check("finding.date_is_an_act_date", f.get("date") in adates,
                f"{tag}: date={f.get('date')} act dates={sorted(adates)[:6]}")
        if acts and all(inp.schema(a) == "Payment" for a in acts):  # money-only acts: unambiguous first act and value
            first = min(inp.p(a, "date")[0][:10] for a in acts)
            R.check("finding.date_is_first_payment_act", f.get("date") == first, f"{tag}: date={f.get('date')} first act {first}")
            moved = sum(float(inp.p(a, "amount")[0]) for a in acts)
            R.check("finding.amount_le_sum_of_payment_acts", isinstance(amt, (int, float)) and 0 < amt <= moved + EPS,
                    f"{tag}: amount={amt} acts sum to {moved:.2f}")
        lb = f.get("legal_basis") or []
        R.check("finding.legal_basis_provisions", bool(lb) and all(
            isinstance(x, str) and re.search(r"\bart\.|\bpara\.|item|No\.", x) for x in lb), f"{tag}: legal_basis={lb}")
        ex = f.get("explanation") or ""
        R.check("finding.explanation_1_or_2_sentences", ex.strip() and sentences(ex) <= 2,
                f"{tag}: {sentences(ex)} sentences: {ex[:160]!r}")
        if "explanation_en" in f:
            R.check("finding.explanation_en_1_or_2_sentences(extra field)", sentences(f["explanation_en"]) <= 2,
                    f"{tag}: {sentences(f['explanation_en'])} sentences: {f['explanation_en'][:200]!r}")
        srcs = f.get("sources") or []
        src_acts = [s.get("act", s.get("entity", s.get("id"))) for s in srcs if isinstance(s, dict)]
        R.check("finding.sources_one_per_act", sorted(src_acts) == sorted(acts),
                f"{tag}: acts={sorted(acts)} sources name {sorted(map(str, src_acts))}")
        for s in srcs:
            a = s.get("act", s.get("entity", s.get("id")))
            if a not in inp.ents:
                continue
            name, digest, rec = doc_of(s)
            want = inp.proof_docs(a) or [[None, None]]
            R.check("finding.source_document_name_and_hash", [name, digest] in want,
                    f"{tag}: act {a} source ({name}, {digest}) input proof {want}")
            want_rec = (inp.p(a, "recordId") or [None])[0]
            R.check("finding.source_recordId_as_input", rec == want_rec, f"{tag}: act {a} recordId={rec!r} input={want_rec!r}")


def check_trace(t, inp, R, cmd, source, rule, since, until, max_hops):
    tag = cmd
    R.check("trace.shape", isinstance(t, dict) and {"source", "rule", "since", "until", "endpoints"} <= set(t),
            f"{tag}: keys={sorted(t) if isinstance(t, dict) else type(t)}")
    if not isinstance(t, dict):
        return
    R.check("trace.echo_source_rule_since_until",
            (t.get("source"), t.get("rule"), t.get("since"), t.get("until")) == (source, rule, since, until),
            f"{tag}: got {(t.get('source'), t.get('rule'), t.get('since'), t.get('until'))}")
    src_accts = {source} if inp.schema(source) == "BankAccount" else inp.accounts_of(source)
    src_party = inp.group(source) if inp.schema(source) in PARTY else set()
    lo, hi = since, until or "9999-12-31"
    debits = [p for p, e in inp.ents.items() if e["schema"] == "Payment" and lo <= inp.p(p, "date")[0][:10] <= hi and (
        set(inp.p(p, "payerAccount")) & src_accts or (not inp.p(p, "payerAccount") and set(inp.p(p, "payer")) & src_party))]
    out_total = sum(float(inp.p(p, "amount")[0]) for p in debits)
    total = 0.0
    first_hops = {}
    for ep in t.get("endpoints") or []:
        eid, holder, amt = ep.get("id"), ep.get("holder"), ep.get("amount")
        etag = f"{tag}: endpoint {eid}"
        R.check("trace.endpoint_fields", {"id", "holder", "amount", "paths"} <= set(ep) and isinstance(amt, (int, float)),
                f"{etag}: keys={sorted(ep)} amount={amt!r}")
        s = inp.schema(eid)
        R.check("trace.endpoint_in_input", s == "BankAccount" or s in PARTY, f"{etag}: schema={s}")
        if s == "BankAccount":
            R.check("trace.endpoint_holder_owns_account", holder in inp.owners.get(eid, set()) or (
                holder is None and not inp.owners.get(eid)), f"{etag}: holder={holder} input owners={sorted(inp.owners.get(eid, ()))}")
        arrived, last_day, longest = 0.0, "", 0
        for path in ep.get("paths") or []:
            pays, amts = path.get("payments") or [], path.get("amounts") or []
            ptag = f"{etag}: path {pays}"
            R.check("trace.path_payments_amounts_same_length", pays and len(pays) == len(amts), f"{ptag} amounts={amts}")
            if max_hops:
                R.check("trace.path_within_max_hops", len(pays) <= max_hops, f"{ptag}: {len(pays)} hops > {max_hops}")
            if not all(inp.schema(p) == "Payment" for p in pays):
                R.check("trace.payment_ids_in_input", False, f"{ptag}: not input Payments {[p for p in pays if inp.schema(p) != 'Payment']}")
                continue
            R.check("trace.payment_ids_in_input", True)
            p0 = pays[0]
            R.check("trace.first_hop_leaves_source", set(inp.p(p0, "payerAccount")) & src_accts or (
                not inp.p(p0, "payerAccount") and set(inp.p(p0, "payer")) & src_party),
                f"{ptag}: first payment {p0} payerAccount={inp.p(p0, 'payerAccount')} payer={inp.p(p0, 'payer')}")
            d0 = inp.p(p0, "date")[0][:10]
            R.check("trace.first_hop_in_window", lo <= d0 <= hi, f"{ptag}: {p0} dated {d0}, window {lo}..{until}")
            first_hops.setdefault(p0, amts[0] if amts else 0)
            for i, (p, a) in enumerate(zip(pays, amts)):
                full = float(inp.p(p, "amount")[0])
                R.check("trace.hop_amount_le_payment", isinstance(a, (int, float)) and 0 <= a <= full + EPS,
                        f"{ptag}: {p} traced {a} > payment amount {full}")
                R.check("trace.hop_in_window", inp.p(p, "date")[0][:10] <= hi, f"{ptag}: {p} dated {inp.p(p, 'date')[0]} after until {until}")
                if i:
                    q = pays[i - 1]
                    qa, pa = inp.p(q, "beneficiaryAccount"), inp.p(p, "payerAccount")
                    linked = (qa and pa and qa == pa) or (not qa or not pa) and bool(
                        set(inp.p(p, "payer")) & inp.group((inp.p(q, "beneficiary") or [""])[0]))
                    R.check("trace.hops_connected", linked,
                            f"{ptag}: {q} -> beneficiary {inp.p(q, 'beneficiary')} acct {qa}; {p} <- payer {inp.p(p, 'payer')} acct {pa}")
                    R.check("trace.hops_in_time_order", inp.p(q, "date")[0][:10] <= inp.p(p, "date")[0][:10],
                            f"{ptag}: {q} {inp.p(q, 'date')[0]} then {p} {inp.p(p, 'date')[0]}")
                    R.check("trace.path_amounts_non_increasing", a <= amts[i - 1] + EPS, f"{ptag}: amounts={amts}")
            last = pays[-1]
            lands = inp.p(last, "beneficiaryAccount") or inp.p(last, "beneficiary")
            R.check("trace.path_ends_at_endpoint", eid in lands, f"{ptag}: last payment {last} lands at {lands}")
            arrived += amts[-1] if amts else 0
            last_day = max(last_day, inp.p(last, "date")[0][:10])
            longest = max(longest, len(pays))
        if isinstance(amt, (int, float)) and s == "BankAccount":
            bal = inp.balance(eid, until)
            R.check("trace.endpoint_amount_le_account_balance", amt <= bal + EPS,
                    f"{etag}: traced {amt} > the account's balance {bal:.2f} at the end of the window (input postings)")
            if rule == "greedy" and (not max_hops or longest < max_hops):
                later = inp.debits_after(eid, last_day, until)
                R.check("trace.greedy_moves_taint_on", amt <= max(0.0, arrived - later) + EPS,
                        f"{etag}: greedy leaves {amt} though the account paid out {later:.2f} after the last arrival ({last_day})")
        if isinstance(amt, (int, float)):
            total += amt
            R.check("trace.endpoint_amount_le_arrived", -EPS <= amt <= arrived + EPS, f"{etag}: amount {amt} > sum of its paths' last hops {arrived:.2f}")
    for p, a in first_hops.items():
        R.check("trace.first_hop_carries_full_debit", abs(a - float(inp.p(p, "amount")[0])) <= EPS,
                f"{tag}: {p} amount {inp.p(p, 'amount')[0]}, first hop traced {a}")
    R.check("trace.conservation_total_le_debits", total <= out_total + EPS,
            f"{tag}: endpoints hold {total:.2f} > {out_total:.2f} debited from the source in the window")
    untraced = sorted(set(debits) - set(first_hops))

    def is_cash(p):
        return not inp.p(p, "beneficiaryAccount") and inp.p(p, "beneficiary") == inp.p(p, "payer")
    R.check("trace.conservation_all_debits_traced", abs(total - out_total) <= max(EPS, 1e-6 * out_total),
            f"{tag}: endpoints hold {total:.2f}, the source's debits in the window total {out_total:.2f}; "
            f"{len(untraced)} debits untraced, {sum(1 for p in untraced if is_cash(p))} of them cash withdrawals, e.g. "
            + ", ".join(f"{p} {inp.p(p, 'date')[0][:10]} {inp.p(p, 'amount')[0]} {inp.p(p, 'purpose')} -> "
                        f"{inp.p(p, 'beneficiary')}{inp.p(p, 'beneficiaryAccount') or ' (no account)'}"
                        for p in untraced[:3]))


def category_key(cats, words):
    for k, v in cats.items():
        text = (k + " " + str(v.get("title_en", "")) + " " + str(v.get("title_zh", ""))).lower() if isinstance(v, dict) else k
        if any(w in text for w in words):
            return k
    return None


def check_evidence(ev, inp, R, cmd, debtor, finding_ids, acts_of):
    tag = cmd
    cats = ev.get("categories") if isinstance(ev, dict) else None
    R.check("evidence.categories_object", isinstance(cats, dict), f"{tag}: categories={type(cats)}")
    if not isinstance(cats, dict):
        return
    R.check("evidence.debtor_echoed", (ev.get("debtor") or {}).get("id") == debtor, f"{tag}: debtor={ev.get('debtor')}")
    named = set()
    for cat, words in CATEGORIES.items():
        k = category_key(cats, words)
        R.check("evidence.five_categories_present", k is not None, f"{tag}: no category for {cat} in {sorted(cats)}")
        if k is None:
            continue
        facts = cats[k].get("facts") or []
        R.check("evidence.category_has_facts_or_gaps", facts or cats[k].get("gaps"), f"{tag}: {k} empty")
        for fact in facts:
            ftag = f"{tag}: fact {fact.get('id')}"
            ids = fact.get("entities") or []
            named.update(ids)
            R.check("evidence.fact_names_entities", bool(ids), f"{ftag}: no entity ids")
            missing = [i for i in ids if i not in inp.ents]
            R.check("evidence.fact_entities_in_input", not missing, f"{ftag}: not in input {missing}")
            srcs = fact.get("sources") or []
            R.check("evidence.fact_has_sources", bool(srcs), f"{ftag}: no sources")
            for s in srcs:
                e = s.get("entity", s.get("act"))
                if e not in inp.ents:
                    R.check("evidence.source_entity_in_input", False, f"{ftag}: source entity {e}")
                    continue
                name, digest, rec = doc_of(s)
                R.check("evidence.source_document_name_and_hash", [name, digest] in (inp.proof_docs(e) or [[None, None]]),
                        f"{ftag}: {e} source ({name}, {digest}) input proof {inp.proof_docs(e)}")
                want = (inp.p(e, "recordId") or [None])[0]
                R.check("evidence.source_recordId_as_input", rec == want, f"{ftag}: {e} recordId={rec!r} input={want!r}")
    for fid in ev.get("findings") or []:
        R.check("evidence.findings_are_detect_ids", fid in finding_ids, f"{tag}: finding {fid} not among detect --min-score 0 ids")
        missing = [a for a in acts_of.get(fid, []) if a not in named]
        R.check("evidence.finding_acts_named_in_facts", not missing, f"{tag}: finding {fid} acts not in any fact: {missing}")


def check_bad_requests(db, home, R, debtor):
    bad = [("detect", "--debtor", "no-such-debtor"), ("detect", "--rule", "no_such_rule"),
           ("detect", "--case", "no-such-case"), ("trace", "--from", "no-such-acct", "--since", "2022-01-01"),
           ("trace", "--from", debtor, "--since", "2022-01-01", "--rule", "lifo"),
           ("trace", "--from", debtor, "--since", "not-a-date"),
           ("evidence", "--debtor", "no-such-debtor", "--format", "json", "-o", str(home / "bad.json"))]
    for args in bad:
        r, cmd = cli(db, home, *args)
        msg = (r.stderr + r.stdout).strip()
        R.check("bad_request.nonzero_exit", r.returncode != 0, f"{cmd}: exit {r.returncode}, output {msg[-200:]!r}")
        R.check("bad_request.no_traceback", "Traceback" not in msg, f"{cmd}: {msg[-300:]!r}")
        R.check("bad_request.names_the_problem", any(w in msg for w in (args[2], "Invalid value", "unknown", "未知", "不存在", "找不到")),
                f"{cmd}: exit {r.returncode}, message {msg[-200:]!r}")


def fixture(work, R, name, payments, want, since="2023-06-01", sources=("cc-a-s",)):
    """A small contract file: people s, m, c, x, y with one account each; payments (payer, payee or None for cash, ...)."""
    doc = {"id": "cc-doc", "schema": "Table", "properties": {"fileName": ["cc流水.csv"], "mimeType": ["text/csv"],
           "contentHash": ["0123456789abcdef0123456789abcdef01234567"], "fileSize": ["1000"]}}
    ents = [doc]
    for who in ("s", "m", "c", "x", "y"):
        ents.append({"id": f"cc-p-{who}", "schema": "Person", "properties": {"name": [f"测试{who}"], "proof": ["cc-doc"]}})
        ents.append({"id": f"cc-a-{who}", "schema": "BankAccount", "properties": {
            "accountNumber": [f"62220000000000{ord(who)}"], "bankName": ["中国工商银行"], "proof": ["cc-doc"]}})
        ents.append({"id": f"cc-o-{who}", "schema": "Ownership", "properties": {
            "owner": [f"cc-p-{who}"], "asset": [f"cc-a-{who}"], "startDate": ["2020-01-01"], "proof": ["cc-doc"],
            "recordId": [f"开户信息!{ord(who)}"]}})
    ents.append({"id": "cc-le-x", "schema": "LegalEntity", "properties": {"name": ["财付通-测试x"], "proof": ["cc-doc"]}})
    for i, (a, b, amt, day) in enumerate(payments, 1):
        payee = "cc-le-x" if b == "le-x" else f"cc-p-{b or a}"  # le-x: the statement's name for x's account
        b = "x" if b == "le-x" else b
        props = {"payer": [f"cc-p-{a}"], "beneficiary": [payee], "payerAccount": [f"cc-a-{a}"],
                 "amount": [str(amt)], "currency": ["CNY"], "date": [day], "purpose": ["转账" if b else "ATM取现"],
                 "proof": ["cc-doc"], "recordId": [f"明细!{i}"], "sequenceNumber": [str(i)]}
        if b:
            props["beneficiaryAccount"] = [f"cc-a-{b}"]
        ents.append({"id": f"cc-pay-{i}", "schema": "Payment", "properties": props})
    src = work / f"{name}.ftm.jsonl"
    src.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ents), encoding="utf-8")
    home, db = work / f"home-{name}", work / f"db-{name}"
    home.mkdir(exist_ok=True)
    r, cmd = cli(db, home, "load", str(src))
    R.check("fixture.load", r.returncode == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
    inp = Input(src)
    for rule, exp in want.items():
        for source in sources:
            r, cmd = cli(db, home, "trace", "--from", source, "--since", since, "--rule", rule, "--format", "json")
            cmd += f" (fixture {src.name})"
            try:
                t = json.loads(r.stdout)
            except ValueError:
                R.check("fixture.trace_json", False, f"{cmd}: exit {r.returncode} {r.stdout[:200]!r} {r.stderr[-200:]}")
                continue
            check_trace(t, inp, R, cmd, source, rule, since, None, None)
            got = {e.get("id"): e.get("amount") for e in t.get("endpoints") or []}
            diff = {k: (v, got.get(k, 0)) for k, v in exp.items() if abs((got.get(k) or 0) - v) > EPS}
            R.check(f"fixture.{name}_amounts", not diff and set(got) <= set(exp), f"{cmd}: want {exp}, got {got}")


def rules_fixture(work, R):
    # tracing.md (c)'s own example: 100 own + 300 tainted at M, then 250 to X, then 140 to Y
    fixture(work, R, "tracing_md_example", [("c", "m", 100, "2023-05-01"), ("s", "m", 300, "2023-06-01"),
                                            ("m", "x", 250, "2023-06-02"), ("m", "y", 140, "2023-06-03")],
            {"libr": {"cc-a-x": 150, "cc-a-y": 140, "cc-a-m": 10}, "fifo": {"cc-a-x": 150, "cc-a-y": 140, "cc-a-m": 10},
             "pro_rata": {"cc-a-x": 187.5, "cc-a-y": 105, "cc-a-m": 7.5}, "greedy": {"cc-a-x": 250, "cc-a-y": 50, "cc-a-m": 0}})
    # interchange.md: endpoints are parties where a payment names no account (cash): S withdraws 200, pays X 100
    fixture(work, R, "cash_endpoint", [("c", "s", 500, "2023-05-01"), ("s", None, 200, "2023-06-02"),
                                       ("s", "x", 100, "2023-06-03")],
            {r: {"cc-p-s": 200, "cc-a-x": 100} for r in RULES}, sources=("cc-a-s", "cc-p-s"))
    # tracing.md: the holder is whoever owned the account (Ownership), not the payee name on the statement
    fixture(work, R, "holder_from_ownership", [("s", "le-x", 100, "2023-06-02")], {"libr": {"cc-a-x": 100}})


def run_seed(seed, n, work, R):
    out = work / f"eg2-{seed}"
    subprocess.run([sys.executable, str(REPO / "bench" / "evalgen2"), "--out", str(out), "--seed", str(seed),
                    "--debtors", str(n)], check=True, capture_output=True, cwd=REPO)
    src = out / "caseload.ftm.jsonl"
    inp = Input(src)
    home, db, db2 = work / f"home-{seed}", work / f"db-{seed}", work / f"db2-{seed}"
    home.mkdir(exist_ok=True)
    for d in (db, db2):
        r, cmd = cli(d, home, "load", str(src), "--json")
        rep = json.loads(r.stdout) if r.returncode == 0 else {}
        R.check("load.exit_0_no_rejects", r.returncode == 0 and rep.get("rejected") == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
    runs = []
    for d in (db, db, db2):
        r, cmd = cli(d, home, "detect")
        lines = [x for x in r.stdout.splitlines() if x.strip()]
        parsed = []
        for x in lines:
            try:
                parsed.append(json.loads(x))
            except ValueError:
                R.check("detect.stdout_is_json_lines", False, f"{cmd}: {x[:120]!r}")
        R.check("detect.exit_0", r.returncode == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
        runs.append(parsed)
    rows = runs[0]
    print(f"seed {seed}: {len(inp.ents)} input entities, {len(rows)} findings")
    ids = [f.get("id") for f in rows]
    R.check("finding.id_unique", len(ids) == len(set(ids)), f"detect: duplicate ids {[i for i, c in collections.Counter(ids).items() if c > 1]}")
    for k, other in ((1, "same store, second run"), (2, "second fresh store")):
        a = {(f.get("rule"), f.get("subject"), tuple(sorted(f.get("acts") or []))): f.get("id") for f in rows}
        b = {(f.get("rule"), f.get("subject"), tuple(sorted(f.get("acts") or []))): f.get("id") for f in runs[k]}
        diff = [(key, a[key], b.get(key)) for key in a if a[key] != b.get(key)]
        R.check("finding.id_stable", not diff and len(a) == len(b), f"detect ({other}): {len(a)} vs {len(b)} findings; changed {diff[:3]}")
    check_findings(rows, inp, R, "debtorgraph --db DB detect")
    acts_of = {f.get("id"): f.get("acts") or [] for f in rows}
    # traces: subjects of money findings first, one account trace each, the four rules
    def payers(f):  # findings whose payments chain through another party's account give multi-hop traces
        pays = [a for a in f.get("acts") or [] if inp.schema(a) == "Payment"]
        into = {x for a in pays for x in inp.p(a, "beneficiaryAccount")}
        chain = any(set(inp.p(a, "payerAccount")) & into and f.get("subject") not in inp.p(a, "payer") for a in pays)
        return 10 * chain + len({x for a in pays for x in inp.p(a, "payer")})
    picked, seen = [], set()
    for f in sorted(rows, key=lambda f: (-payers(f), f.get("rule"), f.get("id"))):
        if f.get("subject") not in seen and len(picked) < 3:
            seen.add(f.get("subject"))
            picked.append(f)
    for i, f in enumerate(picked):
        subj, since = f["subject"], f.get("date") or "2022-01-01"
        accts = sorted(inp.accounts_of(subj))
        until = (dt.date.fromisoformat(since) + dt.timedelta(days=180)).isoformat() if i == 1 else None
        for rule in RULES:
            for source in [subj] + accts[:1]:
                args = ["trace", "--from", source, "--since", since, "--rule", rule, "--format", "json"]
                args += ["--until", until] if until else []
                args += ["--max-hops", "4"] if i == 2 else []
                r, cmd = cli(db, home, *args)
                R.check("trace.exit_0", r.returncode == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
                try:
                    t = json.loads(r.stdout)
                except ValueError:
                    R.check("trace.stdout_is_json", False, f"{cmd}: {r.stdout[:200]!r}")
                    continue
                R.check("trace.stdout_is_json", True)
                check_trace(t, inp, R, cmd, source, rule, since, until, 4 if i == 2 else None)
    # a debtor known under two ids (same resident ID): "a party means all its accounts", whichever id is asked
    dup = [pa for pa, c, r in inp.ccp if r in DEBTOR_ROLES and len(inp.group(pa)) > 1]
    if dup:
        ends = {}
        for pid in sorted(inp.group(dup[0])):
            args = ["trace", "--from", pid, "--since", "2021-01-01", "--rule", "libr", "--format", "json"]
            r, cmd = cli(db, home, *args)
            R.check("trace.exit_0", r.returncode == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
            if r.returncode == 0:
                t = json.loads(r.stdout)
                check_trace(t, inp, R, cmd + " (a party with two ids)", pid, "libr", "2021-01-01", None, None)
                ends[pid] = {e.get("id"): e.get("amount") for e in t.get("endpoints") or []}
        R.check("trace.same_party_two_ids_same_endpoints", len({json.dumps(v, sort_keys=True) for v in ends.values()}) <= 1,
                f"trace --from each of {sorted(ends)}: {[(k, len(v), round(sum(v.values()), 2)) for k, v in ends.items()]}")
    # evidence: debtors with findings, one with --case, and a merged duplicate debtor if one exists
    r, cmd = cli(db, home, "detect", "--min-score", "0")
    fids = {json.loads(x).get("id") for x in r.stdout.splitlines() if x.strip()}
    R.check("finding.ids_same_at_min_score_0", set(ids) <= fids, f"{cmd}: missing {sorted(set(ids) - fids)[:5]}")
    targets = [(f["subject"], None) for f in picked[:2]] + [(picked[-1]["subject"], picked[-1].get("case"))] if picked else []
    targets += [(dup[0], None)] if dup else []
    for j, (debtor, case) in enumerate(targets):
        o = work / f"ev-{seed}-{j}.json"
        args = ["evidence", "--debtor", debtor, "--format", "json", "-o", str(o)] + (["--case", case] if case else [])
        r, cmd = cli(db, home, *args)
        R.check("evidence.exit_0", r.returncode == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
        if r.returncode == 0:
            ev = json.loads(o.read_text(encoding="utf-8"))
            check_evidence(ev, inp, R, cmd, debtor, fids, acts_of)
            if case:
                got = [c.get("id") for c in ev.get("cases") or []]
                R.check("evidence.only_the_case_asked", got == [case], f"{cmd}: cases={got}")
    # export: every input id comes back
    o = work / f"export-{seed}.jsonl"
    r, cmd = cli(db, home, "export", "--format", "ftm", "-o", str(o))
    R.check("export.exit_0", r.returncode == 0, f"{cmd}: exit {r.returncode} {r.stderr[-300:]}")
    if r.returncode == 0:
        got = {json.loads(x)["id"] for x in o.read_text(encoding="utf-8").splitlines() if x.strip()}
        from followthemoney import model
        unknown, lost = [], []
        for x in o.read_text(encoding="utf-8").splitlines():
            e = json.loads(x) if x.strip() else None
            if not e:
                continue
            sch = model.get(e.get("schema"))
            unknown += [(e["id"], e.get("schema"), k) for k in e.get("properties", {}) if sch is None or sch.get(k) is None]
            lost += [(e["id"], k, v) for k, vs in inp.ents.get(e["id"], {}).get("properties", {}).items()
                     for v in vs if v not in e["properties"].get(k, [])]
        R.check("export.properties_exist_on_ftm_schema", not unknown, f"{cmd}: {len(unknown)} e.g. {unknown[:4]}")
        R.check("export.input_values_kept", not lost, f"{cmd}: {len(lost)} input values not exported, e.g. {lost[:4]}")
        missing = sorted(set(inp.ents) - got)
        R.check("export.every_input_id_found_again", not missing,
                f"{cmd}: {len(missing)} input ids missing, e.g. {[(m, inp.schema(m)) for m in missing[:4]]}")
    check_bad_requests(db, home, R, picked[0]["subject"] if picked else "x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, action="append")
    ap.add_argument("--debtors", type=int, default=40)
    ap.add_argument("--keep", help="work folder to keep (default: a temporary one)")
    ap.add_argument("--limit", type=int, default=8, help="failing values shown per check (default 8)")
    a = ap.parse_args()
    ok = True
    for seed in a.seed or [41]:
        R = Report()
        if a.keep:
            work = Path(a.keep) / str(seed)
            work.mkdir(parents=True, exist_ok=True)
            run_seed(seed, a.debtors, work, R)
            rules_fixture(work, R)
        else:
            with tempfile.TemporaryDirectory(prefix="contract-") as tmp:
                run_seed(seed, a.debtors, Path(tmp), R)
                rules_fixture(Path(tmp), R)
        ok = R.print(f"seed {seed}", a.limit) and ok
        print(f"seed {seed}: {sum(R.passed.values())} checks passed, {sum(map(len, R.failed.values()))} failed "
              f"in {len(R.failed)} of {len(set(R.passed) | set(R.failed))} kinds")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
