"""The screen an idle (or locked) desk shows: nothing of the work beneath, a password box."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from policeroom.i18n import _
from policeroom.ui.common import styles
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.shell import messages

if TYPE_CHECKING:
    # The app asks whether it is locked at every key, from the login screen on: this module
    # is loaded before the services are.
    from policeroom.services.core.context import ServiceContext


class LockScreen(Screen[bool]):
    """Covers every screen of the desk until its user types their password again.

    A full screen, not a modal one, so nothing of the panes or of an open form shows through;
    the screens beneath stay as they were, typing included. In training nobody has a
    password: ``enter`` alone goes back to work.
    """

    CSS_PATH = styles.APP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "unlock",
            _("Unlock"),
            tooltip=_("Go back to work with this password"),
            id="lock.unlock",
            # Before the password box's own (hidden) enter, so that the footer shows it.
            priority=True,
        ),
    ]

    def __init__(self, ctx: ServiceContext, *, training: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.training = training

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-body"):
            yield Static(Text(_("policeroom: locked"), style="bold"), id="lock-title")
            if self.training:
                yield Static(_("Press enter to go back to the training desk."))
            else:
                yield Static(
                    _("{login}: type your password to go back to work.").format(
                        login=self.ctx.actor.login
                    ),
                    id="lock-who",
                )
                yield Input(password=True, id="lock-password", placeholder=_("password"))
            yield Static("", id="lock-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        if not self.training:
            self.set_focus(self.query_one("#lock-password", Input))

    def action_unlock(self) -> None:
        if self.training:
            self._resume()
            return
        # From the password box's own queue, after the keys typed ahead of this enter (a
        # pasted password and its enter arrive together; see LoginScreen.action_submit).
        (self.focused or self).call_later(self._check)

    def _check(self) -> None:
        secret = self.query_one("#lock-password", Input)
        if not secret.value:
            return
        self._say(_("Checking …"))
        self._unlock(secret.value)
        secret.value = ""

    @service_worker(messages.UNLOCK)
    def _unlock(self, password: str) -> messages.Unlocked:
        from policeroom.services.core import desk_session

        desk_session.unlock(self.ctx, password)
        return messages.Unlocked()

    @service_worker(messages.UNLOCK)
    def _resume(self) -> messages.Unlocked:
        from policeroom.services.core import desk_session

        desk_session.resume_training(self.ctx)
        return messages.Unlocked()

    @on(messages.Unlocked)
    def _unlocked(self) -> None:
        self.dismiss(True)

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        message.stop()
        self._say(message.text)
        if not self.training:
            self.set_focus(self.query_one("#lock-password", Input))

    def _say(self, text: str) -> None:
        self.query_one("#lock-message", Static).update(text)
