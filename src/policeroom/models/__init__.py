"""SQLModel tables, one module per area. Importing this package registers them all."""

from __future__ import annotations

from sqlmodel import SQLModel

from policeroom.models import audit, disputes, org, people, roster, tallies, targets

metadata = SQLModel.metadata

__all__ = ["audit", "disputes", "metadata", "org", "people", "roster", "tallies", "targets"]
