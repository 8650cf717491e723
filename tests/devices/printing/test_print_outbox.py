"""The printer thread drains the outbox in order and loses nothing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.devices.printing.escpos_decode import CutMark, Line, decode, read_qr
from PIL import Image
from sqlalchemy import select

from kiosk.config import to_toml
from kiosk.devices.printing.printer import EscposPrinter, PreviewPrinter
from kiosk.devices.printing.profiles import printer_model
from kiosk.devices.printing.spooler import Backoff, PrinterWorker
from kiosk.devices.printing.status import PrinterState
from kiosk.devices.printing.transports import NetworkTransport
from kiosk.services import walk_in
from kiosk.services.printing import OutboxSource, queue_test_page
from kiosk.store import PrintJob

PROJECT_ROOT = Path(__file__).resolve().parents[3]
MARK = "*** CETAK ULANG ***"


class Watch:
    """Collects the worker's callbacks; tests wait on it instead of sleeping."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.printed: list[str] = []
        self.states: list[PrinterState] = []

    def on_printed(self, job_id: int, name: str) -> None:
        with self.cond:
            self.printed.append(name)
            self.cond.notify_all()

    def on_status(self, status) -> None:  # type: ignore[no-untyped-def]
        with self.cond:
            self.states.append(status.state)
            self.cond.notify_all()

    def wait(self, predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self), timeout)


@pytest.fixture
def start_worker() -> Iterator:
    workers: list[PrinterWorker] = []

    def start(ctx, printer) -> tuple[PrinterWorker, Watch]:  # type: ignore[no-untyped-def]
        watch = Watch()
        worker = PrinterWorker(printer, OutboxSource(ctx), backoff=Backoff(0.02, 2, 0.2), poll_seconds=0.05,
                               on_status=watch.on_status, on_printed=watch.on_printed)
        workers.append(worker)
        worker.start()
        return worker, watch

    yield start
    for worker in workers:
        assert worker.stop(10), "the printer thread did not end"


def network(vp, profile: str = "TM-T20II") -> EscposPrinter:  # type: ignore[no-untyped-def]
    return EscposPrinter(NetworkTransport(vp.host, vp.port, timeout=2), printer_model(profile), timeout=2)


def tickets_on_paper(vp) -> list[tuple[str, bool, bool]]:  # type: ignore[no-untyped-def]
    """(number, reprint mark, complete) of every job the printer received, in order."""
    out = []
    for data in vp.jobs:
        items = decode_prefix(data)
        lines = [i for i in items if isinstance(i, Line)]
        number = next((ln.text for ln in lines if ln.width == 8), "?")
        out.append((number, any(ln.text == MARK for ln in lines), any(isinstance(i, CutMark) for i in items)))
    return out


def decode_prefix(data: bytes) -> list:  # type: ignore[type-arg]
    """Decode as much of a possibly cut-off job as is whole."""
    for end in range(len(data), 0, -1):
        try:
            return decode(data[:end])
        except Exception:
            continue
    return []


def issue(ctx, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [walk_in(ctx, "disabilitas", actor="test").ticket.label for _ in range(count)]


def job_states(ctx) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    with ctx.db.read() as session:
        return [(j.state, j.reprint) for j in session.scalars(select(PrintJob).order_by(PrintJob.id))]


def test_printer_off_for_20_tickets_then_on_prints_all_20_in_order(ctx, virtual_printer, start_worker):
    # GIVEN the printer is switched off and the printer thread runs
    virtual_printer.switch_off()
    worker, watch = start_worker(ctx, network(virtual_printer))
    # WHEN 20 tickets are issued
    labels = issue(ctx, 20)
    worker.wake()
    # THEN the thread reports the printer offline and prints nothing
    assert watch.wait(lambda w: PrinterState.OFFLINE in w.states)
    assert watch.printed == []
    # WHEN the printer is switched on
    virtual_printer.switch_on()
    # THEN all 20 come out, once each, in the order they were issued, none marked as a reprint
    assert watch.wait(lambda w: len(w.printed) == 20)
    assert tickets_on_paper(virtual_printer) == [(label, False, True) for label in labels]
    assert watch.states[-1] is PrinterState.READY
    assert job_states(ctx) == [("done", False)] * 20


def test_paper_out_holds_the_queue_until_paper_is_loaded(ctx, virtual_printer, start_worker):
    virtual_printer.paper_out = True
    worker, watch = start_worker(ctx, network(virtual_printer))
    labels = issue(ctx, 3)
    worker.wake()
    assert watch.wait(lambda w: PrinterState.PAPER_OUT in w.states)
    assert virtual_printer.jobs == []
    virtual_printer.paper_out = False
    assert watch.wait(lambda w: len(w.printed) == 3)
    assert [t[0] for t in tickets_on_paper(virtual_printer)] == labels


def test_a_connection_dropped_mid_ticket_reprints_it_with_the_mark(ctx, virtual_printer, start_worker):
    # GIVEN a printer that drops the connection in the middle of the first ticket
    virtual_printer.drop_after = 300
    worker, watch = start_worker(ctx, network(virtual_printer))
    labels = issue(ctx, 2)
    worker.wake()
    # THEN the first ticket is printed again, whole and marked; the second once, unmarked
    assert watch.wait(lambda w: len(w.printed) == 2)
    assert tickets_on_paper(virtual_printer) == [(labels[0], False, False), (labels[0], True, True),
                                                 (labels[1], False, True)]
    assert job_states(ctx) == [("done", True), ("done", False)]


def test_a_process_killed_mid_print_prints_the_ticket_once_more_marked(ctx, virtual_printer, start_worker, tmp_path):
    # GIVEN a desk process whose printer jams in the middle of the first of three tickets
    config_file = tmp_path / "config.toml"
    config_file.write_text(to_toml(ctx.config).replace('# transport = "preview"', "")
                           .replace("[printer]", f'[printer]\ntransport = "network"\nhost = "127.0.0.1"\n'
                                                 f"port = {virtual_printer.port}\ntimeout = 30"))
    db_url = str(ctx.db.url.render_as_string(hide_password=False))
    labels = issue(ctx, 3)
    virtual_printer.stall_after = 200
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("print_process.py")), str(config_file),
                              db_url], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert virtual_printer.wait_for(lambda vp: vp.connections and len(vp.connections[0]) >= 200), \
            child.stderr.read1().decode() if child.poll() is not None else "no bytes arrived"
        # WHEN the process is killed while the ticket is printing
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        child.stdout.close()
        child.stderr.close()
    assert job_states(ctx)[0] == ("printing", False)
    virtual_printer.stall_after = None
    assert virtual_printer.wait_for(lambda vp: vp.connections[0].closed)
    # AND the desk starts again
    worker, watch = start_worker(ctx, network(virtual_printer))
    assert watch.wait(lambda w: len(w.printed) == 3)
    # THEN the interrupted ticket comes out exactly once more, marked CETAK ULANG; the others once, unmarked
    paper = tickets_on_paper(virtual_printer)
    # (the first copy may still have come out whole: its bytes were already on the way)
    assert paper[0][:2] == (labels[0], False)
    assert paper[1:] == [(labels[0], True, True), (labels[1], False, True), (labels[2], False, True)]
    assert job_states(ctx) == [("done", True), ("done", False), ("done", False)]


