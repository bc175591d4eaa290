"""Package-side helpers of the Streamlit app (``debtorgraph/app.py`` and ``pages/``).

- :mod:`.i18n`: the string table (Chinese first, English second) and the current language.
- :mod:`.store`: the shared read-only store (``st.cache_resource``) and the Data page's writer.
- :mod:`.queries`, :mod:`.data`: the app's read queries, and their cached wrappers.
- :mod:`.network`, :mod:`.vis`: a debtor's network, drawn with vis-network (inlined, offline).
- :mod:`.timeline`, :mod:`.flow`, :mod:`.findings`, :mod:`.results`: the
  Timeline, Money flow, Findings and Cypher pages' shaping of data.
- :mod:`.marks`: review marks on findings; :mod:`.backends`: lazy bridges to analysis modules.
- :mod:`.sample`: a small fixed case for training and tests.
- :mod:`.launch`, :mod:`.server`: ``debtorgraph app``'s server process (modules imported before
  it serves, the first page's reads warmed) and its ``st.App`` (each page's HTML names the base URL).
"""
