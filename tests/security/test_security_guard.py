"""The read-only guard for user Cypher (debtorgraph.queries.guard)."""
from __future__ import annotations

from unittest.mock import MagicMock

import ladybug as lb
import pytest

from debtorgraph.errors import InvalidInput, ReadOnlyViolation
from debtorgraph.queries.guard import check_read_only, limit_rows

REFUSED = [
    # (query, clause named in the message)
    ("CREATE (:Person {id: 'x'})", "CREATE"),                                  # plain create
    ("MATCH (p:Person) MERGE (p)-[:OWNS]->(:Account {id: 'a9'})", "MERGE"),   # merge
    ("MATCH (p:Person) SET p.name = '张三'", "SET"),                           # set property
    ("MATCH (p:Person) DELETE p", "DELETE"),                                   # delete
    ("MATCH (p:Person) DETACH DELETE p", "DETACH DELETE"),                     # detach delete
    ("MATCH (p:Person) REMOVE p.name", "REMOVE"),                              # remove
    ("DROP TABLE Person", "DROP"),                                             # drop a table
    ("ALTER TABLE Person ADD age INT64", "ALTER"),                             # schema change
    ("COPY Person FROM 'people.csv'", "COPY"),                                 # bulk load
    ("MATCH (p:Person) RETURN p.name COPY TO 'out.csv'", "COPY"),              # copy out
    ("LOAD FROM 'secrets.csv' RETURN *", "LOAD FROM"),                         # read a local file
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD CSV"),           # Neo4j form
    ("INSTALL json", "INSTALL"),                                               # extension
    ("LOAD EXTENSION json", "LOAD EXTENSION"),                                 # extension
    ("ATTACH 'other.db' AS o (dbtype lbug)", "ATTACH"),                        # another database
    ("EXPORT DATABASE '/tmp/dump'", "EXPORT DATABASE"),                        # dump everything
    ("IMPORT DATABASE '/tmp/dump'", "IMPORT DATABASE"),                        # overwrite
    ("CHECKPOINT", "CHECKPOINT"),                                              # storage
    ("BEGIN TRANSACTION", "BEGIN"),                                            # transactions
    ("COMMIT", "COMMIT"),                                                      # transactions
    ("USE other MATCH (n) RETURN n", "USE"),                                   # switch graph
    ("MATCH (p:Person) FOREACH (x IN [1] | SET p.n = x)", "FOREACH"),          # Neo4j loop
    ("MATCH (p:Person) // harmless?\nDELETE p", "DELETE"),                     # after // comment
    ("MATCH (p:Person) /* read */ DETACH /* only */ DELETE p", "DETACH DELETE"),  # around /* */
    ("MATCH (p:Person)\n\tdEtAcH\r\n   dElEtE p", "DETACH DELETE"),            # casing, whitespace
    ("MATCH (p:Person) WHERE p.name = 'x' CREATE (:Person {id: 'y'})", "CREATE"),  # after string
    ("MATCH (p) CALL { WITH p MATCH (p)-[r]->() DELETE r } RETURN p", "DELETE"),   # subquery
    ("MATCH (p) RETURN p.id UNION MATCH (q) SET q.x = 1 RETURN q.id", "SET"),  # after UNION
    ("MATCH (p) WHERE EXISTS { MATCH (p)-->(q) SET q.x = 1 } RETURN p", "SET"),  # EXISTS subquery
    ("MATCH (`p`:Person) SET `p`.name = 'x'", "SET"),                          # backtick names
    ("MATCH (p) RETURN p.name = 'it\\'s' CREATE (:X)", "CREATE"),              # escaped quote
    ("MATCH (set) RETURN set", "SET"),                                         # keyword as a name
    ("MATCH (n: Set) RETURN n", "SET"),                  # label after a space: refused, to be safe
]


@pytest.mark.parametrize("query, clause", REFUSED)
def test_refused(query, clause):
    with pytest.raises(ReadOnlyViolation) as err:
        check_read_only(query)
    message = str(err.value)
    assert f"不允许的子句 {clause}" in message           # Chinese, naming the clause
    assert f"contains {clause}" in message              # English, naming the clause


