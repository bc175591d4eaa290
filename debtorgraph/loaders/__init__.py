"""Loaders: files in, FtM entities (plain dicts) and rejects out. They never touch a store."""
