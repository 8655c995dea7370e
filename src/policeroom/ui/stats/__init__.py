"""Headquarters statistics (统计): the branch's figures by station, police room and grid."""

from pathlib import Path

STYLESHEET = Path(__file__).with_name("stats.tcss")
"""This area's stylesheet, by absolute path (see ``policeroom.ui.duty.STYLESHEET``)."""
