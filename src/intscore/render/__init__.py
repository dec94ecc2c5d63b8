"""Rendering: results → text (table, Markdown, CSV, JSON, HTML), one module per command."""
