"""The desk program keeping every notification it shows, so a test can read what it told."""

from __future__ import annotations

from typing import Any

from textual.notifications import SeverityLevel

from policeroom.ui.app import PoliceRoomApp


class NotedApp(PoliceRoomApp):
    """``notes`` holds each notification's text and severity, in the order they were shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[tuple[str, SeverityLevel]] = []

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notes.append((message, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def errors(self) -> list[str]:
        return [text for text, severity in self.notes if severity == "error"]
