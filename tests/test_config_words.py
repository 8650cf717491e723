"""The settings model in the office's words: every shown key labelled and explained in
both languages and placed in one group; every expectation worded in both; the file and
the command line keep naming the TOML key in English."""

import re

import pytest

from kiosk import i18n
from kiosk.config import ConfigError, checks, from_mapping, schema, words
from kiosk.tools import translations

SHOWN = [s for s in schema() if s.name not in words.HIDDEN]


@pytest.fixture(scope="module")
def english_catalogue():
    """(context, Indonesian) → English, as the repository's .ts holds it."""
    return translations.read_ts(translations.ts_path("en"))


@pytest.fixture
def english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    translations.compile_catalogues(tmp_path)
    assert i18n.set_language("en")
    yield
    i18n.set_language("id")


def test_every_shown_key_has_a_label_and_help_in_both_languages_and_its_english_help_is_the_files(
        english_catalogue):
    said = words.key_words()
    assert set(said) == {s.name for s in SHOWN}, "a key without words: add it to kiosk/config/words.py"
    for spec in SHOWN:
        w = said[spec.name]
        assert w.label.strip() and w.help.strip(), spec.name
        assert english_catalogue.get((words.L, w.label)), f"{spec.name}: no English label"
        # The dialog's English help is the config file's and the README's, word for word.
        assert english_catalogue.get((words.H, w.help)) == spec.help, f"{spec.name}: English help differs"
        if w.unit:
            assert english_catalogue.get((words.U, w.unit)), f"{spec.name}: no English unit"
    labels = [said[s.name].label for s in SHOWN]
    assert len(set(labels)) == len(labels), "two fields with one label cannot be told apart in a refusal"


def test_every_shown_key_is_in_exactly_one_group_and_groups_are_named_for_people(english):
    placed = [key for _, keys in words.GROUP_KEYS for key in keys]
    assert sorted(placed) == sorted(s.name for s in SHOWN)
    assert [g.title for g in words.groups()][:4] == ["Office", "Queue", "Arrival times", "Priority"]
    assert {"Printer", "Camera and scanner", "WhatsApp", "Privacy"} <= {g.title for g in words.groups()}


def test_every_expectation_is_worded_in_both_languages(english):
    assert words.EXPECTATION_IDS == set(checks.ENGLISH)
    every_argument = {"low": 1, "high": 9, "choices": ("a", "b"), "most": 8, "type": "text", "tp": str,
                      "example": "x", "services": ("A", "B"), "other": checks.KeyRef("arrival.opens_before"),
                      "value": 5, "transport": "network", "profile": "TM-T20II"}
    for expectation_id in checks.ENGLISH:
        expected = checks.Expected(expectation_id, every_argument)
        english_text = words.expectation(expected)
        i18n.set_language("id")
        indonesian = words.expectation(expected)
        assert i18n.set_language("en")
        assert english_text != indonesian and not re.search(r"\{\w+\}", english_text + indonesian), expectation_id
        assert not re.search(r"\b(harus|sampai|atau|daftar|bilangan)\b", english_text), english_text
        assert not re.search(r"\b(expected|must|from|or|list)\b", indonesian), indonesian


@pytest.mark.parametrize("data,message", [
    ({"office": {"code": "j k"}}, "office.code = 'j k': expected 2-5 upper-case letters or digits, e.g. JKP"),
    ({"arrival": {"opens_before": 20}},
     "arrival.opens_before = 20: expected more minutes than arrival.must_arrive_before (30)"),
])
def test_the_file_and_command_line_keep_the_toml_key_and_english_in_any_language(english, data, message):
    with pytest.raises(ConfigError) as info:
        from_mapping(data)
    assert str(info.value) == message
    # ... while the dialog's words name the label, in the chosen language
    assert words.refusal(info.value).startswith("Not saved: " + words.label(info.value.key) + " — expected")


def test_config_check_names_the_toml_key_in_the_chosen_language_for_whoever_edits_the_file(tmp_path, capsys):
    from kiosk.cli.main import main
    from kiosk.i18n import set_language

    path = tmp_path / "config.toml"
    path.write_text("[arrival]\nopens_before = 20\n", encoding="utf-8")
    assert main(["--config", str(path), "config", "check"]) != 0
    assert "arrival.opens_before = 20: harus lebih dari arrival.must_arrive_before = 30 menit" \
        in capsys.readouterr().err
    try:
        assert main(["--lang", "en", "--config", str(path), "config", "check"]) != 0
        assert "arrival.opens_before = 20: expected more than arrival.must_arrive_before = 30 minutes" \
            in capsys.readouterr().err
    finally:
        set_language("id")  # main() switched this process's language
