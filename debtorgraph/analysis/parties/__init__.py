"""Related parties of a debtor, each with the path that proves it.

``related`` finds them on an analysis graph (a networkx MultiDiGraph): relatives and
in-laws by Family, associates, employers and employees, companies held (shares multiplied
along ownership chains) or directed, a company debtor's officers and owners, and the
accounts all of them hold; ``links`` holds the small readers of links, dates, shares and
names it uses. It reads only the graph it is given: nothing of the rules, the
neighbourhood read, detection, evidence, the store, the app or the CLI (import-linter
contract in ``pyproject.toml``).
"""
from .related import Relation, controlled_companies, holdings, related_parties

__all__ = ["Relation", "controlled_companies", "holdings", "related_parties"]
