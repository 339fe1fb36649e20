"""The Markdown configuration: what it changes of markdown-it's own rules."""

from __future__ import annotations

import pytest
from markdown_it.rules_core.normalize import normalize

from site_gen.markdown import create_markdown


@pytest.mark.parametrize("source", ["one\r\ntwo\rthree\n\nfour\r\n", "nul \0 here\r\n\r\n* item\0\n", "plain\n\ntext\n", ""])
def test_line_endings_and_nul_are_normalised_as_markdown_it_does(source: str) -> None:
    ours = create_markdown()
    stock = create_markdown()
    stock.core.ruler.at("normalize", normalize)
    assert ours.render(source) == stock.render(source)
    assert "\r" not in ours.render(source) and "\0" not in ours.render(source)
