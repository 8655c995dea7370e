"""The duty roster: the week, on duty now, and every roster screen (shifts, leave, swaps, 1-3-5)."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("roster.tcss")
"""This area's stylesheet, by absolute path: Textual resolves a relative ``CSS_PATH`` against
the file of the class that uses it, which may be a subclass elsewhere."""
