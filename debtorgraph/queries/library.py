"""The investigators' standard questions, as Cypher that runs on both stores.

Every query is an UPPER_SNAKE constant with a comment naming its ``$parameters`` and the
columns it returns; :data:`QUERIES` lists them with a title and a description for the
app and the CLI (``debtorgraph query "$(python -c ...)"``). Dates are ISO strings and
compare as text (``2023-05-01T10:00`` sorts after ``2023-05-01``); an ``$until`` is
exclusive. The graph model is described in docs/graph-model.md: parties, accounts,
assets, cases and milestones are ``Entity`` nodes; Payment, Ownership, Family... are
relationships whose ``schema`` column names the FtM schema.

Example
-------
>>> from debtorgraph.queries.library import QUERIES
>>> sorted(q.name for q in QUERIES)[:3]
['ACCOUNTS_TWO_HOPS', 'ACCOUNT_PAYMENTS', 'ASSETS_AFTER_SEIZURE']
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from debtorgraph.graph.schema import ref_type

log = logging.getLogger(__name__)

__all__ = ["LibraryQuery", "QUERIES", "query"]

# Every debtor (被执行人) with the case. Params: none.
# Columns: debtor, name, case_id, case_number, case_props (the CourtCase's properties).
DEBTORS = ("MATCH (d:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) WHERE r.role IN ['debtor', '被执行人'] "
           "RETURN d.id AS debtor, d.caption AS name, c.id AS case_id, c.case_number AS case_number, "
           "c.props AS case_props ORDER BY case_number, debtor")

# The parties of a case and their roles. Params: $case_id (CourtCase id; ``$case``
# would clash with the CASE keyword). Columns: party, name, schema, role, link.
CASE_PARTIES = ("MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity {id: $case_id}) "
                "RETURN p.id AS party, p.caption AS name, p.schema AS schema, r.role AS role, r.id AS link "
                "ORDER BY role, party")

# A debtor's related parties one link away: relatives, associates, employers, companies
# owned or directed, accounts and assets held. Params: $debtor.
# Columns: link, relation, party, schema, name, start_date, end_date, percentage, link_id.
RELATED_PARTIES = ("MATCH (d:Entity {id: $debtor})-[r]-(x:Entity) "
                   "WHERE r.schema IN ['Family', 'Associate', 'Employment', 'Directorship', 'Ownership', "
                   "'Representation', 'Control'] "
                   "RETURN r.schema AS link, r.role AS relation, x.id AS party, x.schema AS schema, "
                   "x.caption AS name, r.start_date AS start_date, r.end_date AS end_date, "
                   "r.percentage AS percentage, r.id AS link_id ORDER BY link, party")

# Relatives of relatives (in-laws: the spouse's parents and siblings, the siblings'
# spouses...). Params: $debtor. Columns: via, via_name, via_relation, party, name, relation.
RELATIVES_TWO_LINKS = ("MATCH (d:Entity {id: $debtor})-[f1]-(x:Entity)-[f2]-(y:Entity) "
                       "WHERE f1.schema = 'Family' AND f2.schema = 'Family' AND y.id <> d.id "
                       "RETURN DISTINCT x.id AS via, x.caption AS via_name, f1.role AS via_relation, "
                       "y.id AS party, y.caption AS name, f2.role AS relation ORDER BY via, party")

# A debtor's transfers out on or after a date. Params: $debtor, $since.
# Columns: payment, date, amount, purpose, beneficiary, name, from_account, to_account.
TRANSFERS_OUT_AFTER = ("MATCH (d:Entity {id: $debtor})-[p:PAYMENT]->(b:Entity) WHERE p.date >= $since "
                       "RETURN p.id AS payment, p.date AS date, p.amount AS amount, p.role AS purpose, "
                       "b.id AS beneficiary, b.caption AS name, p.src_account AS from_account, "
                       "p.dst_account AS to_account ORDER BY date, payment")

# A debtor's cash withdrawals (payee = payer, no beneficiary account) on or after a date.
# Params: $debtor, $since. Columns: payment, date, amount, account, purpose.
CASH_WITHDRAWALS = ("MATCH (d:Entity {id: $debtor})-[p:PAYMENT]->(b:Entity) "
                    "WHERE b.id = d.id AND p.dst_account IS NULL AND p.date >= $since "
                    "RETURN p.id AS payment, p.date AS date, p.amount AS amount, p.src_account AS account, "
                    "p.role AS purpose ORDER BY date")

# Assets of the debtor that a seizure or freeze bound and that passed to someone else
# while it held. Params: $debtor. Columns: sanction, program, sanction_start, lifted,
# asset, asset_name, new_owner, new_owner_name, ownership, changed, basis, price.
ASSETS_AFTER_SEIZURE = (
    f"MATCH (d:Entity {{id: $debtor}})-[old:OWNERSHIP]->(a:Entity)<-[:{ref_type('entity')}]-(s:Entity) "
    "MATCH (o:Entity)-[new:OWNERSHIP]->(a) "
    "WHERE s.schema = 'Sanction' AND s.kind IN ['seizure', 'freeze'] AND o.id <> d.id "
    "AND new.start_date >= s.date AND (s.end_date IS NULL OR new.start_date < s.end_date) "
    "RETURN s.id AS sanction, s.kind AS program, s.date AS sanction_start, s.end_date AS lifted, "
    "a.id AS asset, a.caption AS asset_name, o.id AS new_owner, o.caption AS new_owner_name, "
    "new.id AS ownership, new.start_date AS changed, new.role AS basis, new.amount AS price "
    "ORDER BY changed")

# Everyone who held an asset, over time (conveyances, leases). Params: $asset.
# Columns: owner, name, ownership, start_date, end_date, basis, price, percentage.
OWNERSHIP_HISTORY = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity {id: $asset}) "
                     "RETURN o.id AS owner, o.caption AS name, r.id AS ownership, r.start_date AS start_date, "
                     "r.end_date AS end_date, r.role AS basis, r.amount AS price, r.percentage AS percentage "
                     "ORDER BY start_date")

# Where the debtor's money went in two hops, time-respecting (the second payment no
# earlier than the first). Params: $debtor, $since. Columns: first, first_date,
# first_amount, via, via_name, second, second_date, second_amount, account, holder, holder_name.
ACCOUNTS_TWO_HOPS = ("MATCH (d:Entity {id: $debtor})-[p1:PAYMENT]->(x:Entity)-[p2:PAYMENT]->(y:Entity) "
                     "WHERE p1.date >= $since AND p2.date >= p1.date AND x.id <> d.id AND y.id <> x.id "
                     "RETURN p1.id AS first, p1.date AS first_date, p1.amount AS first_amount, x.id AS via, "
                     "x.caption AS via_name, p2.id AS second, p2.date AS second_date, "
                     "p2.amount AS second_amount, p2.dst_account AS account, y.id AS holder, "
                     "y.caption AS holder_name ORDER BY first_date, second_date LIMIT 2000")

# The milestones and measures of the debtor's cases, in time order. Params: $debtor.
# Columns: case_id, case_number, entity, schema, name, date, end_date.
DEBTOR_MILESTONES = ("MATCH (d:Entity {id: $debtor})-[:COURT_CASE_PARTY]->(c:Entity) "
                     "MATCH (e:Entity) WHERE e.case_number = c.case_number AND e.schema IN ['Event', 'Sanction'] "
                     "RETURN c.id AS case_id, c.case_number AS case_number, e.id AS entity, e.schema AS schema, "
                     "e.kind AS name, e.date AS date, e.end_date AS end_date ORDER BY date, entity")

# Measures binding the debtor or what it holds. Params: $debtor.
# Columns: sanction, program, target, target_name, start_date, end_date, case_number.
DEBTOR_SANCTIONS = (
    f"MATCH (s:Entity)-[:{ref_type('entity')}]->(x:Entity) WHERE s.schema = 'Sanction' AND x.id = $debtor "
    "RETURN s.id AS sanction, s.kind AS program, x.id AS target, x.caption AS target_name, "
    "s.date AS start_date, s.end_date AS end_date, s.case_number AS case_number "
    "UNION "
    f"MATCH (d:Entity {{id: $debtor}})-[:OWNERSHIP]->(x:Entity)<-[:{ref_type('entity')}]-(s:Entity) "
    "WHERE s.schema = 'Sanction' "
    "RETURN s.id AS sanction, s.kind AS program, x.id AS target, x.caption AS target_name, "
    "s.date AS start_date, s.end_date AS end_date, s.case_number AS case_number")

# Every payment of an account in a window, debits and credits. Params: $account,
# $since, $until (exclusive). Columns: payment, date, amount, direction, payer,
# beneficiary, payer_account, beneficiary_account, purpose, seq.
ACCOUNT_PAYMENTS = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) "
                    "WHERE (p.src_account = $account OR p.dst_account = $account) "
                    "AND p.date >= $since AND p.date < $until "
                    "RETURN p.id AS payment, p.date AS date, p.amount AS amount, "
                    "CASE WHEN p.src_account = $account THEN 'debit' ELSE 'credit' END AS direction, "
                    "a.id AS payer, b.id AS beneficiary, p.src_account AS payer_account, "
                    "p.dst_account AS beneficiary_account, p.role AS purpose, p.seq AS seq "
                    "ORDER BY date, seq")

# Payments from one party to another. Params: $payer, $beneficiary.
# Columns: payment, date, amount, purpose, payer_account, beneficiary_account.
PAYMENTS_BETWEEN = ("MATCH (a:Entity {id: $payer})-[p:PAYMENT]->(b:Entity {id: $beneficiary}) "
                    "RETURN p.id AS payment, p.date AS date, p.amount AS amount, p.role AS purpose, "
                    "p.src_account AS payer_account, p.dst_account AS beneficiary_account ORDER BY date")

# The entity as loaded, with where it came from (any id, merged or not). Params: $id.
# Columns: id, schema, props, canonical, origin, load_id.
RECORD_OF = ("MATCH (r:Record {id: $id}) RETURN r.id AS id, r.schema AS schema, r.props AS props, "
             "r.canonical AS canonical, r.origin AS origin, r.load_id AS load_id")


@dataclass(frozen=True)
class LibraryQuery:
    """One named question: its Cypher, parameters (name -> example) and wording (English
    ``description``, Chinese ``description_zh``)."""

    name: str
    title: str
    title_en: str
    description: str
    cypher: str
    params: dict[str, Any] = field(default_factory=dict)
    description_zh: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "title_en": self.title_en,
                "description": self.description, "description_zh": self.description_zh or self.description,
                "cypher": self.cypher, "params": dict(self.params)}


QUERIES: tuple[LibraryQuery, ...] = (
    LibraryQuery("DEBTORS", "被执行人及案件", "Debtors and their cases",
                 "Every party that is the debtor of a case.", DEBTORS,
                 description_zh="案件中身为被执行人的每一方。"),
    LibraryQuery("CASE_PARTIES", "案件当事人", "Parties of a case",
                 "The parties of a case and their roles.", CASE_PARTIES, {"case_id": None},
                 description_zh="案件的各方当事人及其身份。"),
    LibraryQuery("RELATED_PARTIES", "关联方", "Related parties",
                 "Relatives, associates, employers, companies, accounts and assets one link away.",
                 RELATED_PARTIES, {"debtor": None},
                 description_zh="一步之内的亲属、关系人、雇主、公司、账户和财产。"),
    LibraryQuery("RELATIVES_TWO_LINKS", "姻亲及亲属的亲属", "Relatives of relatives",
                 "In-laws and other relatives two Family links away.", RELATIVES_TWO_LINKS, {"debtor": None},
                 description_zh="相隔两层亲属关系的姻亲及其他亲属。"),
    LibraryQuery("TRANSFERS_OUT_AFTER", "某日后转出的款项", "Transfers out after a date",
                 "The debtor's payments on or after a date (e.g. the judgment's effective date).",
                 TRANSFERS_OUT_AFTER, {"debtor": None, "since": "2023-01-01"},
                 description_zh="被执行人在某日（如判决生效日）及以后的付款。"),
    LibraryQuery("CASH_WITHDRAWALS", "取现记录", "Cash withdrawals",
                 "The debtor's cash withdrawals on or after a date.", CASH_WITHDRAWALS,
                 {"debtor": None, "since": "2023-01-01"},
                 description_zh="被执行人在某日及以后的取现。"),
    LibraryQuery("ASSETS_AFTER_SEIZURE", "查封冻结后易手的财产", "Assets that changed hands after a seizure",
                 "Assets of the debtor bound by a seizure or freeze that passed to another while it held.",
                 ASSETS_AFTER_SEIZURE, {"debtor": None},
                 description_zh="被查封、冻结的财产在措施有效期间转给他人。"),
    LibraryQuery("OWNERSHIP_HISTORY", "财产权属变动", "Ownership history of an asset",
                 "Everyone who held an asset, with dates, basis and price.", OWNERSHIP_HISTORY, {"asset": None},
                 description_zh="某项财产的历任持有人，含日期、依据和价格。"),
    LibraryQuery("ACCOUNTS_TWO_HOPS", "两跳内的资金去向", "Accounts two hops from the debtor",
                 "Where the debtor's money went in two time-respecting hops.", ACCOUNTS_TWO_HOPS,
                 {"debtor": None, "since": "2023-01-01"},
                 description_zh="被执行人的资金按时间顺序两跳之内去了哪里。"),
    LibraryQuery("DEBTOR_MILESTONES", "案件节点", "A debtor's milestones",
                 "The milestones and measures of the debtor's cases in time order.", DEBTOR_MILESTONES,
                 {"debtor": None},
                 description_zh="被执行人各案件的节点和措施，按时间排列。"),
    LibraryQuery("DEBTOR_SANCTIONS", "强制措施", "Measures on the debtor",
                 "Freezes, seizures, listings and restrictions on the debtor or what it holds.",
                 DEBTOR_SANCTIONS, {"debtor": None},
                 description_zh="针对被执行人或其财产的冻结、查封、失信和限制消费。"),
    LibraryQuery("ACCOUNT_PAYMENTS", "账户流水", "Payments of an account in a window",
                 "Every debit and credit of an account between two dates.", ACCOUNT_PAYMENTS,
                 {"account": None, "since": "2023-01-01", "until": "2024-01-01"},
                 description_zh="某账户在两个日期之间的全部收支。"),
    LibraryQuery("PAYMENTS_BETWEEN", "两方之间的转账", "Payments between two parties",
                 "Every payment from one party to another.", PAYMENTS_BETWEEN,
                 {"payer": None, "beneficiary": None},
                 description_zh="一方向另一方的全部付款。"),
    LibraryQuery("RECORD_OF", "原始记录", "The record as loaded",
                 "An entity as loaded, with its source file and line.", RECORD_OF, {"id": None},
                 description_zh="导入时的原始实体，含来源文件和行号。"),
)


def query(name: str) -> LibraryQuery:
    """The library query called ``name`` (KeyError names the choices)."""
    for q in QUERIES:
        if q.name == name:
            return q
    raise KeyError(f"{name!r}: choose from {', '.join(q.name for q in QUERIES)}")
