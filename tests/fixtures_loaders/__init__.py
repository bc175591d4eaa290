"""Writers of the court files the loader tests read (each test writes its own into tmp_path)."""
