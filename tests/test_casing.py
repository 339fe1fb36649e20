"""ALL-CAPS headlines: detected by Unicode letter categories in scripts with case, and title-cased by
each language's rules; left as written when the rules do not fit."""

from __future__ import annotations

import pytest

from site_gen.casing import is_all_caps, titlecase_headline


@pytest.mark.parametrize("text", [
    "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
    "ΟΙΚΟΥΜΕΝΙΚΗ ΔΙΑΚΗΡΥΞΗ",
    "ЗАГАЛЬНА ДЕКЛАРАЦІЯ ПРАВ ЛЮДИНІ",
    "ᲐᲓᲐᲛᲘᲐᲜᲘᲡ ᲣᲤᲚᲔᲑᲐᲗᲐ",
])
def test_capitals_in_scripts_with_case_are_all_caps(text: str) -> None:
    assert is_all_caps(text)


@pytest.mark.parametrize("text", [
    "ადამიანის უფლებათა საყოველთაო დეკლარაცია",  # Georgian Mkhedruli: lower case letters
    "Всеобщая декларация прав человека",
    "ᏂᎦᏓ ᎠᏂᏴᏫ ᏂᎨᎫᏓᎸᎾ",  # Cherokee is written in its capital letters
    "联合国 UNESCO 大会的宣言全文",  # an acronym among letters without case
    "الإعلان العالمي",
    "USA",  # too few letters to tell
])
def test_other_texts_are_not(text: str) -> None:
    assert not is_all_caps(text)


@pytest.mark.parametrize("language,text,expected", [
    ("en", "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT", "Standard Oil <SRD> to Form Financial Unit"),
    ("en", "U.S. DOLLAR FALLS IN EARLY TOKYO TRADE", "U.S. Dollar Falls in Early Tokyo Trade"),
    ("en", "O'NEIL SAYS HE WON'T RUN", "O'Neil Says He Won't Run"),
    ("en-GB", "\"OIL\" PRICES RISE", "\"Oil\" Prices Rise"),
    ("ka", "ᲐᲓᲐᲛᲘᲐᲜᲘᲡ ᲣᲤᲚᲔᲑᲐᲗᲐ ᲓᲔᲙᲚᲐᲠᲐᲪᲘᲐ", "ადამიანის უფლებათა დეკლარაცია"),
    ("az", "İNSAN HÜQUQLARI HAQQINDA ÜMUMİ BƏYANNAMƏ", "İnsan Hüquqları Haqqında Ümumi Bəyannamə"),
    ("tr", "İNSAN HAKLARI EVRENSEL BEYANNAMESİ", "İnsan Hakları Evrensel Beyannamesi"),
    ("el", "ΟΙΚΟΥΜΕΝΙΚΉ ΔΙΑΚΉΡΥΞΗ ΤΩΝ ΔΙΚΑΙΩΜΆΤΩΝ", "Οικουμενική Διακήρυξη Των Δικαιωμάτων"),
])
def test_title_case_follows_the_language(language: str, text: str, expected: str) -> None:
    assert titlecase_headline(text, language) == expected


@pytest.mark.parametrize("language,text", [
    ("el", "ΟΙΚΟΥΜΕΝΙΚΗ ΔΙΑΚΗΡΥΞΗ"),  # no accents to keep: lower case would misspell it
    ("en", "İNSAN HAKLARI"),  # a letter English rules do not know
    ("en", "ЗАГАЛЬНА ДЕКЛАРАЦІЯ"),  # English rules on Cyrillic letters
    ("de", "DIE ALLGEMEINE ERKLÄRUNG"),  # no rules known for German nouns
    ("chr", "ᏂᎦᏓ ᎠᏂᏴᏫ ᏂᎨᎫᏓᎸᎾ"),
    ("en", "Already Mixed Case"),
])
def test_unsure_titles_are_left_as_written(language: str, text: str) -> None:
    assert titlecase_headline(text, language) == text
