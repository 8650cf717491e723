from kiosk.services import check_in


def test_garbage_is_invalid(ctx):
    assert check_in(ctx, "garbage!").outcome.value == "unknown"
