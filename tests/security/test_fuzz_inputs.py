"""Fuzzing the other ways text gets in: a WhatsApp message, a booking list file and the
config file. None crashes; a rejection changes nothing; a bad config names its key."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from collections.abc import Iterator
from itertools import count

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.app import AppContext, open_context
from kiosk.booking.importer import ImportFailed, import_bookings
from kiosk.booking.intake import IncomingMessage, handle_message
from kiosk.booking.replies import IntakeOutcome as O
from kiosk.config import ConfigError, from_mapping, load_config, schema
from tests.conftest import make_config, table_counts


@pytest.fixture
def sqlite_ctx(tmp_path, clock) -> Iterator[AppContext]:
    """SQLite only: many hundred examples must stay fast; the rules are the same on PostgreSQL."""
    ctx = open_context(make_config(tmp_path), db_url=f"sqlite:///{tmp_path / 'antrean.db'}", clock=clock)
    yield ctx
    ctx.close()

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CHANGES = {O.BOOKED, O.CANCELLED}  # the only answers that may change a booking

# --- WhatsApp messages --------------------------------------------------------------------

_piece = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["Budi Santoso", "budi", "O'Brien", "Ni Luh Putu", "X" * 130, "", " ", "BATAL", "CEK",
                     "Jl. Merdeka No. 1", "\u200b", "\uff03"]),
    st.dates(date(1850, 1, 1), date(2100, 12, 31)).flatmap(lambda d: st.sampled_from(
        [d.strftime("%d%m%Y"), d.strftime("%d-%m-%Y"), d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"),
         d.isoformat()])),
    st.from_regex(r"\d{1,9}", fullmatch=True),
    st.from_regex(r"AP1-[A-Z]{3}-\d{6}-\d{4}-\d{3}-[0-9A-Z]{4,10}", fullmatch=True),
)
_message = st.one_of(
    st.text(max_size=300),
    st.lists(_piece, min_size=0, max_size=5).map(lambda parts: "#" + "#".join(parts)),
    st.lists(_piece, min_size=0, max_size=5).map(" # ".join),
    st.just("#BATAL#").flatmap(lambda p: _piece.map(lambda x: p + x)),
)


def test_whatsapp_messages_never_crash_and_a_rejection_books_nothing(sqlite_ctx):
    ids = count()
    ctx = sqlite_ctx

    @FUZZ
    @given(text=_message, kind=st.sampled_from(["text", "text", "image", "other"]),
           phone=st.sampled_from(["081234567890", "+6281298765432", "6285711112222"]))
    def one(text: str, kind: str, phone: str) -> None:
        # GIVEN the store as it is
        before = table_counts(ctx)
        # WHEN any message arrives
        reply = handle_message(ctx, IncomingMessage(f"wamid.{next(ids)}", phone, text, kind,
                                                    photo=b"\xff\xd8\xff" + b"0" * 64 if kind == "image" else None),
                               render_image=False)
        # THEN it is answered with text; the message itself is remembered (for replays)
        assert isinstance(reply.outcome, O) and reply.text
        after = table_counts(ctx)
        assert after["intake_messages"] == before["intake_messages"] + 1
        if reply.outcome not in CHANGES:
            # AND a rejection (or a status answer) changes nothing else
            assert {k: v for k, v in after.items() if k != "intake_messages"} == \
                   {k: v for k, v in before.items() if k != "intake_messages"}, (text, reply.outcome)

    one()


# --- booking-list import -------------------------------------------------------------------

_COLUMNS = ["code", "name", "birth_date", "date", "slot", "number", "phone", "extra"]


def _cell(today: date):
    return st.one_of(
        st.text(max_size=20),
        st.sampled_from(["", "Budi Santoso", "10:00", "25:61", "1987-01-25", "25-01-1987", "-1", "0", "999999",
                         "08123456789", "IMP-1", "IMP-1", "null", "true"]),
        st.integers(-5, 40).map(lambda d: (today + timedelta(days=d)).isoformat()),
        st.integers(-10**6, 10**6).map(str),
    )


def _csv_file(today: date):
    header = st.lists(st.sampled_from(_COLUMNS), min_size=0, max_size=8)
    return header.flatmap(lambda h: st.lists(st.lists(_cell(today), min_size=max(len(h) - 1, 0),
                                                      max_size=len(h) + 1),
                                             max_size=6).map(lambda rows: "\n".join(
                                                 [",".join(h)] + [",".join(r) for r in rows])))


def _json_value():
    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
    return st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(_COLUMNS), inner, max_size=7)),
                        max_leaves=12)


def test_an_import_file_is_taken_whole_or_changes_nothing(sqlite_ctx, tmp_path):
    ctx = sqlite_ctx
    today = ctx.today()
    files = count()

    @FUZZ
    @given(content=st.one_of(_csv_file(today).map(str.encode), _json_value().map(lambda v: json.dumps(v).encode()),
                             st.binary(max_size=200)),
           suffix=st.sampled_from([".csv", ".json", ".txt"]))
    def one(content: bytes, suffix: str) -> None:
        # GIVEN a file of any content
        path = tmp_path / f"list{next(files)}{suffix}"
        path.write_bytes(content)
        before = table_counts(ctx)
        # WHEN it is imported
        try:
            result = import_bookings(ctx, path)
        except ImportFailed as exc:
            # THEN a refusal says why and changes no table
            assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
            assert table_counts(ctx) == before
        else:
            # OR every new row became a booking
            assert table_counts(ctx)["bookings"] == before["bookings"] + result.added

    one()


# --- the config loader ---------------------------------------------------------------------

SPECS = schema()
_SECTIONS = sorted({s.name.split(".")[0] for s in SPECS})
_KEYS = [s.name for s in SPECS]
_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.text(max_size=10),
              st.dates(), st.times()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)


def _mapping():
    valid_key = st.sampled_from(_KEYS).map(lambda k: k.split(".", 1))
    odd_key = st.tuples(st.sampled_from(_SECTIONS + ["nope"]), st.text(max_size=8))
    entry = st.tuples(st.one_of(valid_key, valid_key, odd_key), _value)
    return st.lists(entry, max_size=6).map(_nest)


def _nest(entries) -> dict:
    data: dict = {}
    for (section, key), value in entries:
        data.setdefault(section, {})[key] = value
    return data


@FUZZ
@given(data=_mapping())
def test_a_random_config_is_accepted_or_refused_with_its_key_named(data):
    # GIVEN any structure a TOML file could parse to
    # WHEN it is read as the config
    try:
        from_mapping(data)
    except ConfigError as exc:
        # THEN the only refusal is a ConfigError naming the key (or section) it is about
        assert exc.key and exc.key.split(".")[0] in str(exc), str(exc)
        assert exc.key.split(".", 1)[0] in data or exc.key in _KEYS, exc.key


@FUZZ
@given(content=st.one_of(st.binary(max_size=200),
                         st.lists(st.sampled_from(["[office]", "[queue]", "[nope]", "code = \"JKP\"", "x = 1",
                                                   "[queue.counters]", "1 = [\"A\"]", "name = '", "= 3",
                                                   "timezone = \"Mars/Base\"", "port = -1", "\x00", "[[office]]"]),
                                  max_size=8).map(lambda lines: "\n".join(lines).encode())))
def test_config_file_bytes_give_a_config_error_or_a_config(tmp_path_factory, content):
    # GIVEN a config file with any bytes in it
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_bytes(content)
    # WHEN it is loaded THEN it loads, or the refusal is a ConfigError that says where
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc) or exc.key, str(exc)
    else:
        tomllib.loads(content.decode("utf-8"))  # it was real TOML
