"""Property-based tests: arbitrary text never crashes the seed reader and parser, and whatever
comes out is safe (a slug that stays in its folder, blocks that cover the text)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen.annotate.annotator import AnnotateOptions, annotate
from site_gen.annotate.matcher import TermMatcher
from site_gen.config import SeedsSection
from site_gen.diagnostics import InputError
from site_gen.model import Seed
from site_gen.seed_parser import parse_seed
from site_gen.seeds import decode

MATCHER = TermMatcher([("Pakistan", "pakistan"), ("drone strike", "drone-strike"), ("US", "us")])
lines = st.lists(st.one_of(st.text(max_size=80), st.sampled_from(["", "   ", "Reuter", "By A. Name",
                                                                  "8 June 2012", "(See: Other)", "---"])),
                 max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_any_text_parses(parts: list[str]) -> None:
    text = "\n".join(parts)
    document = parse_seed(Seed("seeds/x.txt", text), SeedsSection())
    slug = document.meta.slug
    assert slug and "/" not in slug and ".." not in slug and slug.isascii() and len(slug) <= 80
    assert document.meta.title
    for block in document.blocks:
        assert block.text.strip()
    annotated = annotate(document, MATCHER, (), {}, AnnotateOptions())
    assert annotated.markdown.startswith("---\ngenerated: ")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_give_a_clear_error(data: bytes) -> None:
    try:
        decoded = decode(data, "seeds/x.txt")
    except InputError as exc:
        assert exc.diagnostics[0].location.path == "seeds/x.txt"
        return
    assert decoded.encoding in ("utf-8", "utf-8-sig", "cp1252") and "\r" not in decoded.text
