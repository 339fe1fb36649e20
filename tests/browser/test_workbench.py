"""The annotation workbench in Chromium: select a passage and add a note or a glossary term, edit
and delete them from the page, re-anchor an orphaned note, meet a file changed on disk, and see
requests from elsewhere or without the session's token refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.serve.session import PreviewSession

from .conftest import OUTPUT, SLUG

pytestmark = pytest.mark.browser
NOTES = f"content/notes/{SLUG}.yml"
SELECT = """([text, within]) => {
  const walker = document.createTreeWalker(document.querySelector(within), NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    if (node.parentElement.closest('.sidenote')) continue;
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    node.parentElement.scrollIntoView({block: 'center'});
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }
  return false;
}"""
AXE_RUN = ("axe.run(document).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
           ".map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))")


def open_article(page, preview: PreviewSession) -> str:
    url = f"http://127.0.0.1:{preview.server.server_address[1]}/articles/{SLUG}/"
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    return url


def select(page, text: str, within: str = ".article-body") -> None:
    assert page.evaluate(SELECT, [text, within]), text


def toolbar(page):
    return page.locator("#site-gen-toolbar [role=toolbar]")


def test_select_a_passage_and_add_a_note_and_a_glossary_term(page, preview, example_site: Path, axe_source: str) -> None:
    open_article(page, preview)
    select(page, "mounts raids on US forces")
    toolbar(page).get_by_role("button", name="Note").wait_for()
    assert toolbar(page).get_by_role("button").all_inner_texts() == ["Note", "Glossary term"]
    assert page.locator("#site-gen-workbench p.visually-hidden[role=status]").text_content() == (
        "Annotate the selection: press Alt+Shift+A."), "told to screen readers"
    bar = page.locator("#site-gen-toolbar [role=toolbar]").bounding_box()
    screenshot_of(page, "workbench-toolbar.png", bar, above=110, side=260)
    page.keyboard.press("Alt+Shift+A")
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.textContent") == "Note", "reached by keyboard"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Add a note")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.name") == "note"
    page.keyboard.type("The Haqqani network's raids are the reason *given*.")
    dialog.get_by_label("Sources (one per line)").fill("https://example.org/raids\nReuters, 7 June 2012")
    screenshot_of(page, "workbench-note-form.png", dialog.bounding_box())
    for scheme in ("light", "dark"):
        if scheme == "dark":
            page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
            page.wait_for_function("document.getElementById('site-gen-workbench').dataset.scheme === 'dark'")
        page.add_script_tag(content=axe_source)
        assert page.evaluate(AXE_RUN) == [], f"{scheme} scheme"
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Save").click()
    sidenote = page.locator(".sidenote", has_text="raids are the reason")
    assert "The Haqqani network’s raids are the reason given." in sidenote.inner_text()
    assert "mounts raids on US forces" in page.locator("p", has=sidenote).inner_text().split("The Haqqani")[0]
    assert "- quote: mounts raids on US forces\n  note: The Haqqani network's raids are the reason *given*.\n" in (
        example_site / NOTES).read_text()
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    select(page, "Afghan puppet regime")
    toolbar(page).get_by_role("button", name="Glossary term").click()
    dialog = page.get_by_role("dialog", name="Add a glossary term")
    assert dialog.get_by_label("Term").input_value() == "Afghan puppet regime"
    dialog.get_by_label("Term").fill("puppet regime")
    dialog.get_by_label("Definition (Markdown; the first paragraph is the short one)").fill("A government installed "
                                                                                            "and kept by a foreign power.")
    dialog.get_by_label("Category (person, place, organisation...)").fill("concept")
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Save").click()
    assert page.locator("a.term[data-term=puppet-regime]").inner_text() == "puppet regime"
    assert (example_site / "content/glossary/puppet-regime.md").read_text() == (
        "---\nterm: puppet regime\ncategory: concept\n---\nA government installed and kept by a foreign power.\n")
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    select(page, "Marine")
    toolbar(page).get_by_role("button", name="Glossary term").click()
    dialog = page.get_by_role("dialog", name="Add a glossary term")
    dialog.get_by_label("an alias of an entry").check()
    dialog.get_by_label("The entry it is an alias of").select_option(label="John Allen")
    dialog.get_by_label("Term").fill("Marine General John Allen")
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Save").click()
    assert "aliases: [General John Allen, Marine General John Allen]" in (
        example_site / "content/glossary/john-allen.md").read_text()
    assert page.locator("a.term[data-term=john-allen]").inner_text() == "Marine General John Allen"
    assert page.errors == []


def screenshot_of(page, name: str, box: dict, above: int = 40, side: int = 40) -> None:
    """A screenshot of the region around ``box`` (copied to docs/screenshots/ for the README)."""
    clip = {"x": max(0, box["x"] - side), "y": max(0, box["y"] - above), "width": box["width"] + 2 * side,
            "height": box["height"] + above + 40}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / name), clip=clip)


def test_edit_and_delete_notes_and_terms_from_the_page(page, preview, example_site: Path) -> None:
    page.set_viewport_size({"width": 800, "height": 900})
    open_article(page, preview)
    page.locator(".footnote-ref a[data-note='3']").click()
    assert page.locator("#popover").get_by_role("button").all_inner_texts()[-2:] == ["Edit", "Delete"]
    page.locator("#popover").get_by_role("button", name="Edit note 3").click()
    assert page.get_by_role("dialog", name="Edit note 3").is_visible(), "narrow screens: from the note's popover"
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.locator("#sn1").get_by_role("button", name="Edit note 1").click()
    dialog = page.get_by_role("dialog", name="Edit note 1")
    assert dialog.get_by_label("Note (Markdown)").input_value().startswith("Panetta arrived in Kabul unannounced")
    dialog.get_by_label("Note (Markdown)").fill("He arrived unannounced.")
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Save").click()
    assert page.locator("#sn1").inner_text().startswith("1 He arrived unannounced.")
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    quote = page.locator("#sn2").inner_text()
    page.locator("#sn2").get_by_role("button", name="Delete note 2").click()
    dialog = page.get_by_role("dialog", name="Delete note 2?")
    assert "It is removed from " + NOTES in dialog.inner_text()
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Delete").click()
    assert page.locator("#sn2").inner_text() != quote
    assert "We are reaching the limits of our patience here." not in (example_site / NOTES).read_text()
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    page.locator("a.term[data-term=north-waziristan]").click()
    popover = page.locator("#popover")
    popover.get_by_role("button", name="Edit the glossary entry North Waziristan").click()
    dialog = page.get_by_role("dialog", name="Edit the glossary entry “North Waziristan”")
    dialog.get_by_label("Aliases (separated by commas)").fill("N. Waziristan")
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Save").click()
    assert "aliases: [N. Waziristan]" in (example_site / "content/glossary/north-waziristan.md").read_text()
    page.wait_for_function("document.documentElement.dataset.siteGenWorkbench === 'ready'")
    page.locator("a.term[data-term=pivot-to-asia]").click()
    page.locator("#popover").get_by_role("button", name="Delete the glossary entry Pivot to Asia").click()
    with page.expect_navigation(timeout=10_000):
        page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    assert page.locator("a.term[data-term=pivot-to-asia]").count() == 0
    assert not (example_site / "content/glossary/pivot-to-asia.md").exists()


def test_re_anchor_an_orphaned_note(page, preview, example_site: Path) -> None:
    notes = example_site / NOTES
    notes.write_text(notes.read_text().replace("- quote: Speaking in Kabul yesterday",
                                               "- quote: Talking in Herat last spring about budgets"))
    open_article(page, preview)
    page.locator("#site-gen-badge").click()
    overlay = page.locator("#site-gen-overlay")
    assert "orphaned note: quote 'Talking in Herat last spring about budgets'" in overlay.inner_text()
    overlay.get_by_role("button", name="Re-anchor this note").click()
    banner = page.get_by_role("region", name="Re-anchoring")
    assert "select its new passage" in banner.inner_text()
    select(page, "Speaking in Kabul yesterday")
    with page.expect_navigation(timeout=10_000):
        toolbar(page).get_by_role("button", name="Anchor the note here").click()
    assert page.locator("#sn1").inner_text().startswith("1 Panetta arrived in Kabul")
    assert "- quote: Speaking in Kabul yesterday\n" in notes.read_text()
    assert page.locator("#site-gen-badge").inner_text() == "1 warning", "the orphan warning is gone"


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(page, preview, example_site: Path) -> None:
    open_article(page, preview)
    select(page, "mounts raids on US forces")
    toolbar(page).get_by_role("button", name="Note").click()
    dialog = page.get_by_role("dialog", name="Add a note")
    dialog.get_by_label("Note (Markdown)").fill("Typed in the browser.")
    notes = example_site / NOTES
    edited = notes.read_text() + "# saved in a text editor meanwhile\n"
    epoch = preview.state.epoch
    notes.write_text(edited)
    while preview.state.epoch == epoch:
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    assert dialog.is_visible(), "the rebuild does not reload the page under an open form"
    dialog.get_by_role("button", name="Save").click()
    error = dialog.get_by_role("alert")
    error.wait_for()
    assert f"{NOTES} changed on disk since this page was loaded" in error.inner_text()
    assert dialog.get_by_label("Note (Markdown)").input_value() == "Typed in the browser.", "nothing typed is lost"
    assert notes.read_text() == edited
    with page.expect_navigation(timeout=10_000):
        dialog.get_by_role("button", name="Cancel").click()


def test_requests_from_elsewhere_or_without_the_token_are_refused(page, preview, example_site: Path,
                                                                  example_url: str) -> None:
    url = open_article(page, preview)
    origin = url.split("/articles/")[0]
    before = (example_site / NOTES).read_bytes()
    status = page.evaluate("""() => fetch('/__site-gen/api/note-delete', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({slug: 'x', line: 4, hash: ''})})
        .then(r => r.status)""")
    assert status == 403, "no token"
    token = page.evaluate("document.querySelector('script[data-token]').dataset.token")
    page.goto(example_url)
    outcome = page.evaluate("""([origin, token]) => fetch(origin + '/__site-gen/api/page', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Site-Gen-Token': token}, body: '{"path": "/"}'})
        .then(r => 'answered ' + r.status, e => 'blocked: ' + e.name)""", [origin, token])
    assert outcome == "blocked: TypeError", "the browser gets no answer across origins"
    page.evaluate("""([origin, slug]) => fetch(origin + '/__site-gen/api/note-delete', {method: 'POST', mode: 'no-cors',
        headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({slug: slug, line: 4, hash: ''})})""",
                  [origin, SLUG])
    assert (example_site / NOTES).read_bytes() == before
