"""Layout inference for statements: column roles, notations, holder, and the layout choice.

See :mod:`.roles` (header row and column roles from ``roles.yaml`` and the values),
:mod:`.notation` (amount, date and counterparty notations), :mod:`.holder` (who the
statement belongs to), :mod:`.layout` (the inferred match) and :mod:`.choose` (inference
and YAML mappings together).
"""
