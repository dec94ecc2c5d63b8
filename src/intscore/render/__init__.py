"""Renderers turn results into text. They format; they never compute scores."""
