"""Walk-in priority tickets: age rule, quota, numbering."""

from datetime import date

from sqlalchemy import select

from kiosk.services import walk_in
from kiosk.store import PrintJob, Ticket
from tests.conftest import table_counts


def test_lansia_with_birth_date_gets_b001_and_a_print_job(ctx):
    result = walk_in(ctx, "lansia", birth=date(1950, 5, 5), name="Mbah Sastro")
    assert result.outcome == "issued" and result.ticket.label == "B001" and result.ticket.category == "lansia"
    assert result.quota_left == 29
    with ctx.db.read() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.name == "Mbah Sastro" and ticket.birth_date == date(1950, 5, 5)
        assert s.scalars(select(PrintJob)).one().ticket_id == ticket.id


def test_too_young_for_lansia_is_refused_and_changes_nothing(ctx):
    before = table_counts(ctx)
    result = walk_in(ctx, "lansia", birth=date(1990, 5, 5))
    assert result.outcome == "age_refused" and "60" in result.message
    assert table_counts(ctx) == before


def test_anak_is_under_five(ctx):
    assert walk_in(ctx, "anak", birth=date(2022, 1, 1)).outcome == "issued"  # 4 years old on 2026-12-01
    assert walk_in(ctx, "anak", birth=date(2021, 12, 1)).outcome == "age_refused"  # 5 today


def test_birth_date_required_where_the_category_needs_it(ctx):
    assert walk_in(ctx, "lansia").outcome == "birth_required"
    result = walk_in(ctx, "disabilitas", name="Pak Joko")
    assert result.outcome == "issued"
    with ctx.db.read() as s:  # no personal data kept where the category does not need it
        assert s.scalars(select(Ticket)).one().name is None


def test_unknown_or_disabled_category(make_ctx):
    ctx = make_ctx(priority={"categories": ["lansia", "anak"]})
    before = table_counts(ctx)
    assert walk_in(ctx, "ibu_hamil").outcome == "category_unknown"
    assert walk_in(ctx, "'; DROP TABLE tickets").outcome == "category_unknown"
    assert table_counts(ctx) == before


def test_quota_runs_out(make_ctx):
    ctx = make_ctx(priority={"daily_quota": 3})
    labels = [walk_in(ctx, "ibu_hamil").ticket.label for _ in range(3)]
    assert labels == ["B001", "B002", "B003"]
    before = table_counts(ctx)
    full = walk_in(ctx, "ibu_hamil")
    assert full.outcome == "quota_full" and full.quota_left == 0 and "3" in full.message
    assert table_counts(ctx) == before


def test_numbers_start_again_the_next_day(ctx, clock):
    from datetime import timedelta

    assert walk_in(ctx, "disabilitas").ticket.label == "B001"
    clock.advance(timedelta(days=1))
    assert walk_in(ctx, "disabilitas").ticket.label == "B001"
