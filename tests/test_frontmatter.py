"""Front matter: the generated-file stamp."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from site_gen.frontmatter import GENERATED_KEY, _without_generated_line, is_pristine, stamp

PIECES = st.sampled_from(["---\n", f"{GENERATED_KEY}: ", "abc123", "\n", "\r", "x", f"x{GENERATED_KEY}: y", " "])


@given(st.lists(PIECES, max_size=12).map("".join))
def test_the_generated_line_removed_is_the_one_the_regex_finds(text: str) -> None:
    assert _without_generated_line(text) == re.sub(rf"^{GENERATED_KEY}: .*\n", "", text, count=1, flags=re.MULTILINE)


def test_a_stamped_file_is_pristine_until_edited() -> None:
    text = stamp("---\ntitle: \"Oil\"\n---\nBody.\n")
    assert text.startswith(f"---\n{GENERATED_KEY}: ")
    assert is_pristine(text)
    assert not is_pristine(text.replace("Body.", "Body, edited."))
