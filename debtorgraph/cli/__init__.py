"""The command line: the only package that imports click. One module per command group
(``main``: load, inspect, stats, export, generate, demo, app; ``query``; ``detect``: detect and
trace; ``evidence``; ``candidates``; ``store``: init; ``users``; ``session``: login, logout, whoami and
the guard every command passes; ``audit``). Each calls the library below it (analysis,
queries, graph, loaders, security), which knows nothing of click.
"""
from .main import main

__all__ = ["main"]
