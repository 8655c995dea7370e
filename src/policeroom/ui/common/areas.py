"""The desk's four areas and their keys ``1`` to ``4``.

The main screen and the statistics (the fifth area, on ``5``) both bind them, each to its own
action; their labels and tooltips are written once, here, so that the footer, the help and
the palette say the same on either screen.
"""

from __future__ import annotations

from textual.binding import Binding

from policeroom.i18n import _

TREE = "grid-tree"
RESIDENTS = "residents"
DISPUTES = "disputes"
ROSTER = "roster"
AREAS = (TREE, RESIDENTS, DISPUTES, ROSTER)


def area_bindings(action: str, binding_id: str) -> list[Binding]:
    """``1`` to ``4``, each running ``action`` with its area (``action('residents')``), kept
    out of the footer. ``binding_id`` is formatted with the ``key`` and the area's short
    ``name`` (``tree``, ``residents``…): each screen keeps ids of its own."""
    return [
        Binding(
            key,
            f"{action}('{area}')",
            label,
            show=False,
            tooltip=tooltip,
            id=binding_id.format(key=key, name=name),
        )
        for key, area, name, label, tooltip in (
            ("1", TREE, "tree", _("Grid tree"), _("Go to the grid tree")),
            ("2", RESIDENTS, "residents", _("Residents"), _("Go to the residents")),
            ("3", DISPUTES, "disputes", _("Disputes"), _("Go to the disputes")),
            ("4", ROSTER, "roster", _("Duty roster"), _("Go to the duty roster")),
        )
    ]
