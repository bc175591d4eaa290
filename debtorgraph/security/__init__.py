"""Security building blocks: accounts and roles, the audit log, masking, input limits.

Library code only; the CLI and the app wire them in. Modules:

- :mod:`.users`: local accounts (scrypt hashes), roles and the permission table.
- :mod:`.audit`: the append-only, hash-chained audit log.
- :mod:`.masking`: masking of ID numbers, phones and account numbers.
- :mod:`.sanitize`: export cells, HTML, and bounded readers for untrusted files.

The read-only guard for user Cypher lives in :mod:`debtorgraph.queries.guard`.
"""
from __future__ import annotations