def test_preview_printer_writes_one_png_per_ticket_with_a_readable_qr(ctx, tmp_path, start_worker):
    folder = tmp_path / "previews"
    worker, watch = start_worker(ctx, PreviewPrinter(folder, printer_model("POS-5890")))
    labels = issue(ctx, 2)
    queue_test_page(ctx)
    worker.wake()
    assert watch.wait(lambda w: len(w.printed) == 3)
    files = sorted(folder.glob("*.png"))
    assert [f.stem.split("-", 1)[1] for f in files] == labels + ["test"]
    assert read_qr(Image.open(io.BytesIO(files[0].read_bytes()))) == [f"JKP-{ctx.today():%y%m%d}-{labels[0]}"]
    assert not list(folder.glob(".*"))  # no half-written files left


def test_each_desk_prints_the_tickets_issued_at_that_desk(make_ctx, start_worker):
    # GIVEN two desks sharing one database, each with its own printer
    from tests.devices.printing.virtual_printer import VirtualPrinter

    desk1, desk2 = make_ctx(printer={"station": "desk1"}), make_ctx(printer={"station": "desk2"})
    printer1, printer2 = VirtualPrinter(), VirtualPrinter()
    try:
        worker1, watch1 = start_worker(desk1, network(printer1))
        worker2, watch2 = start_worker(desk2, network(printer2))
        # WHEN both desks issue tickets, interleaved
        at1, at2 = [], []
        for _ in range(3):
            at1 += issue(desk1, 1)
            at2 += issue(desk2, 1)
        worker1.wake()
        worker2.wake()
        # THEN each ticket comes out once, at the desk that issued it
        assert watch1.wait(lambda w: len(w.printed) == 3) and watch2.wait(lambda w: len(w.printed) == 3)
        assert [t[0] for t in tickets_on_paper(printer1)] == at1
        assert [t[0] for t in tickets_on_paper(printer2)] == at2
    finally:
        printer1.switch_off()
        printer2.switch_off()


def test_a_job_that_cannot_be_laid_out_stops_blocking_the_queue(ctx, virtual_printer):
    # GIVEN a job whose layout fails every time (a bug, not the printer)
    class Broken(OutboxSource):
        def start(self, job_id, paper):  # type: ignore[no-untyped-def]
            if job_id == 1:
                raise RuntimeError("layout bug")
            return super().start(job_id, paper)

    labels = issue(ctx, 2)
    watch = Watch()
    worker = PrinterWorker(network(virtual_printer), Broken(ctx), backoff=Backoff(0.01, 1, 0.01),
                           poll_seconds=0.05, on_status=watch.on_status, on_printed=watch.on_printed)
    worker.start()
    try:
        # THEN after a few attempts it is set aside as failed (kept, reported) and the next ticket prints
        assert watch.wait(lambda w: w.printed == [labels[1]])
        assert PrinterState.ERROR in watch.states
    finally:
        assert worker.stop(10)
    with ctx.db.read() as session:
        job = session.get(PrintJob, 1)
        assert job.state == "failed" and "layout bug" in job.last_error
