"""A seeded corpus of bank and payment-app statement layouts, with the truth each file holds.

`generator.write_corpus(folder)` writes one statement per variant and an `expected.json`
next to it; `checks.compare` tells what a loader got wrong. See README.md for the axes.
"""
