"""The core's front door: what each command does, from its inputs to its result."""
