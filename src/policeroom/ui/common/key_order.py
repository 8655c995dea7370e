"""Keys handled in the order they were typed, however many arrive in one read.

Textual's app hands each key to the focused widget's queue as soon as it reads it. A key
that no widget takes travels back up to the screen and the app, whose bindings then run
(``/`` opening a search box, ``tab``, an area key): by then the keys typed after it have
already been handed to the widget that was focused before. Over SSH, or from a fast typist,
``/zs`` arrives in one read, and ``zs`` went to the list instead of the search box.

``KeysInOrder`` holds each key the app reads until the one before it has been through every
node it can reach (the focused widget, its parents, the screen, the app's bindings) and
through what it posted on the way; only then is the next key handed to whatever has the focus
by that time. A key taken by a priority binding never leaves the app, so it holds nothing.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, TypeVar

from textual import events
from textual.app import App, ScreenStackError
from textual.message_pump import MessagePump

# A key whose journey up the widgets was cut short (a widget closed with it in its queue)
# would hold every key after it; past this the keys behind it go on regardless.
HOLD_AT_MOST = 1.0

# How many times the app's queue is gone round waiting for what a key posted to be handled;
# a clock or a timer that keeps posting must not hold the keys for long.
SETTLE_TURNS = 30

Returned = TypeVar("Returned")


class _Journey:
    """One key on its way up: where it was handed, and the nodes it may bubble through."""

    __slots__ = ("path", "watched")

    def __init__(self, path: list[MessagePump]) -> None:
        self.path = path
        self.watched = False


class KeysInOrder(App[Returned]):
    """An app that hands the focused widget a key only when the previous one is done."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key_journey: _Journey | None = None
        self._held_keys: deque[events.Key] = deque()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            journey = self._key_journey
            if journey is not None or self._held_keys:
                self._held_keys.append(event)
                if journey is not None and not journey.watched:
                    journey.watched = True
                    self.set_timer(HOLD_AT_MOST, lambda: self._arrived(journey), name="key-order")
                return
            await self._hand_on(event)
            return
        await super().on_event(event)

    async def _hand_on(self, key: events.Key) -> None:
        target = self.focused or self.screen
        await super().on_event(key)
        if not key.is_forwarded:
            return  # a priority binding, or escape leaving a maximized pane: done here
        path: list[MessagePump] = []
        node: MessagePump | None = target
        while node is not None and node is not self:
            path.append(node)
            node = node._parent
        journey = _Journey(path)
        self._key_journey = journey
        self._follow(journey, 0)

    def _follow(self, journey: _Journey, index: int) -> None:
        """Queue a marker behind the key on ``journey.path[index]``; reached, it goes on to the
        parent, behind the key bubbling up, and past the last node to the app's own queue,
        behind the app's non-priority bindings."""
        for number, node in enumerate(journey.path[index:], start=index):
            if node.call_later(self._follow, journey, number + 1):
                return
            # closed with the key in its queue: go on above it
        if not self.call_later(self._arrived, journey, SETTLE_TURNS):
            self._key_journey = None

    def _quiet(self, journey: _Journey) -> bool:
        # A pump peeks at the message after the one it handles (to merge repaints): one
        # taken out of the queue that way is still to come. The screen on top now, too: a
        # key that opened a form has its first box take the focus when the form is mounted.
        try:
            on_top: tuple[MessagePump, ...] = (self.screen,)
        except ScreenStackError:  # the app is closing its last screen
            on_top = ()
        return all(
            node._message_queue.empty() and node._pending_message is None
            for node in (*journey.path, *on_top, self)
        )

    async def _arrived(self, journey: _Journey, turns: int = 0) -> None:
        """The key is through. What handling it posted may still move the focus (``focus()``
        queues the move on the app; an Input's enter posts Submitted, whose handler moves it):
        wait, a few turns at most, until the key's path and the app have nothing queued."""
        if self._key_journey is not journey:
            return  # already arrived, or given up on by the timer
        if (
            turns
            and not self._quiet(journey)
            and self.call_later(self._arrived, journey, turns - 1)
        ):
            # the app's queue never waits while it holds something: let the others run
            await asyncio.sleep(0)
            return
        self._key_journey = None
        while self._held_keys and self._key_journey is None:
            await self._hand_on(self._held_keys.popleft())
