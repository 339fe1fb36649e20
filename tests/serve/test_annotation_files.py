"""Editing notes files and glossary entries keeps everything else as the editor wrote it:
comments, order, blank lines, quoting, line ends, byte-order mark; writes are refused when the
file changed since the page loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.annotate.glossary import parse_entry
from site_gen.annotate.notes import parse_notes
from site_gen.serve import annotation_files as files
from site_gen.serve.annotation_files import Conflict, EntryFields, Unusable

NOTES = """\
# Notes for the article; keep them in reading order.

- quote: Speaking in Kabul yesterday   # the first sentence
  note: >
    Panetta arrived in Kabul
    unannounced.
  sources:
    - "Reuters, 7 June 2012"

# The next two are about Pakistan.
- quote: Pakistan
  prefix: "threatened "
  note: "A note with 'quotes' and: a colon."

- quote: limits of our patience
  note: |
    Two paragraphs.

    The second one.
"""
ENTRY = """\
---
term: Navi Pillay   # as the UN writes it
aliases: [Pillay]
category: person
sources:
  - https://en.wikipedia.org/wiki/Navi_Pillay
---
South African jurist.

Further paragraphs.
"""


def test_note_items_are_read_with_the_line_each_starts_on() -> None:
    items = files.note_items(NOTES, "n.yml")
    assert [(item.line, item.quote, item.prefix) for item in items] == [
        (3, "Speaking in Kabul yesterday", ""), (11, "Pakistan", "threatened "), (15, "limits of our patience", "")]
    assert items[0].note == "Panetta arrived in Kabul unannounced." and items[0].sources == ("Reuters, 7 June 2012",)


def test_a_note_is_appended_without_touching_a_byte_before_it() -> None:
    added = files.append_note(NOTES, "n.yml", {
        "quote": "a ground intervention", "prefix": "", "suffix": " if it",
        "note": "One line that is long enough to be folded in the file, as the notes that came with the site are folded.",
        "sources": ["https://example.org/a: b", "Reuters"]})
    assert added == NOTES + """
- quote: a ground intervention
  suffix: ' if it'
  note: >
    One line that is long enough to be folded in the file, as the notes that came with the
    site are folded.
  sources:
    - 'https://example.org/a: b'
    - Reuters
