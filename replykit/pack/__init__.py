"""Template pack reading: YAML with line numbers, validation, compilation."""
