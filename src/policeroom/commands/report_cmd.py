"""``policeroom report summary | disputes | roster``: each report in its own module."""

from __future__ import annotations

import argparse
import importlib


def run(args: argparse.Namespace) -> int:
    module = importlib.import_module(f"policeroom.commands.report_{args.report_command}")
    result: int = module.run(args)
    return result
