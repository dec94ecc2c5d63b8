"""The model: scoring.yaml → a validated config → the compiled runtime model."""
