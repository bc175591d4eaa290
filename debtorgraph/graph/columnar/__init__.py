"""The columnar load path: FtM JSON lines to spill rows in Arrow (see :mod:`.reader`)."""
from .reader import add_ftm_columnar

__all__ = ["add_ftm_columnar"]
