"""Residents: the pane, the resident card and the forms it opens (resident, visit, anti-fraud)."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("residents.tcss")
"""This area's stylesheet, by absolute path: Textual resolves a relative ``CSS_PATH`` against
the file of the class that uses it, which may be a subclass elsewhere."""
