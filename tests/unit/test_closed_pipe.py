"""Issue 13 (4): a command whose reader went away (``| head -1``) stops with one line, the
same for every command, never a traceback nor an error about an ``--output`` not given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from policeroom.cli import main

CLOSED = "policeroom: output closed before the end\n"


@pytest.fixture(scope="module")
def training_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipe") / "desk.db"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    assert main(["fixtures", "load", "training", "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["report", "summary"],
        ["report", "stats", "--format", "csv"],
        ["report", "stats", "--by", "grid"],
        ["report", "disputes", "--format", "csv"],
        ["report", "disputes"],
        ["report", "roster", "--week", "2022-05-02"],
        ["audit", "export"],
        ["fixtures", "schema"],
    ],
)
def test_a_closed_pipe_ends_every_command_in_one_line(
    command: list[str], training_path: Path
) -> None:
    # The reader's end is closed before the program starts: its very first write fails,
    # whatever the size of its output and the speed of the machine.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "policeroom.cli", *command],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "POLICEROOM_DB": str(training_path)},
            timeout=120,
        )
    finally:
        os.close(writer)
    assert done.stderr == CLOSED
    assert done.returncode == 1
