"""Renderers: results -> text. Each module declares the `FORMATS` it writes and one `render_*`
function that returns the whole output as a string; none computes a score. Their top-level
imports stay light (rich and pydantic load inside the functions) so the CLI can list formats
without loading them."""
