"""References made from a shape's template are the ones citeproc-py makes for the article alone:
for any title, authors, date, site and URL (HTML's special characters, quotation marks and the
punctuation moved inside them, stop words and capitals for title case, initials, particles and
suffixes, non-Latin names), and without citeproc-py once the shape is known."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen import reference_shapes
from site_gen.citation import Formatter, Work
from site_gen.model import DocumentMeta

SHAPED = Formatter()
DIRECT = Formatter(by_shape=False)

letters = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüßıİДжЖ中文عربي")
punctuation = st.sampled_from(list(".,;:!?&<>\"'\u201c\u201d\u2018\u2019()-\u2013/#%\u2026"))
plain_word = st.text(letters, min_size=1, max_size=7)
word = st.one_of(
    plain_word,
    plain_word.map(str.upper),
    st.sampled_from(["of", "the", "and", "a", "into", "on", "US", "iPhone", "x.y", "J.", "n.d."]),
    st.tuples(st.one_of(st.just(""), punctuation), plain_word, st.one_of(st.just(""), punctuation)).map("".join),
)
title = st.one_of(st.lists(word, min_size=1, max_size=8).map(" ".join), st.text(max_size=20))
name_word = st.one_of(plain_word.map(str.capitalize), plain_word, st.sampled_from(
    ["Jean-Paul", "J.", "J. R.", "O'Brien", "Иван", "李", "محمد", "Smith-Jones", "d'Alembert"]))
person = st.one_of(
    st.tuples(name_word, name_word).map(" ".join),
    st.tuples(name_word, name_word, name_word).map(" ".join),
    st.tuples(name_word, st.sampled_from(["van", "de", "al"]), name_word).map(" ".join),
    st.tuples(name_word, name_word).map(", ".join),
    st.tuples(name_word, name_word, st.sampled_from(["Jr.", "III"])).map(" ".join),
    name_word,
)
byline = st.one_of(st.just(""), st.lists(person, min_size=1, max_size=3).flatmap(
    lambda names: st.sampled_from([" and ", "; ", " & "]).map(lambda joint: joint.join(names))), st.text(max_size=15))
date = st.one_of(
    st.just(""),
    st.integers(1, 9999).map(lambda year: f"{year:04d}"),
    st.tuples(st.integers(1, 9999), st.integers(1, 12)).map(lambda d: f"{d[0]:04d}-{d[1]:02d}"),
    st.tuples(st.integers(900, 2100), st.integers(1, 12), st.integers(1, 31)).map(
        lambda d: f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}"),
)
url = st.one_of(st.just(""), plain_word.map(lambda w: f"https://example.org/reader/articles/{w}/"),
                st.text(letters, min_size=1, max_size=5).map(lambda w: f"https://example.org/{w}."))
work = st.builds(
    lambda title, author, date, tags, url, site, language, description: Work(
        DocumentMeta(title, "slug", author, date, tags=tags), url, site, language, description),
    title, byline, date, st.lists(plain_word, max_size=2).map(tuple), url,
    st.one_of(title, st.just("Drone War Reader")), st.sampled_from(["en", "en-GB", "de", "ar", "ka", "tr", "zh-Hant"]),
    st.one_of(st.just(""), title),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work)
def test_references_by_shape_are_citeprocs_own(work: Work) -> None:
    assert SHAPED.references(work) == DIRECT.references(work)


def test_an_article_of_a_known_shape_is_formatted_without_citeproc(monkeypatch: pytest.MonkeyPatch) -> None:
    formatter = Formatter()
    first = Work(DocumentMeta("Panetta threatens Pakistan", "a", "Alex Lantier", "2012-06-08"),
                 "https://example.org/a/", "Drone War Reader", "en")
    formatter.references(first)
    assert all(None not in style.templates.values() for style in formatter.styles.values())

    def refuse(*_: object) -> str:
        raise AssertionError("citeproc-py called for a known shape")

    monkeypatch.setattr(reference_shapes, "formatted", refuse)
    second = Work(DocumentMeta("The war & the <peace> of Jean-Paul", "b", "Élodie van der Berg", "1987-06-21"),
                  "https://example.org/b/", "Drone War Reader", "en")
    chicago, apa = formatter.references(second)
    assert chicago.html == ("van der Berg, Élodie. \u201cThe War &amp; the &lt;peace&gt; of Jean-Paul.\u201d "
                            "<i>Drone War Reader</i>, June 21, 1987. https://example.org/b/.")
    assert apa.text == ("van der Berg, É. (1987, June 21). The war & the <peace> of Jean-Paul. Drone War Reader. "
                        "https://example.org/b/")


def test_a_value_that_fits_no_template_is_formatted_by_citeproc() -> None:
    formatter = Formatter()
    odd = Work(DocumentMeta("...and justice for all", "a", "Ann Author", "0851-03-02"), "", "Site", "en")
    assert formatter.references(odd) == DIRECT.references(odd)
    assert all(not style.templates for style in formatter.styles.values())


def test_a_stand_in_shows_each_text_case_differently() -> None:
    stand_in = reference_shapes._word(0, 0, name=False)
    made = {reference_shapes.Rendering(case, stripped).render(stand_in, "en")
            for stripped in (False, True) for case in reference_shapes.CASES}
    assert len(made) == 2 * len(reference_shapes.CASES)
