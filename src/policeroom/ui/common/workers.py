"""How the interface calls the services: a thread worker that ends by posting a message.

Every database call from the interface is a method decorated with ``@service_worker(GROUP)``.
It runs in a thread (database work never blocks the keys), returns the message that carries
its result — a class declared in its area's ``messages.py`` — and the decorator posts that
message to the widget that asked. When the service refuses or the database fails, the widget
gets ``ServiceFailed`` instead; whoever does not handle it lets it bubble to the app, which
shows it. A worker that a newer one of its exclusive group has replaced posts nothing, so a
stale answer never overwrites a fresh one. Handlers run on the UI thread, where widgets may
be touched.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

from policeroom.i18n import _
from policeroom.services.core.errors import ServiceError
from policeroom.services.core.redact import redact

P = ParamSpec("P")
Node = TypeVar("Node", bound=MessagePump)
log = logging.getLogger(__name__)


class ServiceFailed(Message):
    """A service call made by ``group`` was refused (``ServiceError``) or the database failed."""

    def __init__(self, group: str, error: Exception) -> None:
        super().__init__()
        self.group = group
        self.error = error

    @property
    def text(self) -> str:
        """What to tell the user: the service's own sentence, or what the database said."""
        if isinstance(self.error, ServiceError):
            return str(self.error)
        return _("The database could not be read: {error}").format(
            error=redact(str(self.error).splitlines()[0] if str(self.error) else repr(self.error))
        )


def _failed(group: str, error: Exception, failures: tuple[type[Exception], ...]) -> ServiceFailed:
    """What a worker that failed with ``error`` tells its widget; ``error`` itself when it is
    none of the failures a service call has."""
    # Imported when a call fails, not when a screen's class is defined nor on every call: the
    # login screen's workers are declared before the first frame, and a worker thread that
    # imported while the desk loads its services could deadlock with it (CPython's imports
    # from several threads at once, bpo-38884).
    import pydantic
    from sqlalchemy.exc import SQLAlchemyError

    from policeroom.services.core.fields import field_errors

    if isinstance(error, pydantic.ValidationError):
        # An input schema refused what was typed before the service was called.
        return ServiceFailed(group, field_errors(error))
    if not isinstance(error, (ServiceError, SQLAlchemyError, *failures)):
        raise error
    if not isinstance(error, ServiceError):
        log.exception("the call of %s failed", group, exc_info=error)
    return ServiceFailed(group, error)


def service_worker(
    group: str, *, exclusive: bool = True, failures: tuple[type[Exception], ...] = ()
) -> Callable[
    [Callable[Concatenate[Node, P], Message | None]],
    Callable[Concatenate[Node, P], Worker[None]],
]:
    """Run the decorated method in a thread worker of ``group`` and post what it returns.

    ``failures`` names further exceptions that end in ``ServiceFailed`` rather than in a
    silent worker error: a form writing a file, or the training data thrown away and loaded
    again, must tell the user whatever went wrong instead of waiting for an answer forever.
    """

    def decorate(
        method: Callable[Concatenate[Node, P], Message | None],
    ) -> Callable[Concatenate[Node, P], Worker[None]]:
        @functools.wraps(method)
        def run(node: Node, *args: P.args, **kwargs: P.kwargs) -> None:
            message: Message | None
            try:
                message = method(node, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - sorted below, the rest raised again
                message = _failed(group, error, failures)
            if message is not None and not get_current_worker().is_cancelled:
                node.post_message(message)

        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(run)

    return decorate
