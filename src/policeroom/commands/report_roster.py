"""`policeroom report roster` (not built yet)."""

from __future__ import annotations

import argparse

from policeroom.commands import CommandError


def run(args: argparse.Namespace) -> int:
    raise CommandError("this report is not built yet", exit_code=1)
