"""Reading: bytes → tables of rows that remember their file and line."""
