"""The Cypher library: named queries both stores run, and the runner for user Cypher."""