@pytest.mark.parametrize("query, match", [
    ("CALL threads=1", "changes a database setting"),                # ladybug setting
    ("CALL timeout = 0", "changes a database setting"),              # would lift the time limit
    ("CALL apoc.create.node(['X'], {}) YIELD node RETURN node", "not an allowed read procedure"),
    ("CALL project_graph('g', ['Person'], [])", "not an allowed read procedure"),  # ladybug writes
    ("CALL clear_warnings()", "not an allowed read procedure"),      # changes state
    ("CALL read_csv('/etc/passwd') RETURN *", "not an allowed read procedure"),  # reads files
    ("CALL dbms.security.createUser('x', 'y')", "not an allowed read procedure"),
    ("MATCH (n) CALL db.createLabel('X') RETURN n", "not an allowed read procedure"),
    ("RETURN nextval('seq')", "may write"),                          # advances a sequence
    ("RETURN apoc.cypher.runFirstColumnSingle('CREATE (n)', {})", "may write"),  # Cypher in a string
    ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", "Only one statement"),  # a second statement
    ("MATCH (n) RETURN n; RETURN 1", "Only one statement"),          # even a read one
    ("MATCH (n) RETURN 'unterminated", "Unterminated string"),      # lexer could disagree
    ("MATCH (n) RETURN n /* open comment", "Unterminated comment"),
    ("MATCH (`n) RETURN 1", "Unterminated quoted name"),
    ("VACUUM", "A read query starts with"),                          # unknown statement
    ("", "empty"),
    ("// only a comment", "empty"),
])
def test_refused_other(query, match):
    with pytest.raises(ReadOnlyViolation, match=match):
        check_read_only(query)


ALLOWED = [
    "MATCH (p:Person) RETURN p.id, p.name ORDER BY p.id",                     # plain read
    "MATCH (p:Person) WHERE p.name = 'CREATE' RETURN p.id",                   # keyword in a string
    'MATCH (p:Person) WHERE p.name = "DELETE me; DROP TABLE Person" RETURN p.id',  # more
    "MATCH (p:Person) WHERE p.name = 'it\\'s SET' RETURN p.id",               # escaped quote
    "MATCH (p:Person) RETURN p.created, p.updated, p.settled",                # keyword prefixes
    "MATCH (p:Person) RETURN p.`set`, p.`DELETE`",                            # quoted names
    "MATCH (p:Person)-[:OWNS]->(a:Account) RETURN p.id, a.id // CREATE later",  # comment
    "MATCH (p:Person) /* SET p.x = 1 */ RETURN count(*)",                     # block comment
    "MATCH (start:Person)-[:OWNS]->(stop:Account) RETURN start.id, stop.id",  # start/stop names
    "MATCH (p:Person) RETURN p.id UNION MATCH (a:Account) RETURN a.id",       # union of reads
    "OPTIONAL MATCH (p:Person {id: $id}) RETURN p.name",                      # parameter
    "UNWIND [1, 2, 3] AS x RETURN x * 2 AS y",                                # unwind
    "MATCH (p:Person) WITH p, size(p.name) AS n WHERE n > 1 RETURN p.id",     # with
    "CALL show_tables() RETURN *",                                            # catalogue
    "CALL table_info('Person') RETURN *",                                     # catalogue
    "MATCH (p:Person) RETURN p.id;",                                          # trailing semicolon
    "MATCH (p:Person)\u3000RETURN p.id",                                      # ideographic space
    "EXPLAIN MATCH (p:Person) RETURN p.id",                                   # plan
]


@pytest.mark.parametrize("query", ALLOWED)
def test_allowed(query):
    check_read_only(query)


