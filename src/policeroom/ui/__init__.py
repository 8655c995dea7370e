"""The Textual interface; it talks only to services."""
