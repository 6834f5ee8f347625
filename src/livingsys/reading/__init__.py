"""Reading the registry's files: YAML with positions, validation, the registry, indicators,
writing."""
