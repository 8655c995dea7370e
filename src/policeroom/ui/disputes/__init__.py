"""The dispute ledger: its pane, the dispute card and every screen they open."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("disputes.tcss")
"""This area's stylesheet, by absolute path: Textual resolves a relative ``CSS_PATH`` against
the file of the class that uses it, which may be a subclass elsewhere."""
