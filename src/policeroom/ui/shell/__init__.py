"""The main screen that holds every area's pane, the first-run screen and the palette's jumps."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("main.tcss")
"""This area's stylesheet, by absolute path: Textual resolves a relative ``CSS_PATH`` against
the file of the class that uses it, which may be a subclass elsewhere."""
