"""Every user-facing string has an English translation; English can be switched on."""

import pytest

from kiosk import i18n
from kiosk.tools import translations


def test_every_user_visible_string_is_in_the_catalogue():
    missing = translations.problems()
    assert not missing, "run `python -m kiosk.tools.translations update` and translate:\n" + "\n".join(missing)


def test_extractor_finds_strings_of_all_three_forms(tmp_path):
    (tmp_path / "m.py").write_text(
        'C = "Ctx"\n'
        'def f():\n    return tr(C, "Satu {x}", x=1), tr("Lain", "Dua")\n'
        'class Window:\n    def label(self):\n        return self.tr("Tiga")\n'
        'QCoreApplication.translate("Qt", "Empat")\n', encoding="utf-8")
    assert translations.extract([tmp_path]) == {"Ctx": ["Satu {x}"], "Lain": ["Dua"], "Window": ["Tiga"],
                                                "Qt": ["Empat"]}


@pytest.fixture
def english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    translations.compile_catalogues(tmp_path)
    assert i18n.set_language("en")
    yield
    i18n.set_language("id")


def test_english_is_switchable_and_indonesian_is_the_default(english, ctx):
    from kiosk.services import check_in

    assert check_in(ctx, "zzzz-unknown").message == "Unknown booking code."
    i18n.set_language("id")
    assert check_in(ctx, "zzzz-unknown").message == "Kode booking tidak dikenal."


def test_the_readme_glossary_is_the_glossary_file():
    import re

    from kiosk.tools import glossary

    text = (translations.ROOT / "README.md").read_text("utf-8")
    match = re.search(r"<!-- glossary:start -->\n(.*?)\n<!-- glossary:end -->", text, re.S)
    assert match, "README.md has no glossary markers"
    assert match.group(1).strip() == glossary.markdown().strip(), \
        "README glossary is stale: run `python -m kiosk.tools.readme`"
    words = glossary.load()
    assert {"loket", "hangus", "lansia"} <= {t.word for t in words.terms if t.domain}
    assert {"tidak", "siap", "bekerja", "pemindai"} <= words.indonesian and {"the", "ready"} <= words.english
