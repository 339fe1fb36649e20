"""Decoding seeds: encodings, bad files, sidecars."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_gen.diagnostics import InputError
from site_gen.seeds import _iso_date, decode, find_seeds, read_seed


def test_utf8_with_bom_and_crlf() -> None:
    decoded = decode("\ufeffTitle\r\n\r\nBody\r\n".encode(), "seeds/a.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == ("Title\n\nBody\n", "utf-8-sig", [])


def test_cp1252_fallback_warns_with_the_line() -> None:
    decoded = decode("Title\n\nCaf\u00e9 \u2014 na\u00efve\n".encode("cp1252"), "seeds/a.txt")
    assert decoded.text == "Title\n\nCaf\u00e9 \u2014 na\u00efve\n" and decoded.encoding == "cp1252"
    assert decoded.warnings[0].format().startswith("seeds/a.txt:3: warning: seed is not UTF-8")


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "seeds/a.txt: error: seed is empty"),
        (b"  \n\n \t\n", "seeds/a.txt: error: seed is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "seeds/a.txt: error: seed is a binary file, not text (a NUL byte at offset 8)"),
        (b"Title\n\nbad \x81 byte\n", "seeds/a.txt:3: error: cannot decode byte 0x81 at offset 11 (not UTF-8, not cp1252)"),
    ],
)
def test_unusable_seed_is_an_error_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, "seeds/a.txt")
    assert caught.value.diagnostics[0].format().splitlines()[0] == message


def test_sidecar_sets_metadata(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nBody.\n", "seeds/a.yml": "title: Better\ndate: 2012-06-08\ntags: [x, y]\n"})
    seed = read_seed(site, site / "seeds/a.txt", (site / "seeds/a.yml",))
    assert (seed.overrides.title, seed.overrides.date, seed.overrides.tags) == ("Better", "2012-06-08", ("x", "y"))


def test_a_sidecar_that_is_a_broken_link_is_no_sidecar(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nBody.\n"})
    (site / "seeds/a.yml").symlink_to(site / "gone.yml")
    [(path, sidecars)] = find_seeds(site)
    assert sidecars == (site / "seeds/a.yml",)
    assert read_seed(site, path, sidecars).overrides == read_seed(site, path).overrides


def test_sidecar_errors_name_file_and_line(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nBody.\n", "seeds/a.yml": "title: ok\nauthr: typo\ndate: June\n"})
    with pytest.raises(InputError) as caught:
        read_seed(site, site / "seeds/a.txt", (site / "seeds/a.yml",))
    messages = [d.format().splitlines()[0] for d in caught.value.diagnostics]
    assert messages == ["seeds/a.yml:2: error: unknown key 'authr'",
                        "seeds/a.yml:3: error: 'date' must be a date like 2012-06-08, got 'June'"]


def test_sidecar_yaml_syntax_error_names_the_line(tree) -> None:
    site = tree({"seeds/a.txt": "T\n\nBody.\n", "seeds/a.yml": "title: ok\ntags: [a, b\n"})
    with pytest.raises(InputError) as caught:
        read_seed(site, site / "seeds/a.txt", (site / "seeds/a.yml",))
    assert caught.value.diagnostics[0].format().startswith("seeds/a.yml:3:")


def test_markdown_seed_with_front_matter(tree) -> None:
    site = tree({"seeds/b.md": "---\ntitle: From front matter\nauthor: Ann\n---\nSome *Markdown*.\n"})
    seed = read_seed(site, site / "seeds/b.md")
    assert seed.markdown and seed.body_line == 5 and seed.overrides.title == "From front matter"


def test_find_seeds_skips_sidecars_and_hidden_files(tree) -> None:
    site = tree({"seeds/a.txt": "x", "seeds/a.yml": "x", "seeds/.b.txt.swp": "x", "seeds/.hidden.txt": "x",
                 "seeds/sub/c.md": "x"})
    assert [p.relative_to(site).as_posix() for p, _ in find_seeds(site)] == ["seeds/a.txt", "seeds/sub/c.md"]
    assert [[s.relative_to(site).as_posix() for s in sidecars] for _, sidecars in find_seeds(site)] == [["seeds/a.yml"], []]


def strptime_date(text: str) -> str | None:
    """What a date in front matter or a sidecar means: the first of these forms it parses as."""
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).strftime(fmt)
        except ValueError:
            continue
    return None


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    year, month, day = draw(st.integers(0, 9999)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    text = draw(st.sampled_from([f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}"]))
    if draw(st.booleans()):
        text = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))  # other digits: Python reads them as digits too
    return text


@given(st.one_of(date_texts(), st.text(alphabet="0123456789- ", max_size=11)))
def test_dates_read_without_strptime_mean_what_strptime_reads(text: str) -> None:
    assert _iso_date(text) == strptime_date(text)
