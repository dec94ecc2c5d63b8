"""The engine: rows + the compiled model → requesters → an explainable Ranking."""
