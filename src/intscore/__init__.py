"""intscore: score and rank requested integrations with a versioned scoring model."""

__version__ = "0.1.0"
