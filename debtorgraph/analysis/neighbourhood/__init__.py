"""The part of the graph the rules need for one debtor, from any source.

``read`` says what is read (the :class:`~.read.Source` protocol and
:func:`~.read.neighbourhood`: the debtor's cases, the relations three links deep, the
payments the rules look at); ``store`` answers it on a graph store with one Cypher query per
question (:class:`~.store.StoreSource`, ladybug or Neo4j); ``memory`` answers it from FtM
entities held in memory (:class:`~.memory.GraphSource`: tests, files).

It sits above ``rules`` (it reads what they need: the layering thresholds, the classes of
barred spending) and below ``detect``; the related parties themselves are ``parties``. It
imports nothing of evidence, the app or the CLI.
"""
