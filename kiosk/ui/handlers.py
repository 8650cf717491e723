"""Adapters from the task runner's ``done(result, error)`` to separate handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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
