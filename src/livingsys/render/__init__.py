"""Renderers: turn the core's result objects into text, JSON, annotations or SARIF."""
