"""The keys of a screen, read from the bindings themselves, for the help screen and palette.

Nothing here is hand-written: every entry comes from a ``Binding`` declared on one of our
classes (Textual's own widget bindings are left out unless a policeroom class declares them
again with a description, so every listed key has a translated text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from textual.actions import parse
from textual.binding import Binding
from textual.dom import DOMNode

from policeroom.i18n import _

OWN_PACKAGE = "policeroom."
KeyDisplay = Callable[[Binding], str]
"""How a key is written for people (``ctrl+p`` → ``^p``): ``App.get_key_display``."""


@dataclass(frozen=True)
class KeyEntry:
    """One action and the keys that run it, in one area of the screen."""

    area: str
    keys: tuple[str, ...]
    description: str
    tooltip: str
    action: str
    binding_id: str
    node: DOMNode
    area_id: str = ""

    @property
    def keys_text(self) -> str:
        return " / ".join(self.keys)

    def state(self) -> bool | None:
        """What the node's ``check_action`` says: True runs, None greyed, False hidden."""
        _namespace, name, parameters = parse(self.action)
        return self.node.check_action(name, parameters)

    def available(self) -> bool:
        return self.state() is True


@dataclass(frozen=True)
class Area:
    """A part of the screen whose keys are listed together."""

    title: str
    nodes: Sequence[DOMNode]
    area_id: str = ""


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings policeroom classes declare for ``node``, nearest class winning per key."""
    by_key: dict[str, Binding] = {}
    for cls in reversed(type(node).__mro__):
        if not cls.__module__.startswith(OWN_PACKAGE):
            continue
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            if binding.description and not binding.system:
                by_key[binding.key] = binding
    return list(by_key.values())


def entries(area: Area, key_display: KeyDisplay) -> list[KeyEntry]:
    """Every action of the area's nodes, keys of the same action gathered on one line."""
    gathered: dict[tuple[int, str], KeyEntry] = {}
    for node in area.nodes:
        for binding in own_bindings(node):
            slot = (id(node), binding.action)
            shown = key_display(binding)
            found = gathered.get(slot)
            if found is not None:
                if shown not in found.keys:
                    gathered[slot] = KeyEntry(
                        found.area,
                        (*found.keys, shown),
                        found.description,
                        found.tooltip,
                        found.action,
                        found.binding_id,
                        node,
                        area.area_id,
                    )
                continue
            gathered[slot] = KeyEntry(
                area.title,
                (shown,),
                _(binding.description),
                _(binding.tooltip) if binding.tooltip else "",
                binding.action,
                binding.id or "",
                node,
                area.area_id,
            )
    return list(gathered.values())


def all_entries(areas: Iterable[Area], key_display: KeyDisplay) -> list[KeyEntry]:
    found: list[KeyEntry] = []
    for area in areas:
        found.extend(entries(area, key_display))
    return found
