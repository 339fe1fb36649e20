"""Citing in a real browser: retired passage ids and old slugs lead to the right place, the pilcrow
copies a passage's URL, and selecting text offers "Copy link to this passage" and "Copy citation"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import REPO, write_tree
from .conftest import OUTPUT, SLUG, build_site, screenshot

pytestmark = pytest.mark.browser
ARTICLE = f"articles/{SLUG}/"
NEW_SLUG = "panetta-threatens-pakistan"


def _ids(site: Path, slug: str) -> list[str]:
    html = (site / "public" / "articles" / slug / "index.html").read_text(encoding="utf-8")
    return [part.split('"', 1)[0] for part in html.split(' id="')[1:] if '" data-passage' in part.split(">", 1)[0]]


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], list[str]]:
    """The example edition built, then revised: its third paragraph deleted and its title changed.
    Returns the served URL and the passage ids before and after."""
    site = tmp_path_factory.mktemp("citing") / "example"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copytree(REPO / "content", site / "content")
    build_site(site)
    before = _ids(site, SLUG)
    seed = next((site / "seeds").glob("*.txt"))
    text = seed.read_text(encoding="utf-8")
    third = next(p for p in text.split("\n\n") if p.startswith("He continued"))
    seed.write_text(text.replace(third + "\n\n", ""), encoding="utf-8")
    seed.with_suffix(".yml").write_text("title: Panetta threatens Pakistan\n", encoding="utf-8")
    url = build_site(site)
    return url, before, _ids(site, NEW_SLUG)


def test_a_retired_id_leads_to_the_nearest_surviving_passage(page, revised) -> None:
    url, before, after = revised
    gone = before[2]
    assert gone not in after and before[1] in after
    page.goto(f"{url}articles/{NEW_SLUG}/#{gone}")
    page.wait_for_function(f"location.hash === '#{before[1]}'")
    target = page.locator(f"#{before[1]}")
    assert "is-target" in (target.get_attribute("class") or "")
    top = target.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 100, "the page is scrolled to the passage"
    assert page.errors == []


def test_an_old_slug_redirects_keeping_the_passage(page, revised) -> None:
    url, before, _ = revised
    page.goto(f"{url}{ARTICLE}#{before[5]}")
    page.wait_for_url(f"**/articles/{NEW_SLUG}/#{before[5]}")
    assert page.locator("h1").inner_text() == "Panetta threatens Pakistan"
    assert 0 <= page.locator(f"#{before[5]}").evaluate("el => el.getBoundingClientRect().top") < 100
    page.goto(f"{url}{ARTICLE}#{before[2]}")
    page.wait_for_function(f"location.hash === '#{before[1]}'"), "an old slug and a retired id together"


def test_without_javascript_an_old_slug_still_redirects_and_a_retired_id_lands_at_the_top(browser, revised) -> None:
    url, before, _ = revised
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.goto(f"{url}{ARTICLE}")
    tab.wait_for_url(f"**/articles/{NEW_SLUG}/")
    tab.goto(f"{url}articles/{NEW_SLUG}/#{before[2]}")
    assert tab.evaluate("window.scrollY") == 0
    context.close()


@pytest.fixture
def article(browser, example_url: str):
    """The example article in a tab allowed to read the clipboard."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(example_url + ARTICLE)
    yield tab
    context.close()


def test_the_pilcrow_shows_on_hover_and_focus_and_copies_the_passage_url(article, example_url: str) -> None:
    tab = article
    passage = tab.locator("p[data-passage]").nth(1)
    pilcrow = passage.locator(":scope > .passage-link")
    assert pilcrow.evaluate("el => getComputedStyle(el).opacity") == "0"
    passage.hover()
    assert pilcrow.evaluate("el => getComputedStyle(el).opacity") == "1"
    tab.mouse.move(0, 0)
    pilcrow.focus()
    assert pilcrow.evaluate("el => getComputedStyle(el).opacity") == "1"
    pilcrow.click()
    passage_id = passage.get_attribute("id")
    assert tab.evaluate("navigator.clipboard.readText()") == f"{example_url}{ARTICLE}#{passage_id}"
    assert tab.locator(".copy-status").inner_text() == "Link to this passage copied"


def test_selecting_text_offers_a_link_to_the_passage_and_a_citation(article, example_url: str) -> None:
    tab = article
    passage = tab.locator("p[data-passage]").nth(2)
    passage_id = passage.get_attribute("id")
    selected = passage.evaluate("""el => {
        const text = el.firstChild; const range = document.createRange();
        range.setStart(text, 15); range.setEnd(text, 62);
        getSelection().removeAllRanges(); getSelection().addRange(range); return getSelection().toString(); }""")
    toolbar = tab.locator(".cite-popover")
    toolbar.wait_for()
    assert toolbar.get_attribute("aria-label") == "Cite this passage"
    OUTPUT.mkdir(parents=True, exist_ok=True)  # docs/screenshots/cite-popover.png is a copy of this one
    tab.screenshot(path=str(OUTPUT / "cite-popover.png"), clip={"x": 150, "y": 300, "width": 1000, "height": 330})
    toolbar.get_by_role("button", name="Copy link to this passage").click()
    link = tab.evaluate("navigator.clipboard.readText()")
    assert selected == "It is difficult to achieve a secure Afghanistan"
    assert link == f"{example_url}{ARTICLE}#{passage_id}:~:text=It%20is%20difficult%20to%20achieve%20a%20secure%20Afghanistan"
    toolbar.wait_for(state="detached")
    tab.evaluate("getSelection().selectAllChildren(document.querySelector('p[data-passage]'))")
    tab.locator(".cite-popover").wait_for()
    tab.get_by_role("button", name="Copy citation").click()
    citation = tab.evaluate("navigator.clipboard.readText()")
    assert citation.startswith("\u201cSpeaking in Kabul yesterday")
    assert citation.endswith(f"Lantier, Alex. \u201cUS Defense Secretary Panetta Threatens Ground Intervention into "
                             f"Pakistan.\u201d Drone War Reader, June 8, 2012. {example_url}{ARTICLE}#"
                             + tab.locator("p[data-passage]").first.get_attribute("id"))
    tab.goto(link)
    assert 0 <= tab.locator(f"#{passage_id}").evaluate("el => el.getBoundingClientRect().top") < 900


