"""`python -m intscore`."""

from .entry import main

main()
