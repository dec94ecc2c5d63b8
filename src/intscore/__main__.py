"""`python -m intscore`."""

from .entry import run

run()
