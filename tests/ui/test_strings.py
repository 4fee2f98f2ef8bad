"""UI strings: both languages complete, policy facts formatted the Indian way."""

from __future__ import annotations

from pathlib import Path

from core.policy import Policy
from ui.strings import Lang, Strings, indian_grouping, missing_keys, policy_values


def test_hindi_table_has_every_english_key() -> None:
    assert missing_keys(Lang.HI) == []


def test_indian_grouping() -> None:
    assert [indian_grouping(n) for n in (999, 25000, 100000, 1234567)] == ["999", "25,000", "1,00,000", "12,34,567"]


def test_policy_values_quote_the_policy(policy: Policy) -> None:
    values = policy_values(policy)
    assert values["min_salary"] == indian_grouping(policy.min_monthly_salary)
    for city in policy.serviceable_cities:
        assert city.name in values["cities"] and city.name in values["cities_or"]
    assert " or " in values["cities_or"] and " and " in values["cities"]


def test_switching_language_changes_text_and_falls_back_for_unknown_keys() -> None:
    strings = Strings()
    english = strings("status.listening")
    strings.lang = Lang.HI
    assert strings("status.listening") != english
    assert strings.get("state.SOMETHING_NEW", "Something New") == "Something New"


def test_a_devanagari_font_is_registered_from_the_bundle(qapp: object, tmp_path: Path, monkeypatch: object) -> None:
    """The installer ships Noto Sans Devanagari in resources/fonts (build.spec); the theme registers it."""
    import shutil

    from PySide6.QtGui import QFontDatabase

    import ui.theme

    source = Path("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf")
    assert source.is_file(), "scripts/setup installs fonts-noto-core"
    shutil.copy(source, tmp_path / source.name)
    monkeypatch.setattr(ui.theme, "FONTS", tmp_path)  # type: ignore[attr-defined]
    assert "Noto Sans Devanagari" in ui.theme.load_fonts()
    assert "Noto Sans Devanagari" in QFontDatabase.families(QFontDatabase.WritingSystem.Devanagari)


def test_every_dialogue_edge_has_a_hindi_label() -> None:
    from core.dialogue.table import TRANSITIONS
    from ui.strings import edge_label

    hindi = Strings(Lang.HI)
    untranslated = sorted({e.label for e in TRANSITIONS if edge_label(hindi, e.label) == e.label})
    assert untranslated == []
    assert edge_label(hindi, "a read-back state added later") == "a read-back state added later"
