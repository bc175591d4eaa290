"""Analysis on FtM subgraphs: money tracing, related parties, detection rules, evidence."""
