"""A field that finds one record by typing part of its name or code, and shows what it chose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.ui.common import messages
from policeroom.ui.common.choice import Choice
from policeroom.ui.common.workers import ServiceFailed, service_worker

__all__ = ["Choice", "Lookup"]


class Lookup(Vertical):
    """Type to search (``search`` runs in a worker thread); ``up``/``down`` and ``enter`` choose.

    One search runs at a time; text typed meanwhile is searched when it ends, so the list
    always belongs to the text in the box. What was typed is the choice without ``enter``
    when it is evident: a match's exact code, or the only match (not in a ``clear_on_choose``
    box, where choosing adds a record).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", _("Next match"), show=False, id="lookup.next"),
        Binding("up", "move(-1)", _("Previous match"), show=False, id="lookup.previous"),
    ]

    class Answered(Message):
        """The search of what is in the box has answered (a form waiting to save goes on)."""

        def __init__(self, lookup: Lookup) -> None:
            super().__init__()
            self.lookup = lookup

        @property
        def control(self) -> Lookup:
            return self.lookup

    class Changed(Message):
        """A record was chosen (``choice``) or the choice was cleared (None)."""

        def __init__(self, lookup: Lookup, choice: Choice | None) -> None:
            super().__init__()
            self.lookup = lookup
            self.choice = choice

        @property
        def control(self) -> Lookup:
            return self.lookup

    def __init__(
        self,
        search: Callable[[str], Sequence[Choice]],
        *,
        value: Choice | None = None,
        placeholder: str = "",
        clear_on_choose: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.search = search
        self.choice = value
        self.placeholder = placeholder or _("type to search")
        self.clear_on_choose = clear_on_choose
        self._matches: list[Choice] = []
        self._searching: str | None = None
        self._wanted: str | None = None
        self._answered: str | None = None
        # The box's text when the choice was made: the label, or what was typed when the
        # choice was evident from it.
        self._chosen_text = value.label if value else ""

    def compose(self) -> ComposeResult:
        yield Input(
            self.choice.label if self.choice else "",
            placeholder=self.placeholder,
            compact=True,
            classes="lookup--text",
        )
        matches = OptionList(classes="lookup--matches")
        # up/down in the box move through the matches and enter chooses: the list is no tab
        # stop, else whether tab reaches the next field depends on the search having answered
        matches.can_focus = False
        yield matches

    @property
    def input(self) -> Input:
        return self.query_one(".lookup--text", Input)

    @property
    def matches(self) -> OptionList:
        return self.query_one(".lookup--matches", OptionList)

    @property
    def value(self) -> int | None:
        return self.choice.value if self.choice else None

    @property
    def is_searching(self) -> bool:
        return self._searching is not None

    @property
    def pending(self) -> bool:
        """Typed text nothing has been chosen for, whose search has not answered yet."""
        if self._searching is not None:
            return True
        text = self.input.value.strip()
        if self.choice is not None or self.clear_on_choose or not text:
            return False
        return text != self._answered

    def settle(self) -> bool:
        """Search what is typed now if nothing has yet (a key can beat the box's own change
        message); True while an answer is awaited, then ``Answered`` is posted."""
        if not self.pending:
            return False
        if self._searching is None:
            self._wanted = self.input.value.strip()
            self._start(self._wanted)
        return True

    def focus(self, scroll_visible: bool = True) -> Lookup:
        self.input.focus(scroll_visible)
        return self

    def choose(self, choice: Choice | None) -> None:
        self.choice = choice
        self._chosen_text = choice.label if choice and not self.clear_on_choose else ""
        if self.clear_on_choose:
            self.input.value = ""
        else:
            with self.input.prevent(Input.Changed):
                self.input.value = choice.label if choice else ""
        self._show([])
        self.post_message(self.Changed(self, choice))

    @on(Input.Changed, ".lookup--text")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.choice is not None and event.value == self._chosen_text:
            # The box shows the choice: the input reports the label it starts with once
            # mounted, and a record given at the start must stay chosen; a choice evident
            # from the typing may be found before the box reports that typing.
            return
        if self.choice is not None and not self.clear_on_choose:
            self.choice = None
            self.post_message(self.Changed(self, None))
        text = event.value.strip()
        if not text:
            self._wanted = None
            self._show([])
            return
        self._wanted = text
        if self._searching is None:
            self._start(text)

    @on(Input.Submitted, ".lookup--text")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.matches.highlighted
        if self._matches:
            self.choose(self._matches[index or 0])

    @on(OptionList.OptionSelected, ".lookup--matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(self._matches[event.option_index])
        self.input.focus()

    def action_move(self, step: int) -> None:
        if not self._matches:
            return
        current = self.matches.highlighted or 0
        self.matches.highlighted = max(0, min(len(self._matches) - 1, current + step))

    # One search runs at a time (``_searching`` holds its text); text typed meanwhile waits
    # in ``_wanted`` and is searched when the running one answers. Not exclusive: the next
    # search starts from the answer's handler, before the worker that posted it has ended.
    def _start(self, text: str) -> None:
        self._searching = text
        self._search(text)

    @service_worker(messages.LOOKUP_SEARCH, exclusive=False)
    def _search(self, text: str) -> messages.MatchesFound:
        return messages.MatchesFound(text, self.search(text))

    @on(messages.MatchesFound)
    def _found(self, message: messages.MatchesFound) -> None:
        message.stop()
        self._searching = None
        if self._wanted is None:
            self._show([])
        elif message.text == self._wanted:
            self._show(message.matches)
            self._answered = message.text
            self._take_evident(message.text, message.matches)
            self.post_message(self.Answered(self))
        else:
            self._start(self._wanted)

    def _take_evident(self, text: str, matches: Sequence[Choice]) -> None:
        if self.choice is not None or self.clear_on_choose or self.input.value.strip() != text:
            return
        typed = text.casefold()
        exact = [choice for choice in matches if choice.code and choice.code.casefold() == typed]
        evident = exact[0] if len(exact) == 1 else matches[0] if len(matches) == 1 else None
        if evident is not None:
            self.choice = evident
            self._chosen_text = self.input.value
            self.post_message(self.Changed(self, evident))

    @on(ServiceFailed)
    def _not_found(self, message: ServiceFailed) -> None:
        # Not stopped: the app tells the user why nothing was found.
        if message.group != messages.LOOKUP_SEARCH:
            return
        searched, self._searching = self._searching, None
        self._show([])
        if self._wanted is not None and self._wanted != searched:
            self._start(self._wanted)
        else:
            self._answered = searched
            self.post_message(self.Answered(self))

    def _show(self, matches: list[Choice]) -> None:
        self._matches = matches
        options = self.matches
        options.clear_options()
        options.add_options([Option(Text(choice.label)) for choice in matches])
        if matches:
            options.highlighted = 0
        options.set_class(bool(matches), "-shown")
