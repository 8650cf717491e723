"""The announcer speaks calls one after another, never over each other."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from display.announcer import HISTORY, Announcer
from display.audio import RecordingSink
from display.model import CallEvent
from display.voice import Voice
from kiosk.config import AnnouncerSettings

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


def call(event_id: int, number: int, counter: int, service: str = "A", recall: bool = False) -> CallEvent:
    return CallEvent(event_id, service, number, counter, NOW, recall)


@pytest.fixture
def voice():
    return Voice()


@pytest.fixture
def make_announcer(qtbot, voice):
    made = []

    def make(sink, **settings):
        announcer = Announcer(sink, AnnouncerSettings(**settings), voice)
        made.append(announcer)
        return announcer
    yield make
    for announcer in made:
        announcer.close()


def test_calls_arriving_together_are_announced_in_order_without_overlap(qtbot, make_announcer, voice):
    # GIVEN a sound card that takes real (scaled) time per clip
    sink = RecordingSink(speed=0.02)
    announcer = make_announcer(sink)
    calls = [call(1, 12, 3), call(2, 5, 1, "B"), call(3, 13, 2), call(4, 12, 3, recall=True)]
    # WHEN four calls arrive at once
    for c in calls:
        announcer.announce(c)
    qtbot.waitUntil(lambda: len(announcer.history) == 4 and all(a.ended for a in announcer.history),
                    timeout=10_000)
    # THEN they were played in arrival order, each after the previous one ended
    assert sink.overlaps == 0
    assert [a.call for a in announcer.history] == calls
    played = [p.clip for p in sink.played]
    expected = [voice.announcement(c.service, c.number, c.counter).clip for c in calls]
    assert [len(p.samples) for p in played] == [len(e.samples) for e in expected]
    for earlier, later in zip(sink.played, sink.played[1:], strict=False):
        assert earlier.ended is not None and earlier.ended <= later.started


def test_a_recall_is_said_again(qtbot, make_announcer):
    sink = RecordingSink()
    announcer = make_announcer(sink)
    announcer.announce(call(1, 12, 3))
    announcer.announce(call(2, 12, 3, recall=True))
    qtbot.waitUntil(lambda: len(sink.played) == 2 and not announcer.busy, timeout=5000)
    assert [a.utterance.text for a in announcer.history] == ["Nomor antrean A dua belas, silakan menuju loket tiga"] * 2


def test_repeat_count_and_volume_come_from_the_settings(qtbot, make_announcer, voice):
    sink = RecordingSink()
    announcer = make_announcer(sink, repeat=2, volume=0.25)
    announcer.announce(call(1, 7, 2))
    qtbot.waitUntil(lambda: not announcer.busy and len(sink.played) == 1, timeout=5000)
    assert sink.played[0].volume == 0.25
    assert sink.played[0].clip.duration == pytest.approx(voice.announcement("A", 7, 2, repeat=2).clip.duration)


def test_a_disabled_announcer_stays_silent(qtbot, make_announcer):
    sink = RecordingSink()
    announcer = make_announcer(sink, enabled=False)
    assert announcer.announce(call(1, 1, 1)) is None
    assert not announcer.busy and sink.played == []


def test_a_failing_device_does_not_stop_the_queue(qtbot, make_announcer):
    # GIVEN a device that reports an error after every clip
    sink = RecordingSink(fail_with="underrun")
    announcer = make_announcer(sink)
    # WHEN two calls are announced
    announcer.announce(call(1, 1, 1))
    announcer.announce(call(2, 2, 1))
    qtbot.waitUntil(lambda: all(a.ended for a in announcer.history) and len(announcer.history) == 2, timeout=5000)
    # THEN both were tried and the error is recorded on each
    assert [a.error for a in announcer.history] == ["underrun", "underrun"]


def test_an_unplugged_device_that_raises_is_survived(qtbot, make_announcer):
    # GIVEN a device that raises as soon as it is used
    sink = RecordingSink(broken=True)
    announcer = make_announcer(sink)
    # WHEN calls are announced
    with qtbot.waitSignals([announcer.finished, announcer.finished], timeout=5000):
        announcer.announce(call(1, 1, 1))
        announcer.announce(call(2, 2, 1))
    # THEN each ends with the error and the announcer is idle again
    assert [a.error for a in announcer.history] == ["sound card unplugged"] * 2
    assert not announcer.busy
    # AND once the device is back, the next call is heard
    sink.broken = False
    announcer.announce(call(3, 3, 1))
    qtbot.waitUntil(lambda: len(sink.played) == 1 and not announcer.busy, timeout=5000)


def test_the_real_qt_sink_reports_the_end_even_without_a_sound_server(qtbot):
    # GIVEN the Qt sink on a machine that may have no audio device at all
    from display.audio import QtAudioSink
    from display.voice import AudioClip
    sink = QtAudioSink()
    # WHEN a short clip is played
    with qtbot.waitSignal(sink.finished, timeout=10_000) as finished:
        sink.play(AudioClip.silence(0.2), 0.5)
    # THEN it finishes (with or without an error): the announcer is never stuck on it
    assert isinstance(finished.args[0], str)
    sink.stop()


def test_a_long_day_of_announcements_keeps_a_bounded_history_without_the_sound(qtbot, make_announcer):
    # GIVEN a fast sound card
    sink = RecordingSink(speed=0.0005)
    announcer = make_announcer(sink)
    # WHEN more calls are announced than the history keeps
    total = HISTORY + 30
    for i in range(total):
        announcer.announce(call(i + 1, i + 1, 1 + i % 4))
    qtbot.waitUntil(lambda: len(sink.played) == total and not announcer.busy, timeout=20_000)
    # THEN only the latest are remembered, each with what was said but no longer the samples
    assert len(announcer.history) == HISTORY
    assert [a.call.event_id for a in announcer.history] == list(range(total - HISTORY + 1, total + 1))
    assert all(a.utterance.text and a.utterance.clip is None for a in announcer.history)
