"""The real installed ``policeroom`` in a detached tmux session, read with ``capture-pane``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

PROGRAM = Path(sys.executable).with_name("policeroom")
# Waiting for the program, not timing it: a slow CI machine only waits longer.
PATIENCE = 60.0


def need_tmux() -> str:
    found = shutil.which("tmux")
    if found is None:
        pytest.skip("tmux is not installed")
    return found


class TmuxSession:
    """One program in one tmux server of its own (``-L``), so tests never share a session."""

    def __init__(self, tmux: str, width: int = 80, height: int = 24) -> None:
        self.tmux = tmux
        self.socket = f"policeroom-test-{uuid.uuid4().hex[:8]}"
        self.name = "desk"
        self.width = width
        self.height = height
        # The program's exit status, written by the shell that ran it: tmux's own
        # #{pane_dead_status} was now and then empty on a loaded machine, with no way to tell
        # "not yet known" from "lost".
        self.status_file = Path(tempfile.gettempdir()) / f"{self.socket}.status"

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, argv: list[str], env: Mapping[str, str]) -> None:
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            **env,
            "STATUS_FILE": str(self.status_file),
        }
        environment.pop("TMUX", None)
        # remain-on-exit keeps the pane after the program ends so its exit status can be read.
        subprocess.run(
            [
                self.tmux,
                "-L",
                self.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(self.width),
                "-y",
                str(self.height),
                "sh",
                "-c",
                '"$@"; echo $? > "$STATUS_FILE.new"; mv "$STATUS_FILE.new" "$STATUS_FILE"',
                "sh",
                *argv,
            ],
            env=environment,
            check=True,
        )
        self._run("set-option", "-t", self.name, "remain-on-exit", "on")

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", self.name, *keys)

    def text(self, text: str) -> None:
        self._run("send-keys", "-t", self.name, "-l", text)

    def pane(self, fmt: str) -> str:
        return self._run("display-message", "-p", "-t", self.name, fmt).strip()

    def wait_for(self, found: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + PATIENCE
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if found(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"never saw {what}; the screen was:\n{shown}")

    def exited(self) -> int | None:
        """The program's exit status once it has ended and its pane is closed, else None."""
        try:
            status = int(self.status_file.read_text())
        except (OSError, ValueError):
            return None
        # Its last screen is whole (tmux's "Pane is dead" line under it) once the pane is.
        return status if self.pane("#{pane_dead}") == "1" else None

    def wait_exit(self) -> int:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            status = self.exited()
            if status is not None:
                return status
            time.sleep(0.1)
        pane = self.pane("dead=#{pane_dead} status=#{pane_dead_status} signal=#{pane_dead_signal}")
        raise AssertionError(f"the program did not exit ({pane}); the screen was:\n{self.screen()}")

    def stop(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)
        self.status_file.unlink(missing_ok=True)


def load_training(db_path: Path) -> None:
    """A new database (only ``db upgrade`` creates one) with the training data in it."""
    subprocess.run(
        [str(PROGRAM), "db", "upgrade", "--db", str(db_path)], check=True, capture_output=True
    )
    subprocess.run(
        [str(PROGRAM), "fixtures", "load", "training", "--db", str(db_path)],
        check=True,
        capture_output=True,
    )
