"""``policeroom fixtures load NAME|PATH | export PATH | generate --scale S --seed N | schema``."""

from __future__ import annotations

import argparse
import sys

from policeroom import fixtures
from policeroom.commands import CommandError, output_path
from policeroom.commands.opening import cli_context, open_database
from policeroom.commands.progress import Progress
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError

# Warnings (an unknown region code …) do not stop a load; a few are shown, then a count.
SHOWN_WARNINGS = 5


def run(args: argparse.Namespace) -> int:
    if args.fixtures_command == "schema":
        print(fixtures.schema_json())
        return 0
    if args.fixtures_command == "export":
        output_path(args.path, "fixtures export")
        if args.unmasked and not args.reason.strip():
            raise CommandError("fixtures export: --unmasked needs --reason (it is audited)", 2)
        if args.reason and not args.unmasked:
            raise CommandError("fixtures export: --reason goes with --unmasked", 2)
    database = open_database(args)
    ctx = cli_context(database, args)
    try:
        if args.fixtures_command == "load":
            return _load(ctx, args.source)
        if args.fixtures_command == "export":
            return _export(ctx, args.path, args.reason if args.unmasked else None)
        return _generate(ctx, args.scale, args.seed)
    finally:
        database.dispose()


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {section.replace('_', ' ')}" for section, n in counts.items() if n)


def _load(ctx: ServiceContext, source: str) -> int:
    try:
        with Progress("load") as progress:
            result = fixtures.load(ctx, source, progress)
    except ServiceError as error:
        raise CommandError(str(error)) from error
    for warning in result.warnings[:SHOWN_WARNINGS]:
        print(f"policeroom: warning: {warning}", file=sys.stderr)
    if len(result.warnings) > SHOWN_WARNINGS:
        hidden = len(result.warnings) - SHOWN_WARNINGS
        print(f"policeroom: {hidden} more warnings", file=sys.stderr)
    print(f"loaded {source} ({len(result.files)} files): {_counts(result.counts)}")
    return 0


def _export(ctx: ServiceContext, path: str, unmasked: str | None) -> int:
    try:
        with Progress("export") as progress:
            counts = fixtures.export(ctx, path, progress, unmasked=unmasked)
    except ServiceError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from error
    how = "" if unmasked is not None else " (ID numbers and phones masked; --unmasked to load)"
    print(f"exported to {path}{how}: {_counts(counts)}")
    return 0


def _generate(ctx: ServiceContext, scale: str, seed: int) -> int:
    try:
        with Progress("generate") as progress:
            counts = fixtures.generate(ctx, scale, seed, progress)
    except ServiceError as error:
        raise CommandError(str(error)) from error
    print(f"generated scale {scale}, seed {seed}: {_counts(counts)}")
    return 0
