"""The audit log for supervisors and administrators: who did what, to which record, when."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("audit.tcss")
"""This area's stylesheet, by absolute path (see ``policeroom.ui.duty.STYLESHEET``)."""
