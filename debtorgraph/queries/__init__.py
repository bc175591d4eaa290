"""The Cypher library: named queries both stores run, and the runner for user Cypher.

``library`` and ``stats`` hold the named queries (one text for ladybug and Neo4j; dialect
differences live in ``graph.dialect``); ``guard`` refuses writes in a user's Cypher, ``run``
runs it read-only with a time limit and a row cap, ``worker`` in a child process with its own
memory limit on the embedded store. It uses ``graph``, ``config`` and ``errors``; never
analysis, the app or the CLI.
"""
