"""`python -m intscore`."""

from .cli import main

main()
