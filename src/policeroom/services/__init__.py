"""Use cases, one module per area. No Textual here: the CLI, the UI and tests share them."""
