"""A desk in a process of its own, for the race tests: it opens its own engine on the
database, then saves what it is sent, each save held at a barrier shared with the other
desk until both have reached their first statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.people import ResidentUpdate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.people import residents


def serve(url: str, now: Any, barrier: Any, orders: Any, answers: Any) -> None:
    """Run orders ``(resident_id, address, version)`` until ``None``; answer each with
    ``("saved", version)`` or ``(error class name, message)``."""
    database = Database.open(url)
    ctx = ServiceContext(database, clock=Clock.fixed(now))
    armed = [False]

    def hold(*_args: object) -> None:
        if armed[0]:
            armed[0] = False
            barrier.wait()

    event.listen(database.engine, "before_cursor_execute", hold)
    try:
        while (order := orders.get()) is not None:
            resident_id, address, version = order
            armed[0] = True
            try:
                saved = residents.update(ctx, resident_id, ResidentUpdate(address=address), version)
                answers.put(("saved", saved.version))
            except ServiceError as error:
                answers.put((type(error).__name__, str(error)))
    finally:
        database.dispose()
