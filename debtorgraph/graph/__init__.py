"""The graph: FtM model checks, identifiers, the FtM→graph mapping, loading and the stores.

``model``/``identity``/``schema`` check and map entities; ``ingest``, ``plan``, ``edges``,
``columnar/`` and ``parallel`` load them (one swap per load, ``docs/graph-model.md``);
``store/`` holds the embedded ladybug store and Neo4j behind one interface, ``dialect`` the
Cypher differences between them; ``export`` and ``neo4j_import`` write the graph back out.
It uses ``loaders`` (entities and rejects in), ``config`` and ``errors``; never analysis,
queries, the app or the CLI.
"""
