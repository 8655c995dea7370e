"""The policeroom desk program (Textual app): it holds the context and the screens.

Its first frame (the login screen) needs Textual and this module's light neighbours only:
the services, SQLAlchemy and the desk's screens are imported where they are first used,
behind that frame (``connection.py``; tests/unit/test_start_imports.py keeps it so).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Provider
from textual.screen import Screen

from policeroom import i18n
from policeroom.i18n import N_, _
from policeroom.services.core.idle_time import DEFAULT_IDLE_MINUTES
from policeroom.ui.common import styles
from policeroom.ui.common.desk import DeskApp, HeaderInfo
from policeroom.ui.common.desk_palette import DeskPalette
from policeroom.ui.common.keys import Area, all_entries
from policeroom.ui.common.messages import DisputeRequested
from policeroom.ui.common.terminal import TerminalOptions, hold_cursors_steady, terminal_options
from policeroom.ui.common.too_small import TooSmallScreen, too_small
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.shell import messages
from policeroom.ui.shell.connection import DeskConnection
from policeroom.ui.shell.lock_screen import LockScreen
from policeroom.ui.shell.login_screen import LoginScreen

if TYPE_CHECKING:
    from policeroom.services.core.context import Actor, ServiceContext
    from policeroom.ui.common.paged_table import PagedTable
    from policeroom.ui.shell.main_screen import MainScreen

# Textual's own palette entries, word for word, so that the catalogue translates them.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)

# The damage warning stays until the desk closes the program: a working day.
DAMAGE_BANNER_SECONDS = 12 * 60 * 60
# How often the idle time is looked at: the lock comes at most this late.
IDLE_CHECK_SECONDS = 5.0
# The integrity check waits for the desk's first rows (it reads the whole file: 2.4 s on a
# branch's, beside the first rows' few milliseconds); if no list reads by then, it starts.
INTEGRITY_AT_LATEST = 5.0


def _load_desk() -> None:
    import policeroom.ui.shell.main_screen  # noqa: F401 - the desk the login opens


def _jump_provider() -> type[Provider]:
    # The palette's search of grids and residents reads the database: loaded when the
    # palette first opens, which Textual allows by naming a function here.
    from policeroom.ui.shell.palette import JumpProvider

    return JumpProvider


class PoliceRoomApp(DeskApp):
    """The desk program. It exits with ``"training"`` when asked to open the training desk."""

    TITLE = "policeroom"
    CSS_PATH = styles.APP
    COMMANDS = App.COMMANDS | {_jump_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _("Help"), tooltip=_("Every key of this screen"), id="app.help"),
        Binding(
            "question_mark",
            "help",
            _("Help"),
            show=False,
            tooltip=_("Every key of this screen"),
            id="app.help-question",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            _("Commands"),
            show=False,
            tooltip=_("Every action, and jumps to grids and residents by name"),
            id="app.palette",
        ),
        Binding(
            "ctrl+q",
            "quit",
            _("Quit"),
            show=False,
            priority=True,
            tooltip=_("Leave the program"),
            id="app.quit",
        ),
        Binding(
            "ctrl+r",
            "reset_training",
            _("Reset training"),
            tooltip=_("Throw away every change and start the training data afresh"),
            id="app.reset-training",
        ),
        Binding(
            "f12",
            "lock",
            _("Lock"),
            # Not in the footer: every pane's footer is full at 80 columns; help and palette
            # list it.
            show=False,
            tooltip=_("Hide the screen now; your password opens it again"),
            id="app.lock",
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext | DeskConnection,
        *,
        training: bool = False,
        language: str | None = "en",
        fixture: str = "training",
        reset_training: Callable[[], None] | None = None,
        load_fixture: Callable[[ServiceContext, str], None] | None = None,
        options: TerminalOptions | None = None,
        login: str | None = None,
        idle_minutes: int | None = DEFAULT_IDLE_MINUTES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.language = i18n.set_language(language)
        # A connection not yet open: the desk opens on its login screen, and the services are
        # loaded behind it, from the first key typed there (``on_event``).
        self.connection = ctx if isinstance(ctx, DeskConnection) else DeskConnection.ready(ctx)
        super().__init__(self.connection.opened, training=training)
        self.fixture = fixture
        self._reset_training = reset_training
        self._load_fixture = load_fixture
        # Without options the app follows the terminal it runs in, as the command line does.
        self.options = options or terminal_options()
        if not self.options.animations:
            self.animation_level = "none"
        self.main_screen: MainScreen | None = None
        self._integrity_due = False
        # Not None: open on the login screen (this login filled in) and act as whoever logs in.
        self.login = login
        # None: no idle lock (a test host); the command line always gives one.
        self.idle_seconds = None if idle_minutes is None else idle_minutes * 60.0
        # A clock of its own, not ctx.clock: training shifts that one to the story's day.
        self._monotonic = monotonic
        self._last_input = monotonic()
        # The first key typed starts loading the services (``_warm_up``), once.
        self._warming = self.connection.opened is not None

    # --- start --------------------------------------------------------------------------

    def on_mount(self) -> None:
        if not self.options.cursor_blink:
            hold_cursors_steady(self)
        if self.idle_seconds is not None:
            self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        if self.login is not None:
            self.push_screen(LoginScreen(self.connection, self.login), self._logged_in)
            return
        self.ctx = self.connection()
        self._open_desk()

    def _logged_in(self, actor: Actor | None) -> None:
        if actor is None:
            self.exit()
            return
        self.ctx = self.connection().as_actor(actor)
        self._open_desk()

    def _open_desk(self) -> None:
        from policeroom.ui.shell.main_screen import MainScreen

        self.main_screen = MainScreen(self.ctx, training=self.training)
        self.push_screen(self.main_screen)
        self._check_empty()
        # Damage is found early, but never on the way to the first frame or first rows.
        self._integrity_due = True
        self.set_timer(INTEGRITY_AT_LATEST, self._start_integrity_check)
        self._fit(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        if self.main_screen is not None:  # before that, on_mount measures once itself
            self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Below the smallest usable size the desk gives way to a message saying so."""
        covered = any(isinstance(screen, TooSmallScreen) for screen in self.screen_stack)
        if too_small(width, height) and not covered:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def on_paged_table_loaded(self, _event: PagedTable.Loaded) -> None:
        # Named, not decorated: the table's module is not imported before the first frame.
        if self._integrity_due:
            self.call_after_refresh(self._start_integrity_check)

    def _start_integrity_check(self) -> None:
        if self._integrity_due:
            self._integrity_due = False
            self._check_integrity()

    @service_worker(messages.INTEGRITY)
    def _check_integrity(self) -> messages.IntegrityChecked:
        from policeroom.services.core import health

        return messages.IntegrityChecked(health.quick_problems(self.ctx))

    @on(messages.IntegrityChecked)
    def _integrity_checked(self, message: messages.IntegrityChecked) -> None:
        if not message.problems:
            return
        self.notify(
            _(
                "The database is damaged ({count} problems found). Save nothing more; ask "
                "the administrator to run `policeroom db check` and to restore the last good "
                "backup with `policeroom db restore PATH`."
            ).format(count=len(message.problems)),
            title=_("Database damaged"),
            severity="error",
            timeout=DAMAGE_BANNER_SECONDS,
        )

    @service_worker(messages.START)
    def _check_empty(self) -> messages.DatabaseChecked:
        from policeroom.ui.shell.main_screen import empty_database

        return messages.DatabaseChecked(empty_database(self.ctx))

    @on(messages.DatabaseChecked)
    def _database_checked(self, message: messages.DatabaseChecked) -> None:
        if not message.empty:
            return
        from policeroom.ui.shell import first_run

        self.header_info = HeaderInfo(
            room="—",
            user=self.ctx.actor.login,
            today=self.ctx.clock.today(),
            training=self.training,
        )
        self.push_screen(
            first_run.FirstRunScreen(self.ctx.db.url, can_load=self._load_fixture is not None),
            self._first_run_choice,
        )

    def _first_run_choice(self, choice: str | None) -> None:
        from policeroom.ui.shell import first_run

        if choice == first_run.TRAINING:
            self.exit(first_run.TRAINING)
        elif choice == first_run.LOAD_TRAINING:
            self._load_training()
        elif choice == first_run.NEW_GRID and self.main_screen is not None:
            from policeroom.ui.org.grid_tree import GridTree

            self.main_screen.action_focus_area("grid-tree")
            self.main_screen.query_one(GridTree).action_new_child()

    # Loading a fixture reads files and may fail in any way; the user is told whichever.
    @service_worker(messages.LOAD, failures=(Exception,))
    def _load_training(self) -> messages.TrainingLoaded:
        if self._load_fixture is None:
            raise RuntimeError(_("the fixtures service is not installed"))
        self._load_fixture(self.ctx, self.fixture)
        return messages.TrainingLoaded()

    @on(messages.TrainingLoaded)
    def _training_loaded(self) -> None:
        self.notify(_("Training data loaded."))
        if self.main_screen is not None:
            self.main_screen.reload()

    @on(ServiceFailed)
    def _service_failed(self, message: ServiceFailed) -> None:
        if message.group in (messages.RESET, messages.LOAD):
            self.notify(
                _("Could not load the training data: {error}").format(error=message.error),
                severity="error",
                timeout=15,
            )
            if message.group == messages.LOAD:
                self._check_empty()  # still empty: the first-run screen offers the ways again
            return
        # Nobody on the way up handled it: say what went wrong, and keep the desk working.
        self.notify(message.text, severity="error", timeout=10)

    # --- the idle lock -------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Every key and mouse event reaches the app first: any of them is someone working.
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self._last_input = self._monotonic()
            if not self._warming and isinstance(event, events.Key):
                self._warming = True
                self._warm_up()
        await super().on_event(event)

    @work(thread=True, exclusive=True, group=messages.WARM_UP, exit_on_error=False)
    def _warm_up(self) -> None:
        """Load the services, open the database and load the desk's screens while the
        password is typed, so that neither the check nor the desk after it waits for them.
        Once only: the check waits for this one (the connection's lock), and nothing else
        imports meanwhile. A failure here is the password check's to tell, when it meets
        it again."""
        try:
            self.connection.warm(_load_desk)
        except Exception:  # noqa: BLE001 - told by the check, not here
            return

    @property
    def locked(self) -> bool:
        return any(isinstance(screen, LockScreen) for screen in self.screen_stack)

    def check_idle_lock(self) -> None:
        """Lock the desk when nobody has touched a key for the idle time."""
        if self.idle_seconds is None or self.main_screen is None or self.locked:
            return
        if self._monotonic() - self._last_input >= self.idle_seconds:
            self.lock_desk(idle=True)

    def action_lock(self) -> None:
        if self.main_screen is not None and not self.locked:
            self.lock_desk(idle=False)

    def lock_desk(self, *, idle: bool) -> None:
        """Cover every screen with the lock screen; the screens beneath keep their typing."""
        # A notification may name a resident, and it would float above the lock screen.
        self.clear_notifications()
        self.push_screen(LockScreen(self.ctx, training=self.training), self._unlocked)
        self._record_lock(idle)

    @service_worker(messages.DESK_LOG, exclusive=False)
    def _record_lock(self, idle: bool) -> None:
        from policeroom.services.core import desk_session

        desk_session.lock(self.ctx, idle=idle)

    def _unlocked(self, _done: bool | None) -> None:
        self._last_input = self._monotonic()

    # --- what one area asks of another ----------------------------------------------------

    @on(DisputeRequested)
    def _register_dispute(self, message: DisputeRequested) -> None:
        from policeroom.ui.disputes.dispute_form import DisputeForm

        draft = message.draft
        form = DisputeForm(
            self.ctx, grid_id=draft.grid_id, parties=draft.parties, visit=draft.visit
        )
        self.push_screen(form, message.closed)

    @on(messages.GridJump)
    def _jump_to_grid(self, message: messages.GridJump) -> None:
        if self.main_screen is not None:
            self.main_screen.jump_to_grid(message.grid_id)

    @on(messages.ResidentJump)
    def _jump_to_resident(self, message: messages.ResidentJump) -> None:
        if self.main_screen is not None:
            self.main_screen.jump_to_resident(message.resident_id)

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.locked and action not in {"quit", "help"}:
            # The palette jumps to residents by name: nothing of the desk behind the lock.
            return False
        if action == "reset_training":
            return self.training and self._reset_training is not None
        if action in ("lock", "command_palette"):
            # Before the login nothing of the desk is reachable, the palette's jumps to
            # residents least of all.
            return self.main_screen is not None
        return True

    async def action_quit(self) -> None:
        """Leave the program; a logged-in user's leaving is audited."""
        if self.main_screen is not None and not self.ctx.actor.system:
            from sqlalchemy.exc import SQLAlchemyError

            from policeroom.services.core import desk_session
            from policeroom.services.core.errors import ServiceError

            try:
                # On the way out, no worker would outlive the app to write it.
                desk_session.log_out(self.ctx)
            except (ServiceError, SQLAlchemyError):
                pass  # the database is gone or busy: leaving must still work
        self.exit()

    def help_areas(self, screen: Screen[object]) -> list[Area]:
        """The areas of ``screen`` whose keys help and palette list."""
        if self.main_screen is not None and screen is self.main_screen:
            return self.main_screen.help_areas()
        return [Area(_("This screen"), [self, screen, *screen.query("*")])]

    def action_help(self) -> None:
        # Imported when first asked for, as every screen the login screen does not need.
        from policeroom.ui.common.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_areas(self.screen)))

    def action_reset_training(self) -> None:
        from policeroom.ui.common import confirm

        if not self.training or self._reset_training is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._reset()

        self.push_screen(
            confirm.ConfirmScreen(
                _("Reset the training data? Every change made in training is thrown away."),
                yes=_("y = reset"),
                no=_("n = keep"),
            ),
            answered,
        )

    # Throwing the training copy away removes files and loads a fixture: any failure is told.
    @service_worker(messages.RESET, failures=(Exception,))
    def _reset(self) -> messages.TrainingReset:
        assert self._reset_training is not None
        self._reset_training()
        return messages.TrainingReset()

    @on(messages.TrainingReset)
    def _training_reset(self) -> None:
        self.notify(_("Training data reset."))
        if self.main_screen is not None:
            self.main_screen.reload()

    # --- the palette --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action of the screen (from its bindings), then Textual's own."""
        from policeroom.ui.shell.palette import runner

        for entry in all_entries(self.help_areas(screen), self.get_key_display):
            if not entry.available():
                continue
            # People look for what they want done ("add a grid"), so the sentence leads; the
            # key's own word follows, as the footer and help teach it ("Time off", "Print")
            # and the palette matches the title only.
            title = entry.tooltip or entry.description
            if entry.tooltip and entry.description:
                title = f"{entry.tooltip} ({entry.description})"
            help_text = f"{entry.area} · {entry.keys_text}"
            yield SystemCommand(title, help_text, runner(self, screen, entry))
        for command in super().get_system_commands(screen):
            yield SystemCommand(
                _(command.title), _(command.help), command.callback, command.discover
            )

    def action_command_palette(self) -> None:
        """The palette in the desk's language (Textual's says English)."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                DeskPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )
