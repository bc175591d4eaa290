"""The graph: FtM model checks, the FtM→graph mapping, and the stores."""
