"""The login screen a station PC opens on: a login and a password, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from policeroom.i18n import _
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.shell import messages

if TYPE_CHECKING:
    # The login screen is the first frame; the services are loaded after it (connection.py).
    from policeroom.services.core.context import Actor, ServiceContext  # noqa: F401 - Actor: in quotes


class LoginScreen(Screen["Actor"]):
    """Asks for a login and its password; dismisses with the actor who logged in.

    Every refusal shows the service's sentence, which never says whether the login or the
    password was wrong. The password box is emptied after each try; the login stays.
    """

    # No CSS_PATH: its rules are in the app's own stylesheet (app.tcss), and a screen naming
    # that file again has it parsed again, on the way to the first frame.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "submit",
            _("Log in"),
            tooltip=_("Next box, then log in with this login and password"),
            id="login.submit",
            # Before the boxes' own (hidden) enter, so that the footer shows it.
            priority=True,
        ),
        Binding("escape", "quit", _("Quit"), tooltip=_("Leave the program"), id="login.quit"),
    ]

    def __init__(self, connect: Callable[[], ServiceContext], login: str = "") -> None:
        super().__init__()
        self.connect = connect
        self.login_hint = login

    def compose(self) -> ComposeResult:
        with Vertical(id="login-body"):
            yield Static(Text(_("policeroom: log in"), style="bold"), id="login-title")
            yield Static(_("Login"))
            yield Input(value=self.login_hint, id="login-name", placeholder=_("login"))
            yield Static(_("Password"))
            yield Input(password=True, id="login-password", placeholder=_("password"))
            yield Static("", id="login-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        box = "#login-password" if self.login_hint else "#login-name"
        self.set_focus(self.query_one(box, Input))

    def action_submit(self) -> None:
        # A priority key is handled before the keys the focused box has still to process:
        # over SSH or from a paste, "login⏎password⏎" arrives in one burst. Enter in the
        # login box moves on at once (the keys after it are the password's), and the check
        # itself runs from the password box's own queue, after the keys typed before it.
        name = self.query_one("#login-name", Input)
        if self.focused is name:
            self.set_focus(self.query_one("#login-password", Input))
            return
        (self.focused or self).call_later(self._submit)

    def _submit(self) -> None:
        name = self.query_one("#login-name", Input)
        secret = self.query_one("#login-password", Input)
        # set_focus, not focus(): focus() moves only after the keys already waiting, and a
        # password typed right after enter would land in the login box.
        if not name.value.strip():
            self.set_focus(name)
            return
        if not secret.value:
            self.set_focus(secret)
            return
        self._say(_("Checking …"))
        self._authenticate(name.value, secret.value)
        secret.value = ""

    @service_worker(messages.LOGIN)
    def _authenticate(self, login: str, password: str) -> messages.LoggedIn:
        # The connection first: it waits for the services the first key began to load, and
        # the import after it then finds them loaded (two threads importing at once could
        # deadlock).
        ctx = self.connect()
        from policeroom.services.core import passwords

        return messages.LoggedIn(passwords.authenticate(ctx, login, password))

    @on(messages.LoggedIn)
    def _logged_in(self, message: messages.LoggedIn) -> None:
        self.dismiss(message.actor)

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        message.stop()
        self._say(message.text)
        self.query_one("#login-password", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#login-message", Static).update(text)

    def action_quit(self) -> None:
        self.app.exit()
