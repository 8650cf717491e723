"""The declared configuration model: defaults, validation messages, the README reference."""

import re
import tomllib
from pathlib import Path

import pytest

from kiosk.config import Config, ConfigError, from_mapping, load_config, markdown_reference, schema, to_toml

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_match_the_design():
    c = Config()
    assert c.office.timezone == "Asia/Jakarta"
    assert c.queue.counters == {"1": ["B", "A"], "2": ["A", "B"], "3": ["A", "B"], "4": ["A", "B"]}
    assert (c.queue.booking_service, c.queue.priority_service) == ("A", "B")
    assert (c.arrival.opens_before, c.arrival.must_arrive_before) == (120, 30)
    assert (c.priority.lansia_min_age, c.priority.anak_under_age, c.priority.daily_quota) == (60, 5, 30)
    assert c.clock.allow_override is False


def test_every_key_has_a_type_a_default_and_help():
    for spec in schema():
        assert spec.help.strip() and spec.type_name and spec.default is not None, spec.name


@pytest.mark.parametrize("data,key,value,expected", [
    ({"office": {"code": "jkp"}}, "office.code", "'jkp'", "upper-case"),
    ({"office": {"timezone": "Mars/Olympus"}}, "office.timezone", "'Mars/Olympus'", "IANA timezone"),
    ({"arrival": {"opens_before": "120"}}, "arrival.opens_before", "'120'", "integer"),
    ({"arrival": {"must_arrive_before": -5}}, "arrival.must_arrive_before", "-5", "minutes"),
    ({"arrival": {"opens_before": 20}}, "arrival.opens_before", "20", "more minutes"),
    ({"priority": {"daily_quota": True}}, "priority.daily_quota", "True", "integer"),
    ({"priority": {"categories": ["lansia", "vip"]}}, "priority.categories", "vip", "lansia, anak"),
    ({"queue": {"counters": {"1": ["A", "Z"]}}}, "queue.counters", "Z", "services from A, B"),
    ({"queue": {"counters": {"x": ["A"]}}}, "queue.counters", "'x'", "counter numbers"),
    ({"queue": {"priority_service": "A"}}, "queue.priority_service", "'A'", "other than"),
    ({"database": {"url": "mysql://x"}}, "database.url", "mysql://x", "postgresql"),
    ({"clock": {"allow_override": "yes"}}, "clock.allow_override", "'yes'", "true/false"),
    ({"office": {"colour": "red"}}, "office.colour", "office.colour", "code, name, timezone"),
    ({"printers": {}}, "printers", "[printers]", "yang ada office, queue"),  # unknown section: in the chosen language
])
def test_bad_values_name_the_key_the_value_and_what_is_expected(data, key, value, expected):
    with pytest.raises(ConfigError) as info:
        from_mapping(data)
    message = str(info.value)
    assert info.value.key == key and key in message and value in message and expected in message


def test_written_config_reads_back_identical(tmp_path):
    config = from_mapping({"office": {"code": "DPS", "name": 'Kantor "Denpasar"', "timezone": "Asia/Makassar"},
                           "queue": {"counters": {"1": ["B"], "12": ["A", "B"]}}})
    path = tmp_path / "config.toml"
    path.write_text(to_toml(config), encoding="utf-8")
    assert load_config(path) == config


def test_file_errors_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="tidak ditemukan"):  # Bahasa Indonesia unless asked
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[office\ncode = 'JKP'", encoding="utf-8")
    with pytest.raises(ConfigError, match="bukan TOML yang sah"):
        load_config(bad)
    bad.write_bytes(b"\xff\xfe[office]")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(bad)


def test_readme_reference_is_in_sync_with_the_model():
    text = README.read_text("utf-8")
    match = re.search(r"<!-- config-reference:start -->\n(.*?)\n<!-- config-reference:end -->", text, re.S)
    assert match, "README.md lacks the configuration reference markers"
    assert match.group(1).strip() == markdown_reference().strip(), \
        "README configuration reference is stale: run `python -m kiosk.tools.readme`"


def test_commented_file_documents_every_key():
    text = to_toml(Config())
    for spec in schema():
        assert spec.help in text
    # Defaults are written commented out, so a fresh file pins nothing.
    assert all(section == {} for section in tomllib.loads(text).values())