@pytest.fixture
def db():
    """An in-memory ladybug graph: two people, two accounts, one person named 'CREATE'."""
    database = lb.Database(":memory:")
    conn = lb.Connection(database)
    conn.execute("CREATE NODE TABLE Person(id STRING PRIMARY KEY, name STRING, created STRING, "
                 "updated STRING, settled STRING, `set` STRING, `DELETE` STRING)")
    conn.execute("CREATE NODE TABLE Account(id STRING PRIMARY KEY)")
    conn.execute("CREATE REL TABLE OWNS(FROM Person TO Account)")
    conn.execute("CREATE (:Person {id: 'p1', name: 'CREATE', created: '2024-01-01'})")
    conn.execute("CREATE (:Person {id: 'p2', name: '王某某', created: '2024-02-01'})")
    conn.execute("CREATE (:Account {id: 'a1'}), (:Account {id: 'a2'})")
    conn.execute("MATCH (p:Person {id: 'p1'}), (a:Account {id: 'a1'}) CREATE (p)-[:OWNS]->(a)")
    yield conn
    conn.close()
    database.close()


def _rows(conn, query, params=None):
    result = conn.execute(query, params or {})
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


def _count(conn):
    return _rows(conn, "MATCH (n) RETURN count(*)")[0][0]


@pytest.mark.parametrize("query", [q for q in ALLOWED if not q.startswith("EXPLAIN")])
def test_allowed_queries_run_on_ladybug(db, query):
    check_read_only(query)
    _rows(db, query, {"id": "p1"} if "$id" in query else None)


def test_keyword_in_string_finds_the_row(db):
    query = "MATCH (p:Person) WHERE p.name = 'CREATE' RETURN p.id, p.created"
    check_read_only(query)
    assert _rows(db, query) == [["p1", "2024-01-01"]]


@pytest.mark.parametrize("query", [
    "MATCH (p:Person) DETACH DELETE p",                       # would empty the graph
    "MATCH (p:Person) // x\nSET p.name = 'y'",                # would rename everyone
    "CREATE (:Person {id: 'p9'})",                            # would add a node
])
def test_refused_queries_would_have_written(db, query):
    # the guard refuses what ladybug would really run as a write
    with pytest.raises(ReadOnlyViolation):
        check_read_only(query)
    before = _count(db)
    names = _rows(db, "MATCH (p:Person) RETURN p.name ORDER BY p.id")
    db.execute(query)
    assert _count(db) != before or _rows(db, "MATCH (p:Person) RETURN p.name ORDER BY p.id") != names


def test_runner_refuses_before_the_store_sees_the_query():
    from debtorgraph.queries.run import run_user_query

    store = MagicMock()
    with pytest.raises(ReadOnlyViolation):
        run_user_query(store, "MATCH (n) DETACH DELETE n")
    store.run_read.assert_not_called()


@pytest.mark.parametrize("query, expected", [
    ("MATCH (n) RETURN n", "MATCH (n) RETURN n LIMIT 10"),                       # adds one
    ("MATCH (n) RETURN n LIMIT 99999", "MATCH (n) RETURN n LIMIT 10"),           # lowers it
    ("MATCH (n) RETURN n LIMIT 3", "MATCH (n) RETURN n LIMIT 3"),                # keeps a lower one
    ("MATCH (n) RETURN n SKIP 5 // last", "MATCH (n) RETURN n SKIP 5 LIMIT 10 // last"),
    ("MATCH (n) RETURN n.limit;", "MATCH (n) RETURN n.limit LIMIT 10;"),         # a property
    ("MATCH (n) RETURN n.id UNION MATCH (m) RETURN m.id",                        # each branch
     "MATCH (n) RETURN n.id LIMIT 10 UNION MATCH (m) RETURN m.id LIMIT 10"),
    ("CALL db.labels()", "CALL db.labels()"),                                    # no RETURN
])
def test_limit_rows(query, expected):
    assert limit_rows(query, 10) == expected


def test_limit_rows_runs_on_ladybug(db):
    query = limit_rows("MATCH (p:Person) RETURN p.id ORDER BY p.id", 1)
    assert _rows(db, query) == [["p1"]]


def test_limit_rows_refuses_a_parameter_limit():
    with pytest.raises(InvalidInput, match="plain integer"):
        limit_rows("MATCH (n) RETURN n LIMIT $n", 10)
