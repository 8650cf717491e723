"""The printer thread: drains the print outbox in order, one job at a time.

The outbox (``print_jobs``) is written in the same transaction as the ticket, so a
ticket never exists without its job. This thread takes the oldest pending job,
marks it ``printing`` just before the first byte and ``done`` after the printer
confirmed it. A failure puts the job back at the head of the queue and the thread
retries with backoff, reporting the printer's state; later jobs wait behind it so
tickets come out in the order they were issued. If part of a job may have reached
the paper, the retry carries the reprint mark. A job found ``printing`` at start
was interrupted (crash, power cut): it is printed again, with the reprint mark.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.core.ticket_layout import Paper, TicketLayout
from kiosk.devices.printing.printer import PrintError, TicketPrinter
from kiosk.devices.printing.status import PrinterState, PrinterStatus
from kiosk.devices.worker import BackgroundWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingJob:
    job_id: int
    name: str  # what the job prints, for logs and file names ("A042", "test")


class JobSource(Protocol):
    """Where jobs come from; every method is one committed transaction."""

    def recover_interrupted(self) -> list[int]:
        """Jobs left ``printing`` by a previous run → pending again, with the reprint mark."""

    def next_pending(self) -> PendingJob | None:
        """The oldest pending job, unchanged."""

    def start(self, job_id: int, paper: Paper) -> TicketLayout:
        """Mark the job ``printing`` (one more attempt) and lay it out as it must print now."""

    def printed(self, job_id: int) -> None:
        """Mark the job done."""

    def failed(self, job_id: int, error: str, *, partly_printed: bool) -> None:
        """Put the job back as pending; ``partly_printed`` gives its retry the reprint mark."""

    def give_up(self, job_id: int, error: str) -> None:
        """The job cannot be printed at all (not a printer problem): state ``failed``, kept for the report."""


BROKEN_JOB_ATTEMPTS = 3  # a job that fails for reasons other than the printer blocks the queue no longer


@dataclass(frozen=True)
class Backoff:
    first: float = 0.5
    factor: float = 2.0
    longest: float = 30.0

    def delay(self, failures: int) -> float:
        return min(self.longest, self.first * self.factor ** max(0, failures - 1))


class PrinterWorker(BackgroundWorker):
    """Named thread "printer"; callbacks run on it (the GUI connects them to signals)."""

    def __init__(self, printer: TicketPrinter, source: JobSource, *,
                 backoff: Backoff = Backoff(), poll_seconds: float = 1.0,
                 on_status: Callable[[PrinterStatus], None] | None = None,
                 on_printed: Callable[[int, str], None] | None = None,
                 name: str = "printer") -> None:
        super().__init__(name)
        self.printer = printer
        self.source = source
        self.backoff = backoff
        self.poll_seconds = poll_seconds  # other PCs may queue jobs without waking us
        self.on_status = on_status
        self.on_printed = on_printed
        self._wake = threading.Event()
        self._last_status: PrinterStatus | None = None
        self._failures = 0  # printer failures in a row: the backoff
        self._broken: dict[int, int] = {}  # job id -> failures that were not the printer's

    def wake(self) -> None:
        """A job was queued (or the officer pressed "try again"): look now."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        self._stop.set()
        self._wake.set()
        return super().stop(timeout)

    def _report(self, status: PrinterStatus) -> None:
        if status != self._last_status:
            self._last_status = status
            log.info("printer %s: %s %s", self.printer.describe(), status.state.value, status.detail)
            if self.on_status is not None:
                self.on_status(status)

    def _pause(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _recover(self) -> bool:
        failures = 0
        while not self.stopping:
            try:
                recovered = self.source.recover_interrupted()
            except Exception:  # the database is not there yet
                log.exception("cannot read the print queue")
                failures += 1
                self._pause(self.backoff.delay(failures))
                continue
            if recovered:
                log.warning("jobs %s were interrupted while printing; they print again marked as reprints",
                            recovered)
            return True
        return False

    def run(self) -> None:
        if not self._recover():
            return
        while not self.stopping:
            pause = self._turn()
            if pause is None:
                self._pause(self.poll_seconds)
            elif pause > 0:
                self._pause(pause)

    def drain(self) -> bool:
        """Print pending jobs on the calling thread, without waiting: True when the queue
        is empty, False at the first failure (the job is back in the queue, as the thread
        leaves it). The same steps as the thread; a simulation calls it at the pace of its
        own clock."""
        while True:
            pause = self._turn()
            if pause is None:
                return True
            if pause > 0:
                return False

    def _turn(self) -> float | None:
        """Print the oldest pending job. None: nothing to print; 0: go on; otherwise the
        seconds to wait before trying again."""
        try:
            job = self.source.next_pending()
        except Exception:  # the database is away: keep the thread, try again
            log.exception("cannot read the print queue")
            self._failures += 1
            return self.backoff.delay(self._failures)
        if job is None:
            return None
        try:
            self._print(job)
        except PrintError as exc:
            self._failures += 1
            self._report(exc.status)
            log.warning("job %s (%s) not printed, attempt %d: %s", job.job_id, job.name, self._failures, exc)
            self._guard(self.source.failed, job.job_id, str(exc), partly_printed=exc.bytes_sent > 0)
            return self.backoff.delay(self._failures)
        except LookupError:
            return 0  # another desk took the job, or it is gone
        except Exception as exc:  # a bug or the database: never let it kill the thread
            attempts = self._broken[job.job_id] = self._broken.get(job.job_id, 0) + 1
            log.exception("job %s (%s) failed", job.job_id, job.name)
            error = f"{type(exc).__name__}: {exc}"
            if attempts >= BROKEN_JOB_ATTEMPTS:
                self._guard(self.source.give_up, job.job_id, error)
                self._report(PrinterStatus(PrinterState.ERROR, detail=f"job {job.job_id} ({job.name}): {error}"))
            else:
                self._guard(self.source.failed, job.job_id, error, partly_printed=False)
            return self.backoff.delay(attempts)
        self._failures = 0
        self._broken.pop(job.job_id, None)
        self._guard(self.source.printed, job.job_id)
        self._report(PrinterStatus(PrinterState.READY))
        if self.on_printed is not None:
            self.on_printed(job.job_id, job.name)
        return 0

    @staticmethod
    def _guard(action: Callable[..., None], *args: object, **kwargs: object) -> None:
        try:
            action(*args, **kwargs)
        except Exception:  # the database is away; the job stays as it was and is looked at again
            log.exception("cannot update the print queue")

    def _print(self, job: PendingJob) -> None:
        self.assert_on_worker_thread()  # the printer is only ever spoken to from its own thread
        with self.printer.session() as session:
            layout = self.source.start(job.job_id, self.printer.paper)
            session.send(layout, job.name)
