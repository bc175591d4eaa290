"""The command line: the only package that imports click. One module per command group:
``main`` (the group, stats, generate), ``load``, ``inspect``, ``query``, ``detect``, ``trace``,
``evidence``, ``candidates``, ``export``, ``app`` (app and demo), ``store`` (init), ``users``,
``session`` (login, logout, whoami and the guard every command passes) and ``audit``;
``context`` and ``output`` hold what the commands share. Each calls the library below it
(analysis, queries, graph, loaders, security), which knows nothing of click.
"""
from .main import main

__all__ = ["main"]
