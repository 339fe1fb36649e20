"""The workbench's API over HTTP, as a browser (or an attacker) reaches it: what it writes, what it
refuses, and that a built site holds none of it."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build
from site_gen.serve.annotation_files import digest
from site_gen.serve.session import PreviewSession, Reports

from ..conftest import copy_example
from .conftest import SLUG, Events, get, port_of, wait_until

NOTES = f"content/notes/{SLUG}.yml"


@pytest.fixture
def workbench(example_site: Path):
    """A preview with the workbench on, for a test that changes the site."""
    preview = PreviewSession(example_site, "127.0.0.1", 0, reports=Reports(lambda line: None), edits=True)
    preview.start()
    yield preview
    preview.stop()


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory: pytest.TempPathFactory):
    """One preview with the workbench on, shared by the tests whose requests must change nothing
    (each checks that they did not); ``unchanged.site``: its site folder."""
    site = copy_example(tmp_path_factory.mktemp("workbench"))
    preview = PreviewSession(site, "127.0.0.1", 0, reports=Reports(lambda line: None), edits=True)
    preview.start()
    preview.site = site
    yield preview
    preview.stop()


def post(session: PreviewSession, action: str, payload: object, **headers: str) -> tuple[int, dict, http.client.HTTPResponse]:
    address, port = session.server.server_address[:2]
    sent = {"Content-Type": "application/json", "Origin": f"http://{address}:{port}",
            "X-Site-Gen-Token": session.server.token, "Host": f"{address}:{port}"}
    sent.update({name.replace("_", "-"): value for name, value in headers.items()})
    connection = http.client.HTTPConnection(address, port, timeout=10)
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    connection.putrequest("POST", f"/__site-gen/api/{action}", skip_host=True)
    for name, value in sent.items():
        if value is not None:
            connection.putheader(name, value)
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    answer = json.loads(response.read() or b"{}")
    connection.close()
    return response.status, answer, response


def selection(exact: str, prefix: str = "", suffix: str = "") -> dict:
    return {"exact": exact, "prefix": prefix, "suffix": suffix}


def test_the_page_tells_its_notes_and_terms_with_the_hashes_of_their_files(unchanged) -> None:
    example_site = unchanged.site
    status, answer, _ = post(unchanged, "page", {"path": f"/articles/{SLUG}/", "terms": ["navi-pillay", "no-such"]})
    assert status == 200
    article = answer["article"]
    assert (article["slug"], article["file"], article["hash"]) == (SLUG, NOTES, digest(example_site / NOTES))
    assert [(n["number"], n["line"]) for n in article["notes"]][:3] == [(1, 4), (2, 12), (3, 21)]
    assert article["notes"][0]["quote"] == "Speaking in Kabul yesterday" and article["orphans"] == []
    entry = answer["terms"]["navi-pillay"]
    assert (entry["term"], entry["category"], entry["hash"]) == (
        "Navi Pillay", "person", digest(example_site / "content/glossary/navi-pillay.md"))
    assert list(answer["terms"]) == ["navi-pillay"]


def test_a_hand_edited_article_gets_no_note_controls(workbench, example_site: Path) -> None:
    """Its page shows the notes as the hand-edited Markdown has them, not as the notes file numbers them."""
    article = example_site / "content" / "articles" / f"{SLUG}.md"
    article.write_text(article.read_text().replace("[^1]", "", 1), encoding="utf-8")
    answer = post(workbench, "page", {"path": f"/articles/{SLUG}/"})[1]["article"]
    assert (answer["notes"], answer["problem"]) == (
        [], f"content/articles/{SLUG}.md was edited by hand: the page shows its notes as written there")


def test_a_note_on_a_repeated_word_is_written_with_the_context_it_needs(workbench, example_site: Path) -> None:
    events = Events(port_of(workbench))
    events.next(("epoch",))
    before = (example_site / NOTES).read_text()
    status, answer, _ = post(workbench, "note-add", {
        "slug": SLUG, "hash": digest(example_site / NOTES), "note": "Pakistan, *not* Afghanistan.",
        "sources": ["https://example.org/a"], "selection": selection("Pakistan", "Leon Panetta threatened ", " with a")})
    assert (status, answer["quote"], answer["prefix"], answer["suffix"]) == (200, "Pakistan", "", " with")
    assert (example_site / NOTES).read_text() == before + (
        "\n- quote: Pakistan\n  suffix: ' with'\n  note: Pakistan, *not* Afghanistan.\n"
        "  sources:\n    - https://example.org/a\n")
    assert events.next(("epoch",)) == ("epoch", "2")
    events.close()
    page = (workbench.out / "articles" / SLUG / "index.html").read_text()
    assert 'threatened Pakistan<sup class="footnote-ref"><a href="#fn2"' in page
    assert "Pakistan, <em>not</em> Afghanistan." in page


@pytest.mark.parametrize("headers,status,message", [
    ({"Origin": "http://evil.example"}, 403, "cross-origin request refused"),
    ({"Origin": None}, 403, "cross-origin request refused"),
    ({"Origin": "null"}, 403, "cross-origin request refused"),
    ({"X_Site_Gen_Token": None}, 403, "the session token is missing or wrong"),
    ({"X_Site_Gen_Token": "guessed"}, 403, "the session token is missing or wrong"),
    ({"Host": "rebound.example:8000", "Origin": "http://rebound.example:8000"}, 403, "by its own name"),
    ({"Content_Type": "text/plain"}, 415, "the request must be JSON"),
])
def test_requests_not_from_the_previews_own_pages_are_refused(unchanged, headers: dict, status: int, message: str) -> None:
    example_site = unchanged.site
    before = (example_site / NOTES).read_bytes()
    answer = post(unchanged, "note-delete", {"slug": SLUG, "hash": digest(example_site / NOTES), "line": 4}, **headers)
    assert answer[:2] == (status, {"error": answer[1]["error"]}) and message in answer[1]["error"]
    assert answer[2].getheader("Access-Control-Allow-Origin") is None
    assert (example_site / NOTES).read_bytes() == before


def test_every_loopback_address_refuses_a_foreign_host(example_site: Path) -> None:
    """Listening on any loopback address turns the workbench on, so the check against DNS rebinding
    (a request addressed to another name) holds on all of them, not only on 127.0.0.1."""
    preview = PreviewSession(example_site, "127.0.0.2", 0, reports=Reports(lambda line: None), edits=True)
    preview.start()
    try:
        port = port_of(preview)
        status, answer, _ = post(preview, "page", {"path": "/"}, Host=f"rebound.example:{port}",
                                 Origin=f"http://rebound.example:{port}")
        assert status == 403 and "by its own name" in answer["error"]
        status, answer, _ = post(preview, "page", {"path": "/"})
        assert status == 200, answer
    finally:
        preview.stop()


def test_no_cors_preflight_is_answered(unchanged) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port_of(unchanged), timeout=10)
    connection.request("OPTIONS", "/__site-gen/api/page", headers={"Origin": "http://evil.example",
                                                                   "Access-Control-Request-Method": "POST"})
    response = connection.getresponse()
    assert response.status == 501 and response.getheader("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize("action,payload,status,message", [
    ("note-add", {"slug": SLUG, "hash": "", "note": "x" * 10_001, "selection": selection("Pakistan")}, 400,
     "'note' is longer than 10000 characters"),
    ("note-add", {"slug": SLUG, "hash": "", "note": "bell\x07", "selection": selection("Pakistan")}, 400,
     "'note' holds control characters"),
    ("note-add", {"slug": SLUG, "hash": "x", "note": "n", "selection": selection("Pakistan")}, 400, "'hash' must be"),
    ("note-add", {"slug": "../../etc", "hash": "", "note": "n", "selection": selection("P")}, 404, "no article"),
    ("note-add", {"slug": SLUG, "hash": "", "note": "n", "selection": "Pakistan"}, 400, "'selection' must be"),
    ("note-edit", {"slug": SLUG, "hash": "", "note": "n", "line": "4"}, 400, "'line' must be"),
    ("note-add", {"slug": SLUG, "hash": "", "note": "n", "sources": ["a\nb"], "selection": selection("P")}, 400,
     "'source' must be one line"),
    ("term-add", {"term": "Two\nlines", "definition": "d"}, 400, "'term' must be one line"),
    ("term-add", {"term": "T", "definition": "d", "aliases": ["a"] * 51}, 400, "at most 50"),
    ("term-add", {"term": "T", "definition": ["not text"]}, 400, "'definition' must be text"),
    ("no-such-action", {}, 404, "no such action"),
])
def test_every_field_is_checked(unchanged, action: str, payload: dict, status: int, message: str) -> None:
    example_site = unchanged.site
    before = (example_site / NOTES).read_bytes()
    answer = post(unchanged, action, payload)
    assert answer[0] == status and message in answer[1]["error"]
    assert (example_site / NOTES).read_bytes() == before


def test_a_body_too_large_or_not_json_is_refused(unchanged) -> None:
    assert post(unchanged, "page", b"x" * 300_000)[:2] == (413, {"error": "the request is over 262144 bytes"})
    assert post(unchanged, "page", b"[1, 2]")[:2] == (400, {"error": "the request is not a JSON object"})
    assert post(unchanged, "page", b"\xff{")[:2] == (400, {"error": "the request is not a JSON object"})


def test_a_selection_that_is_not_in_the_text_is_refused(unchanged) -> None:
    example_site = unchanged.site
    hash_ = digest(example_site / NOTES)
    status, answer, _ = post(unchanged, "note-add", {"slug": SLUG, "hash": hash_, "note": "n",
                                                     "selection": selection("Pakistan1 US Defense")})
    assert status == 422 and "not in the article's text" in answer["error"]
    assert digest(example_site / NOTES) == hash_


def test_a_file_changed_on_disk_since_the_page_loaded_is_not_overwritten(workbench, example_site: Path) -> None:
    hash_ = digest(example_site / NOTES)
    edited = (example_site / NOTES).read_text() + "# saved in a text editor meanwhile\n"
    (example_site / NOTES).write_text(edited)
    status, answer, _ = post(workbench, "note-edit", {"slug": SLUG, "hash": hash_, "line": 4, "note": "New text."})
    assert status == 409
    assert answer["error"] == (f"{NOTES} changed on disk since this page was loaded (saved in a text editor?). Nothing "
                               "was written: reload the page to see the file as it is now, then make your change again.")
    assert (example_site / NOTES).read_text() == edited


def test_writes_never_leave_the_site_folder(workbench, example_site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "navi-pillay.md").write_text("---\nterm: Navi Pillay\n---\nOutside.\n")
    entry = example_site / "content/glossary/navi-pillay.md"
    entry.unlink()
    entry.symlink_to(outside / "navi-pillay.md")
    status, answer, _ = post(workbench, "term-alias", {"slug": "navi-pillay", "alias": "Pillay",
                                                       "hash": digest(outside / "navi-pillay.md")})
    assert status == 403 and "does not write through links" in answer["error"]
    notes = example_site / "content" / "notes"
    notes.rename(outside / "notes")
    notes.symlink_to(outside / "notes")
    status, answer, _ = post(workbench, "note-delete", {"slug": SLUG, "line": 4,
                                                        "hash": digest(outside / "notes" / f"{SLUG}.yml")})
    assert status == 403 and "content/notes is a symbolic link" in answer["error"]
    assert (outside / "navi-pillay.md").read_text() == "---\nterm: Navi Pillay\n---\nOutside.\n"
    assert "Speaking in Kabul yesterday" in (outside / "notes" / f"{SLUG}.yml").read_text()


def test_glossary_entries_are_added_aliased_edited_and_deleted(workbench, example_site: Path) -> None:
    glossary = example_site / "content" / "glossary"
    status, answer, _ = post(workbench, "term-add", {"term": "Ground intervention", "definition": "Troops, not drones.",
                                                     "category": "concept", "aliases": [], "sources": []})
    assert (status, answer["slug"]) == (200, "ground-intervention")
    assert (glossary / "ground-intervention.md").read_text() == (
        "---\nterm: Ground intervention\ncategory: concept\n---\nTroops, not drones.\n")
    status, answer, _ = post(workbench, "term-add", {"term": "Navi Pillay", "definition": "d"})
    assert status == 409 and "'Navi Pillay' is already term of content/glossary/navi-pillay.md" in answer["error"]
    entry = glossary / "navi-pillay.md"
    before = entry.read_text()
    status, _, _ = post(workbench, "term-alias", {"slug": "navi-pillay", "alias": "Navanethem Pillay",
                                                  "hash": digest(entry)})
    assert status == 200 and entry.read_text() == before.replace(
        "term: Navi Pillay\n", "term: Navi Pillay\naliases: [Navanethem Pillay]\n")
    wait_until(lambda: "Navanethem Pillay" in workbench.shown.glossary.by_slug()["navi-pillay"].aliases)
    status, answer, _ = post(workbench, "term-add", {"term": "T", "aliases": ["Navanethem Pillay"], "definition": "d"})
    assert (status, answer["error"]) == (409, "'Navanethem Pillay' is already an alias of content/glossary/navi-pillay.md: "
                                              "add it there, or choose another")
    status, _, _ = post(workbench, "term-edit", {
        "slug": "navi-pillay", "hash": digest(entry), "term": "Navi Pillay", "definition": "A South African judge.",
        "category": "person", "aliases": ["Navanethem Pillay"], "sources": []})
    assert status == 200 and entry.read_text() == (
        "---\nterm: Navi Pillay\naliases: [Navanethem Pillay]\ncategory: person\n---\nA South African judge.\n")
    status, _, _ = post(workbench, "term-delete", {"slug": "navi-pillay", "hash": digest(entry)})
    assert status == 200 and not entry.exists()


def test_editing_is_off_unless_asked_for(session) -> None:
    status, answer, _ = post(session, "page", {"path": "/"})
    assert (status, answer) == (404, {"error": "not found"})
    assert get(port_of(session), "/__site-gen/workbench.js")[0] == 404
    assert b"workbench" not in get(port_of(session), f"/articles/{SLUG}/")[2]


def test_a_built_site_holds_nothing_of_the_preview(workbench, example_site: Path, tmp_path: Path) -> None:
    """Not the scripts, not the token, not the styles: only the server adds them, to its answers."""
    page = get(port_of(workbench), f"/articles/{SLUG}/")[2]
    assert b"/__site-gen/workbench.js" in page and workbench.server.token.encode() in page
    built = tmp_path / "built"
    result = build(load_config(example_site), BuildOptions(out=built))
    assert result.ok
    for folder in (built, workbench.out):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for marker in (b"__site-gen", b"site-gen-overlay", b"data-token", b"X-Site-Gen-Token",
                               b"data-site-gen-busy", workbench.server.token.encode()):
                    assert marker not in data, f"{path.relative_to(folder)} holds {marker!r}"
