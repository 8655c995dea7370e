"""The grid tree and the screens it opens: grid card, forms, assignment and moves."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("grid.tcss")
"""This area's stylesheet, by absolute path: Textual resolves a relative ``CSS_PATH`` against
the file of the class that uses it, which may be a subclass elsewhere."""
