"""Analyses: questions asked of rankings (explain, diff, sensitivity, matrix, check, init)."""
