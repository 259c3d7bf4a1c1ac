"""Domain vocabulary and rules of the command center; no I/O, no Qt."""
