"""Adapters from the task runner's ``done(result, error)`` to separate handlers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def split(on_success: Callable[[Any], None],
          on_failure: Callable[[BaseException], None] | None = None) -> Callable[[Any, BaseException | None], None]:
    """``done`` for :meth:`TaskRunner.submit`; a failure without a handler is logged
    (the window's database light reports a lost database on its own)."""
    def done(result: Any, error: BaseException | None) -> None:
        if error is None:
            on_success(result)
        elif on_failure is not None:
            on_failure(error)
        else:
            log.warning("background call failed: %s", error)
    return done
