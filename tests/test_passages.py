"""Stable passage ids (site_gen/passages.py): made from the passage's own words, disambiguated in a
fixed way, kept across edits by matching against the previous record, retired ids leading to the
nearest surviving passage."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from site_gen.passages import Passage, assign_ids, base_id, normalised, parse, resolve, serialize
from site_gen.text import normalise_typography

TEXTS = [
    "Speaking in Kabul yesterday, the defense secretary threatened Pakistan.",
    "Panetta singled out the so-called Haqqani network, a militia based in North Waziristan.",
    "He continued: it is difficult to achieve a secure Afghanistan as long as there is safe haven.",
    "Asked if the US might send ground troops, he said it was up to Pakistan.",
    "The Pentagon is preparing for an initial withdrawal of troops by September.",
]


def paragraphs(texts: list[str]) -> list[Passage]:
    return [Passage("paragraph", text) for text in texts]


def ids_of(record) -> list[str]:
    return [passage_id for passage_id, _ in record.passages]


def first_build(texts: list[str]):
    return assign_ids(paragraphs(texts), None, "art", "seeds/art.txt")


def test_an_id_is_made_from_the_passage_own_first_words() -> None:
    record = first_build(TEXTS)
    assert ids_of(record) == [base_id(p) for p in paragraphs(TEXTS)]
    assert all(i.startswith("p-") and len(i) == 8 for i in ids_of(record))
    # the same first words give the same id whatever follows them, and whatever the typography
    assert base_id(Passage("paragraph", "Speaking in Kabul yesterday, the defense secretary threatened Pakistan. More."
                           + " words" * 5)) == base_id(Passage("paragraph", "SPEAKING in Kabul — yesterday, the defense"
                                                                              " secretary threatened Pakistan."))
    assert base_id(Passage("heading", "The “Kill List”")) == "the-kill-list"
    assert base_id(Passage("heading", "Main")) == "main-1", "an id the templates use is never a heading's"


def test_repeated_passages_are_numbered_in_reading_order() -> None:
    record = first_build(["[Applause]", "Thank you.", "[Applause]", "[Applause]"])
    applause = base_id(Passage("paragraph", "[Applause]"))
    assert ids_of(record) == [applause, base_id(Passage("paragraph", "Thank you.")), f"{applause}-2", f"{applause}-3"]


def test_ids_survive_an_edit_of_another_paragraph() -> None:
    before = first_build(TEXTS)
    edited = [TEXTS[0], "A wholly new paragraph about something else entirely.", *TEXTS[2:]]
    after = assign_ids(paragraphs(edited), before, "art", "seeds/art.txt")
    assert ids_of(after)[0] == ids_of(before)[0]
    assert ids_of(after)[2:] == ids_of(before)[2:]
    assert ids_of(after)[1] != ids_of(before)[1]
    assert dict(after.retired) == {ids_of(before)[1]: ids_of(before)[0]}, "the old id leads to the passage before it"


def test_a_lightly_edited_paragraph_keeps_its_id_even_when_its_first_words_change() -> None:
    before = first_build(TEXTS)
    edited = list(TEXTS)
    edited[1] = "Mr Panetta singled out the so-called Haqqani network, a militia based in North Waziristan."
    assert base_id(Passage("paragraph", edited[1])) != ids_of(before)[1], "without the record the id would change"
    after = assign_ids(paragraphs(edited), before, "art", "seeds/art.txt")
    assert ids_of(after) == ids_of(before)
    assert after.retired == ()


def test_a_rewritten_paragraph_gets_a_new_id_and_the_old_one_is_retired() -> None:
    before = first_build(TEXTS)
    edited = list(TEXTS)
    edited[3] = "Nothing of the old sentence is left in this one at all, not a single phrase."
    after = assign_ids(paragraphs(edited), before, "art", "seeds/art.txt")
    assert ids_of(after)[3] != ids_of(before)[3]
    assert resolve(after, ids_of(before)[3]) == ids_of(before)[2]
    assert resolve(after, ids_of(before)[4]) == ids_of(before)[4]
    assert resolve(after, "p-nothere") == ""


def test_a_moved_paragraph_keeps_its_id() -> None:
    before = first_build(TEXTS)
    moved = [TEXTS[4], *TEXTS[:4]]
    after = assign_ids(paragraphs(moved), before, "art", "seeds/art.txt")
    assert ids_of(after) == [ids_of(before)[4], *ids_of(before)[:4]]


def test_inserting_a_repeated_passage_leaves_the_others_their_ids() -> None:
    before = first_build(["Opening words of the speech.", "[Applause]", "Middle of the speech here.", "[Applause]"])
    after = assign_ids(paragraphs(["Opening words of the speech.", "[Applause]", "[Applause]",
                                   "Middle of the speech here.", "[Applause]"]), before, "art", "seeds/art.txt")
    old, new = ids_of(before), ids_of(after)
    assert new[0] == old[0] and new[3] == old[2], "the passages around keep their ids"
    # which of two identical passages is the new one cannot be told: either way, every old id lives on
    assert sorted(new[1:3] + new[4:]) == sorted([old[1], old[3], f"{old[1]}-3"])
    assert after.retired == ()


def test_retired_ids_follow_their_target_when_it_is_retired_in_turn() -> None:
    first = first_build(TEXTS)
    second = assign_ids(paragraphs([TEXTS[0], TEXTS[1], TEXTS[3], TEXTS[4]]), first, "art", "s")
    third = assign_ids(paragraphs([TEXTS[0], TEXTS[3], TEXTS[4]]), second, "art", "s")
    old = ids_of(first)
    assert resolve(third, old[2]) == old[0] and resolve(third, old[1]) == old[0]
    everything_gone = assign_ids(paragraphs(["Completely different text now."]), third, "art", "s")
    assert resolve(everything_gone, old[2]) == "" and resolve(everything_gone, old[0]) == ""


def test_a_passage_that_comes_back_takes_its_old_id_back() -> None:
    first = first_build(TEXTS)
    second = assign_ids(paragraphs(TEXTS[:4]), first, "art", "s")
    assert ids_of(first)[4] in dict(second.retired)
    third = assign_ids(paragraphs(TEXTS), second, "art", "s")
    assert ids_of(third) == ids_of(first) and third.retired == ()


def test_kinds_never_take_each_other_ids() -> None:
    before = assign_ids([Passage("heading", "Article 1"), Passage("paragraph", "Article 1")], None, "a", "s")
    assert ids_of(before) == ["article-1", base_id(Passage("paragraph", "Article 1"))]


def test_earlier_slugs_are_remembered_oldest_first() -> None:
    first = assign_ids(paragraphs(TEXTS), None, "old-title", "seeds/a.txt")
    second = assign_ids(paragraphs(TEXTS), first, "new-title", "seeds/a.txt")
    third = assign_ids(paragraphs(TEXTS), second, "newest-title", "seeds/a.txt")
    assert third.slugs == ("old-title", "new-title")
    back = assign_ids(paragraphs(TEXTS), third, "old-title", "seeds/a.txt")
    assert back.slugs == ("new-title", "newest-title")


def test_the_record_file_round_trips_and_is_the_same_bytes_every_time() -> None:
    first = first_build(TEXTS)
    record = assign_ids(paragraphs(TEXTS[1:]), first, "art", "seeds/art.txt")
    text = serialize(record)
    assert text == serialize(parse(text))
    assert parse(text).values() == record.values()
    assert text.count("\n") == len(record.passages) + len(record.retired) + 10, "one passage a line"


passage_texts = st.lists(st.sampled_from([*TEXTS, "[Applause]", "Thank you.", "Short.", "Ünïcode — “quotes”."]),
                         max_size=12)


@given(passage_texts, passage_texts)
def test_assigning_again_from_its_own_record_changes_nothing(old: list[str], new: list[str]) -> None:
    """A build that reads the record the last build wrote, the text unchanged, writes the same record."""
    record = assign_ids(paragraphs(new), first_build(old), "art", "s")
    again = assign_ids(paragraphs(new), record, "art", "s")
    assert again.values() == record.values()
    assert len(set(ids_of(record))) == len(new), "ids are unique in the page"
    assert not set(dict(record.retired)) & set(ids_of(record)), "a live id is never retired"


@given(st.text(alphabet=st.sampled_from("‘’“”—–…\u00a0 .,'\"-_()\nÉéßİ") | st.characters(max_codepoint=0x3000), max_size=60))
def test_normalised_text_is_the_words_of_the_folded_text(text: str) -> None:
    """The definition: the word-character runs of the text, typography normalised and case folded,
    one space between them."""
    assert normalised(text) == " ".join(re.findall(r"\w+", normalise_typography(text).casefold()))
