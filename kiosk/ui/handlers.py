"""Adapters from the task runner's ``done(result, error)`` to separate handlers, and the
words an officer reads when a task fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config import ConfigError
from kiosk.i18n import tr
from kiosk.services.calls import CallError
from kiosk.services.supervisor import PinLocked, PinRejected, SupervisorError
from kiosk.store import DatabaseError

C = "Desk"
# Refusals carry their own words for the officer; anything else is named, never traced.
REFUSALS = (PinLocked, PinRejected, SupervisorError, CallError, ConfigError, ValueError, DatabaseError)


def split(on_success: Callable[[Any], None],
          on_failure: Callable[[BaseException], None] | None = None) -> Callable[[Any, BaseException | None], None]:
    """``done`` for :meth:`TaskRunner.submit`. A failure without a handler is raised again
    here, so the runner logs it and emits ``unhandled``: the window shows it in words."""
    def done(result: Any, error: BaseException | None) -> None:
        if error is None:
            on_success(result)
        elif on_failure is not None:
            on_failure(error)
        else:
            raise error
    return done


def plain_error(exc: BaseException) -> str:
    """Words for the officer; never a traceback."""
    if isinstance(exc, REFUSALS):
        return str(exc)
    return tr(C, "Terjadi gangguan ({kind}). Coba lagi; bila berulang, hubungi petugas TI.", kind=type(exc).__name__)
