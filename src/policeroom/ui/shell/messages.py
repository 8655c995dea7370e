"""What the shell's workers post when their database reads end, and their worker groups."""

from __future__ import annotations

from textual.message import Message

from policeroom.ui.common.desk import HeaderInfo

HEADER = "shell-header"
"""The header's facts (room, user, warnings) read again."""


class HeaderRead(Message):
    """The header's facts, read for the grid on show."""

    def __init__(self, info: HeaderInfo) -> None:
        super().__init__()
        self.info = info