"""
    assert parse_notes(added, "n.yml")[3].suffix == " if it"


def test_a_note_is_added_to_an_empty_or_missing_file() -> None:
    assert files.append_note("", "n.yml", {"quote": "x", "note": "Short."}) == "- quote: x\n  note: Short.\n"
    assert files.append_note("# only a comment\n", "n.yml", {"quote": "x", "note": "A\n\nB"}) == (
        "# only a comment\n\n- quote: x\n  note: |\n    A\n\n    B\n")


def test_editing_a_note_changes_its_lines_only() -> None:
    edited = files.replace_note(NOTES, "n.yml", 11, {"note": "Rewritten.", "sources": ["A source"]})
    assert edited == NOTES.replace("  note: \"A note with 'quotes' and: a colon.\"\n",
                                   "  note: Rewritten.\n  sources:\n    - A source\n")


def test_editing_keeps_the_comments_inside_the_note() -> None:
    edited = files.replace_note(NOTES, "n.yml", 3, {"note": "Arrived unannounced."})
    assert edited == NOTES.replace("  note: >\n    Panetta arrived in Kabul\n    unannounced.\n",
                                   "  note: >\n    Arrived unannounced.\n")


def test_editing_the_last_value_keeps_its_comments_and_the_lines_after_the_note() -> None:
    text = ("- quote: a\n  note: b\n  sources:\n    - s    # three\n    # inner\n\n# next\n"
            "- quote: c\n  note: d   # eol\n\n\n# between\n- quote: e\n  note: f\n")
    assert files.replace_note(text, "n.yml", 1, {"note": "B", "prefix": "x "}) == text.replace(
        "- quote: a\n  note: b\n", "- quote: a\n  prefix: 'x '\n  note: B\n")
    assert files.replace_note(text, "n.yml", 8, {"sources": ["new"]}) == text.replace(
        "  note: d   # eol\n", "  note: d   # eol\n  sources:\n    - new\n")


def test_re_anchoring_sets_the_quote_and_drops_the_context_it_no_longer_needs() -> None:
    edited = files.replace_note(NOTES, "n.yml", 11, {"quote": "Pakistan with", "prefix": "", "suffix": ""})
    assert edited == NOTES.replace('- quote: Pakistan\n  prefix: "threatened "\n', "- quote: Pakistan with\n")


@pytest.mark.parametrize("line,removed", [
    (3, '- quote: Speaking in Kabul yesterday   # the first sentence\n  note: >\n    Panetta arrived in Kabul\n'
        '    unannounced.\n  sources:\n    - "Reuters, 7 June 2012"\n\n'),
    (11, '- quote: Pakistan\n  prefix: "threatened "\n  note: "A note with \'quotes\' and: a colon."\n\n'),
    (15, '\n- quote: limits of our patience\n  note: |\n    Two paragraphs.\n\n    The second one.\n'),
])
def test_deleting_a_note_keeps_the_comments_between_notes(line: int, removed: str) -> None:
    assert removed in NOTES
    assert files.remove_note(NOTES, "n.yml", line) == NOTES.replace(removed, "", 1)


def test_a_line_that_starts_no_note_is_refused() -> None:
    with pytest.raises(Unusable, match="no note starting on line 4"):
        files.replace_note(NOTES, "n.yml", 4, {"note": "x"})


@pytest.mark.parametrize("text", ["- quote: [unclosed\n", "quote: a mapping, not a list\n"])
def test_a_broken_file_is_left_to_the_text_editor(text: str) -> None:
    with pytest.raises(Unusable, match="fix it in a text editor first"):
        files.append_note(text, "content/notes/x.yml", {"quote": "x", "note": "y"})


def test_an_alias_is_added_to_the_entry_keeping_comments_and_order() -> None:
    assert files.add_alias(ENTRY, "g.md", "Navanethem Pillay") == ENTRY.replace(
        "aliases: [Pillay]", "aliases: [Pillay, Navanethem Pillay]")


def test_an_entry_is_edited_in_place() -> None:
    fields = EntryFields("Navi Pillay", "South African judge.\n\nFurther paragraphs.", ("Pillay",), "person",
                         ("https://en.wikipedia.org/wiki/Navi_Pillay", "UN press release"))
    edited = files.update_entry(ENTRY, "g.md", fields)
    assert edited == ENTRY.replace("South African jurist.", "South African judge.").replace(
        "Navi_Pillay\n---", "Navi_Pillay\n  - UN press release\n---")
    assert parse_entry(edited, "g.md").sources[1] == "UN press release"


def test_a_new_entry_reads_back_as_written() -> None:
    text = files.new_entry(EntryFields("Drone strike", "An attack by an unmanned aircraft.\n\nMore.", ("drone strikes",),
                                       "concept", ("https://example.org",)))
    assert text == ("---\nterm: Drone strike\naliases: [drone strikes]\ncategory: concept\nsources:\n"
                    "  - https://example.org\n---\nAn attack by an unmanned aircraft.\n\nMore.\n")
    entry = parse_entry(text, "content/glossary/drone-strike.md")
    assert (entry.term, entry.aliases, entry.body) == ("Drone strike", ("drone strikes",),
                                                       "An attack by an unmanned aircraft.\n\nMore.\n")


def test_writes_keep_line_ends_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "notes.yml"
    path.write_bytes(b"\xef\xbb\xbf- quote: a\r\n  note: b\r\n")
    text = files.read_unchanged(path, files.digest(path), "notes.yml")
    assert text == "- quote: a\n  note: b\n"
    files.write_file(path, files.append_note(text, "notes.yml", {"quote": "c", "note": "d"}))
    assert path.read_bytes() == b"\xef\xbb\xbf- quote: a\r\n  note: b\r\n\r\n- quote: c\r\n  note: d\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.yml"], "no temporary file is left"


def test_a_file_changed_since_the_page_loaded_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "notes.yml"
    path.write_text(NOTES)
    loaded = files.digest(path)
    path.write_text(NOTES + "# an edit in a text editor\n")
    with pytest.raises(Conflict, match=r"notes\.yml changed on disk since this page was loaded"):
        files.read_unchanged(path, loaded, "notes.yml")
    with pytest.raises(Conflict, match="was made since this page was loaded"):
        files.read_unchanged(path, "", "notes.yml")
    path.unlink()
    with pytest.raises(Conflict, match="was deleted since"):
        files.read_unchanged(path, loaded, "notes.yml")
