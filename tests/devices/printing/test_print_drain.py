"""PrinterWorker.drain: the thread's steps on the caller's thread, for simulations."""

from __future__ import annotations

from kiosk.devices.printing.profiles import printer_model
from kiosk.devices.printing.recording import RecordingPrinter, read_journal
from kiosk.devices.printing.spooler import PrinterWorker
from kiosk.devices.printing.status import PrinterState
from kiosk.services import walk_in
from kiosk.services.printing import OutboxSource, pending_jobs, ticket_texts


def test_drain_stops_at_a_failing_printer_and_finishes_once_it_is_back(ctx, tmp_path):
    # GIVEN two tickets and a recording printer that is out of paper
    labels = [walk_in(ctx, "disabilitas").ticket.label for _ in range(2)]
    printer = RecordingPrinter(printer_model("TM-T20II"), journal=tmp_path / "paper.jsonl")
    worker = PrinterWorker(printer, OutboxSource(ctx))
    printer.fault = PrinterState.PAPER_OUT
    # WHEN the queue is drained: nothing printed, both jobs still waiting, no thread started
    assert worker.drain() is False
    assert printer.printed == [] and len(pending_jobs(ctx)) == 2 and not worker.running
    # AND paper is loaded but the first ticket stops halfway
    printer.fault = None
    printer.break_next = 1
    assert worker.drain() is False
    # THEN the next drain prints it again, marked, then the second one unmarked
    assert worker.drain() is True
    mark = ticket_texts().reprint
    assert [(p.name, p.has_line(mark), p.complete) for p in printer.printed] == [
        (labels[0], False, False), (labels[0], True, True), (labels[1], False, True)]
    assert pending_jobs(ctx) == []
    assert [e["name"] for e in read_journal(tmp_path / "paper.jsonl")] == [labels[0], labels[0], labels[1]]
