"""The bundled example, annotated end to end: edit the seed and watch notes re-anchor or orphan;
glossary pages carry a concordance whose links land on the exact spot."""

from __future__ import annotations

import re
from pathlib import Path

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build

SEED = "seeds/000_1b2b8db6055a75fe.txt"
SLUG = "us-defense-secretary-panetta-threatens-ground-intervention-into-pakistan"


def edit_seed(site: Path, old: str, new: str) -> None:
    path = site / SEED
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def codes(result) -> list[tuple[str, str, int]]:
    return [(d.code, d.location.path, d.location.line) for d in result.diagnostics.items
            if d.code in ("fuzzy-note", "orphan-note", "ambiguous-note")]


def test_example_annotates_cleanly(example_site: Path) -> None:
    result = build(load_config(example_site), BuildOptions(write=False))
    assert codes(result) == []
    [annotated] = result.annotated
    assert len(annotated.anchored_notes) == 10
    assert len({hit.slug for hit in annotated.term_hits if hit.linked}) >= 15


def test_small_edit_re_anchors_with_a_warning(example_site: Path) -> None:
    edit_seed(example_site, "a May 29 New York Times article", "a May 29 New York Times report")
    result = build(load_config(example_site), BuildOptions(write=False))
    notes_file = f"content/notes/{SLUG}.yml"
    [(code, path, line)] = codes(result)
    assert (code, path) == ("fuzzy-note", notes_file)
    text = (example_site / notes_file).read_text().splitlines()
    assert "a May 29 New York Times article" in text[line - 1]
    warning = next(d for d in result.diagnostics.items if d.code == "fuzzy-note")
    assert "matched" in warning.hint and "New York Times" in warning.hint
    assert "[^6]" in result.annotated[0].markdown


def test_rewritten_passage_orphans_the_note_and_strict_fails(example_site: Path) -> None:
    edit_seed(example_site, "Speaking in Kabul yesterday, ", "On Thursday, in the Afghan capital, ")
    config = load_config(example_site)
    result = build(config, BuildOptions(write=False))
    [(code, _path, line)] = codes(result)
    assert code == "orphan-note" and line == 4
    orphan = next(d for d in result.diagnostics.items if d.code == "orphan-note")
    assert orphan.format().startswith(f"content/notes/{SLUG}.yml:4: warning: orphaned note: quote 'Speaking in Kabul yesterday'")
    assert "closest passage" in orphan.hint
    assert result.ok and len(result.annotated[0].anchored_notes) == 9
    assert not build(config, BuildOptions(write=False, strict=True)).ok


def test_concordance_links_land_on_the_occurrence(example_site: Path) -> None:
    build(load_config(example_site))
    public = example_site / "public"
    term_page = (public / "glossary/haqqani-network/index.html").read_text()
    links = re.findall(r'href="\.\./\.\./articles/' + SLUG + r'/#(t-haqqani-network-\d+)"', term_page)
    assert links[:3] == ["t-haqqani-network-1", "t-haqqani-network-2", "t-haqqani-network-3"]
    assert re.search(r"and \d+ more in this article", term_page)
    article = (public / f"articles/{SLUG}/index.html").read_text()
    for anchor in links:
        assert f'id="{anchor}"' in article


def test_own_term_is_not_linked_in_its_entry_but_others_are(example_site: Path) -> None:
    build(load_config(example_site))
    page = (example_site / "public/glossary/haqqani-network/index.html").read_text()
    body = page.split('class="article-body definition">', 1)[1].split("</div>", 1)[0]
    assert "glossary/haqqani-network/" not in body
    assert 'href="../jalaluddin-haqqani/"' in body and 'href="../north-waziristan/"' in body
