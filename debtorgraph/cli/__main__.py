"""``python -m debtorgraph.cli``."""
from .main import main

main()
