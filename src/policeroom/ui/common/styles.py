"""The shared stylesheets, by absolute path.

Textual resolves a relative ``CSS_PATH`` against the file of the class that uses it, so a form
defined in another package would look for ``forms.tcss`` beside itself.
"""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).with_name("app.tcss")
FORMS = Path(__file__).with_name("forms.tcss")
