"""The command line: parses options, calls one core function, renders its result."""