PRINTED_MARKS = """() => [...document.querySelectorAll('[data-passage]')].map(passage => {
    const link = [...passage.querySelectorAll('.passage-link')].find(a => a.getAttribute('href') === '#' + passage.id);
    const lines = passage.getClientRects(), box = link && link.getBoundingClientRect();
    const text = parseFloat(getComputedStyle(passage).fontSize);
    return {tag: passage.tagName, id: passage.id, shown: !!link && link.getClientRects().length > 0,
            mark: link && getComputedStyle(link, '::after').content,
            small: !!link && parseFloat(getComputedStyle(link).fontSize) <= 0.7 * text,
            grey: !!link && getComputedStyle(link).color !== getComputedStyle(passage).color,
            last: !!box && box.bottom <= lines[lines.length - 1].bottom + 1
                  && box.bottom > lines[lines.length - 1].bottom - 2 * text};
})"""
STRUCTURED = """---
title: Printed passages
author: Ann Author
date: 2020-05-01
---
The first paragraph, with words enough to make a line.

## A heading of its own

- A list item that is a passage.
- Another item, longer, so that it has words of its own.

> A block quote, said by someone, quoted here.
"""


@pytest.fixture(scope="module")
def structured_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small site whose article has a heading, a list and a block quote."""
    site = tmp_path_factory.mktemp("print") / "site"
    write_tree(site, {"site.toml": '[site]\ntitle = "Print"\n', "content/articles/printed-passages.md": STRUCTURED})
    return build_site(site)


def test_print_ends_each_passage_with_its_id_small_beside_the_text(page, example_url: str, structured_url: str) -> None:
    """On paper, the article's address is printed under the byline and each passage (not the
    headings, which mark themselves) ends with its id, so a printed page can be cited by passage."""
    page.goto(example_url + ARTICLE)
    page.emulate_media(media="print")
    paragraphs = page.evaluate(PRINTED_MARKS)
    assert len(paragraphs) >= 15 and {mark["tag"] for mark in paragraphs} == {"P"}
    for mark in paragraphs:
        assert mark["shown"] and mark["mark"] == f'"\u00a0#{mark["id"]}"', mark
        assert mark["small"] and mark["grey"] and mark["last"], mark
    assert page.locator(".print-url").inner_text() == example_url + ARTICLE
    page.set_viewport_size({"width": 794, "height": 1123})
    screenshot(page, "print-passages.png")
    page.emulate_media(media="screen")
    assert page.locator("p[data-passage] > .passage-link").first.evaluate("a => getComputedStyle(a).opacity") == "0"

    page.goto(structured_url + "articles/printed-passages/")
    page.emulate_media(media="print")
    marks = {mark["tag"]: mark for mark in page.evaluate(PRINTED_MARKS)}
    assert set(marks) == {"P", "H2", "LI", "BLOCKQUOTE"}
    assert not marks["H2"]["shown"], "a heading prints no id"
    for tag in ("P", "LI", "BLOCKQUOTE"):
        assert marks[tag]["shown"] and marks[tag]["mark"] == f'"\u00a0#{marks[tag]["id"]}"', marks[tag]
        assert marks[tag]["small"] and marks[tag]["last"], marks[tag]


def test_in_live_preview_the_cite_toolbar_and_the_workbench_toolbar_both_show_apart(page, preview) -> None:
    page.goto(f"http://127.0.0.1:{preview.server.server_address[1]}/{ARTICLE}")
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    passage = page.locator("p[data-passage]", has_text="Islamabad has so far refused")
    select = """el => { const text = el.firstChild, range = document.createRange();
        range.setStart(text, 0); range.setEnd(text, 28);
        getSelection().removeAllRanges(); getSelection().addRange(range); return range.getBoundingClientRect().bottom; }"""
    for gap in (None, 20):  # the workbench's toolbar goes above a selection near the window's bottom
        passage.evaluate("el => el.scrollIntoView({block: 'center'})")
        if gap is not None:
            bottom = passage.evaluate(select)
            page.evaluate("getSelection().removeAllRanges()")
            page.locator(".cite-popover").wait_for(state="detached")
            page.evaluate(f"window.scrollBy(0, {bottom} - (innerHeight - {gap}))")
        passage.evaluate(select)
        mine = page.locator(".cite-popover")
        theirs = page.locator("#site-gen-toolbar [role=toolbar]")
        mine.wait_for()
        theirs.wait_for()
        a, b = mine.bounding_box(), theirs.bounding_box()
        assert a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"], (gap, a, b)
        page.evaluate("getSelection().removeAllRanges()")
        mine.wait_for(state="detached")
