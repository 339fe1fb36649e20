"""Live preview, end to end: a real server on a free loopback port, real file edits, the reload
event, the error overlay and its recovery, safe paths, clean shutdown."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from site_gen.serve.server import PreviewState, resolve_request
from site_gen.serve.session import PreviewSession, Reports
from site_gen.serve.watcher import OVERFLOW_LOGGER

from .conftest import SEED, SLUG, Events, edit, errors, get, port_of, wait_until


def test_serves_the_site_with_the_reload_script_only_in_serve_mode(session) -> None:
    status, content_type, body = get(port_of(session), f"/articles/{SLUG}/")
    assert status == 200 and content_type == "text/html; charset=utf-8"
    assert b'<script src="/__site-gen/preview.js" data-epoch="1"></script></body>' in body
    assert b"workbench" not in body, "editing is off unless asked for"
    on_disk = (session.out / "articles" / SLUG / "index.html").read_bytes()
    assert b"__site-gen" not in on_disk


def test_seed_edit_rebuilds_that_article_and_reloads(session, example_site: Path) -> None:
    events = Events(port_of(session))
    assert events.next(("epoch",)) == ("epoch", "1")
    term_page = session.out / "glossary" / "navi-pillay" / "index.html"
    before = term_page.stat().st_mtime_ns
    edit(example_site / SEED, "Speaking in Kabul yesterday", "Speaking in Kabul on Thursday")
    assert events.next(("epoch",)) == ("epoch", "2")
    events.close()
    article = (session.out / "articles" / SLUG / "index.html").read_text()
    assert "Speaking in Kabul on Thursday" in article
    assert "Speaking in Kabul on Thursday" in (example_site / f"content/articles/{SLUG}.md").read_text(), \
        "the rebuild writes the article's annotated Markdown, as a build does"
    assert term_page.stat().st_mtime_ns == before, "a page the edit does not affect is not rewritten"
    assert session.cache.stats()["document"] == (0, 1)
    assert session.cache.stats()["html"][1] <= 3, "the article and its neighbours; not the pages of its terms"
    time.sleep(0.5)
    assert len(session.latencies) == 2, "the build's own write to content/articles is not taken for an edit"


def test_a_term_page_is_rendered_again_when_its_snippet_changes(session, example_site: Path) -> None:
    events = Events(port_of(session))
    events.next(("epoch",))
    edit(example_site / SEED, "Navi Pillay ended a four-day visit", "Navi Pillay ended a five-day visit")
    events.next(("epoch",))
    events.close()
    term_page = (session.out / "glossary" / "navi-pillay" / "index.html").read_text()
    assert "five-day visit" in term_page and "four-day visit" not in term_page


def test_note_and_glossary_edits_rebuild_the_pages_that_use_them(session, example_site: Path) -> None:
    events = Events(port_of(session))
    events.next(("epoch",))
    notes = example_site / "content" / "notes" / f"{SLUG}.yml"
    edit(notes, "spoke at a news conference", "held a news conference")
    events.next(("epoch",))
    assert "held a news conference" in (session.out / "articles" / SLUG / "index.html").read_text()
    entry = example_site / "content" / "glossary" / "navi-pillay.md"
    edit(entry, "South African jurist", "A South African judge")
    events.next(("epoch",))
    events.close()
    assert "A South African judge" in (session.out / "glossary" / "navi-pillay" / "index.html").read_text()
    assert "A South African judge" in (session.out / "articles" / SLUG / "index.html").read_text()
    pages = session.cache.stats()["page"]
    assert pages[1] <= 2, f"only the entry's page and the article that uses it are re-rendered: {pages}"


def test_template_edits_leave_no_garbage_frozen_for_good(session, example_site: Path) -> None:
    """A template edit replaces the template environment, whose objects live in reference cycles;
    the frozen heap must not keep each replaced one (the number of frozen objects stays level)."""
    events = Events(port_of(session))
    events.next(("epoch",))
    templates = example_site / "templates"
    templates.mkdir()
    page = templates / "page.html"
    frozen = []
    for n in range(4):
        page.write_text("{% extends 'base.html' %}\n{% block main %}<p>Edit " + str(n) + "</p>{% endblock %}\n")
        events.next(("epoch",))
        wait_until(gc.isenabled)  # saving has paused: the session has settled its heap (and collects again)
        frozen.append(gc.get_freeze_count())
    events.close()
    assert frozen[3] - frozen[1] < 100, frozen


def test_broken_template_shows_the_problem_and_the_next_good_save_clears_it(session, example_site: Path) -> None:
    events = Events(port_of(session))
    events.next(("epoch",))
    article_before = (session.out / "articles" / SLUG / "index.html").read_bytes()
    templates = example_site / "templates"
    templates.mkdir()
    broken = templates / "page.html"
    broken.write_text("{% extends 'base.html' %}\n{% block main %}{% if %}{% endblock %}\n")
    problems = events.problems(errors)
    assert problems["held"] and "page.html:2" in errors(problems)[0] and "template syntax error" in errors(problems)[0]
    assert (session.out / "articles" / SLUG / "index.html").read_bytes() == article_before, "last good site kept"
    status, _, _ = get(port_of(session), "/")
    assert status == 200
    broken.unlink()
    assert not events.problems(lambda problems: not errors(problems))["held"]
    assert events.next(("epoch",))[0] == "epoch"
    events.close()


def test_one_save_with_many_events_is_one_rebuild(session, example_site: Path) -> None:
    events = Events(port_of(session))
    events.next(("epoch",))
    builds = len(session.latencies)
    seed = example_site / SEED
    text = seed.read_text(encoding="utf-8").replace("Kabul yesterday", "Kabul today")
    temporary = seed.with_name(".000.txt.swp")
    temporary.write_text(text)
    (seed.parent / "4913").write_text("")
    (seed.parent / "4913").unlink()
    backup = seed.with_name(seed.name + "~")
    shutil.copy(seed, backup)
    os.replace(temporary, seed)
    assert events.next(("epoch",)) == ("epoch", "2")
    time.sleep(0.5)
    events.close()
    assert len(session.latencies) == builds + 1


@pytest.mark.parametrize("path", ["/../site.toml", "/%2e%2e/site.toml", "/..%2f..%2fetc/passwd", "//etc/passwd",
                                  "/articles/../../site.toml", "/%00", "/assets/..%5c..%5csite.toml"])
def test_paths_outside_the_output_folder_are_refused(session, path: str) -> None:
    status, _, body = get(port_of(session), path)
    assert status == 404 and b"Page not found" in body


def test_symlink_pointing_out_is_refused(session, example_site: Path) -> None:
    (session.out / "escape.toml").symlink_to(example_site / "site.toml")
    assert get(port_of(session), "/escape.toml")[0] == 404
    assert resolve_request(session.out, "/escape.toml") is None


@pytest.mark.parametrize("suffix,expected", [(".css", "text/css; charset=utf-8"),
                                             (".js", "text/javascript; charset=utf-8"),
                                             (".svg", "image/svg+xml")])
def test_content_types(session, suffix: str, expected: str) -> None:
    name = next(p for p in (session.out / "assets").iterdir() if p.suffix == suffix).name
    status, content_type, _ = get(port_of(session), f"/assets/{name}")
    assert (status, content_type) == (200, expected)
    assert get(port_of(session), "/search/manifest.js")[1] == "text/javascript; charset=utf-8"
    assert get(port_of(session), "/feed.xml")[1] == "application/xml"


def test_missing_page_gets_the_theme_404(session) -> None:
    status, _, body = get(port_of(session), "/no/such/page/")
    assert status == 404 and b"<h1>Page not found</h1>" in body


def test_many_reloading_tabs(session, example_site: Path) -> None:
    streams = [Events(port_of(session)) for _ in range(20)]
    for stream in streams:
        stream.next(("epoch",))
    edit(example_site / SEED, "Kabul yesterday", "Kabul last week")
    assert all(stream.next(("epoch",)) == ("epoch", "2") for stream in streams)
    for stream in streams:
        stream.close()


def test_stop_leaves_no_threads(example_site: Path) -> None:
    before = set(threading.enumerate())
    preview = PreviewSession(example_site, "127.0.0.1", 0, reports=Reports(lambda line: None))
    preview.start()
    events = Events(port_of(preview))
    events.next(("epoch",))
    preview.stop()
    events.close()
    time.sleep(0.2)
    left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    assert left == []


def test_publish_wakes_waiting_clients() -> None:
    state = PreviewState()
    seen = []

    def wait() -> None:
        with state.condition:
            state.condition.wait_for(lambda: state.epoch == 1, timeout=5)
            seen.append(state.epoch)

    thread = threading.Thread(target=wait)
    thread.start()
    state.publish(None, reload=True)
    thread.join()
    assert seen == [1]


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT as a terminal's Ctrl-C finds it: a test run a shell started in the background (``&``)
    ignores SIGINT, and the command it starts would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("allow", [False, True])
def test_cli_serve_off_loopback_warns_edits_only_when_allowed_and_stops_on_ctrl_c(example_site: Path,
                                                                                 allow: bool) -> None:
    """`site-gen serve` as a user runs it: the warning, the URL line, editing off on an address others
    can reach unless --allow-edits, and Ctrl-C (SIGINT) ending it."""
    process = subprocess.Popen([sys.executable, "-m", "site_gen", "serve", "--site", str(example_site),
                                "--host", "0.0.0.0", "--port", "0", *(["--allow-edits"] if allow else [])],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_ctrl_c_as_in_a_terminal)
    try:
        line = ""
        while not line.startswith("Serving"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
        assert "at http://0.0.0.0:" in line
        page = get(int(line.rsplit(":", 1)[1].split("/")[0]), f"/articles/{SLUG}/")[2]
        assert (b'<script src="/__site-gen/workbench.js">' in page) is allow
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert ("warning: listening on 0.0.0.0: anyone who can reach this machine can read the preview and change the site "
            "(--allow-edits)" if allow else "; annotating in the browser is off (--allow-edits turns it on)") in err
    assert "stopping..." in out


def test_after_lost_file_events_every_file_is_looked_at_again(session, example_site: Path, monkeypatch) -> None:
    events = Events(port_of(session))
    assert events.next(("epoch",)) == ("epoch", "1")
    with monkeypatch.context() as deaf:
        deaf.setattr(session.watcher, "notice", lambda paths, directory=False: None)
        edit(example_site / SEED, "Speaking in Kabul yesterday", "Speaking in Kabul last week")
        time.sleep(0.3)
    logging.getLogger(OVERFLOW_LOGGER).warning("Inotify queue overflowed; filesystem events were lost")
    assert events.next(("epoch",)) == ("epoch", "2")
    events.close()
    assert "Speaking in Kabul last week" in (session.out / "articles" / SLUG / "index.html").read_text()
    assert any("file events were lost" in line for line in session.lines)


def test_a_log_written_inside_the_site_folder_rebuilds_nothing(session, example_site: Path) -> None:
    """``site-gen serve > serve.log`` in the site folder: each line written is not an edit."""
    events = Events(port_of(session))
    events.next(("epoch",))
    for log in (example_site / "serve.log", example_site / "content" / "serve.log", example_site / "notes.txt"):
        for n in range(20):
            with log.open("a") as handle:
                handle.write(f"rebuilt in {n} ms\n")
            time.sleep(0.01)
    time.sleep(0.5)
    assert len(session.latencies) == 1 and session.state.epoch == 1
    edit(example_site / "site.toml", 'title = "', 'title = "The ')
    assert events.next(("epoch",)) == ("epoch", "2"), "the settings are watched"
    events.close()


def test_the_terminal_gets_the_start_up_warnings_and_each_rebuilds_new_problems(session, example_site: Path) -> None:
    warning = ("seeds/000_1b2b8db6055a75fe.txt:27: warning: cross-reference to an article that is not in the site: "
               "\"Obama's role in the selection of drone missile targets\"\n"
               "  hint: add that article as a seed, or correct the title after 'See:'")
    assert session.lines[0] == warning, "printed as site-gen build prints it"
    assert session.lines[1].startswith("built in ") and session.lines[1].endswith(": 1 warnings, 0 errors")
    events = Events(port_of(session))
    events.next(("epoch",))
    notes = example_site / "content" / "notes" / f"{SLUG}.yml"
    edit(notes, "- quote: Speaking in Kabul yesterday", "- quote: [Speaking in Kabul yesterday")
    events.problems(errors)
    problem = next(line for line in session.lines[2:] if "error" in line)
    assert problem.startswith(f"content/notes/{SLUG}.yml:") and ": error: invalid YAML" in problem
    assert warning not in session.lines[2:], "only what is new is printed"
    assert session.lines[-1].endswith(": 1 warnings, 1 errors; not published: the pages show the last good version "
                                      "until it is fixed")
    events.close()


def test_a_broken_notes_file_leaves_the_last_good_page_until_it_is_fixed(session, example_site: Path) -> None:
    """The overlay tells the truth: after a data error the pages are the last good ones, notes and all."""
    events = Events(port_of(session))
    events.next(("epoch",))
    page = session.out / "articles" / SLUG / "index.html"
    before = page.read_bytes()
    assert b'id="fnref1"' in before
    notes = example_site / "content" / "notes" / f"{SLUG}.yml"
    edit(notes, "  note: >\n    Panetta arrived", "  note: >\n  Panetta arrived")
    problems = events.problems(errors)
    assert problems["held"] and f"content/notes/{SLUG}.yml:" in errors(problems)[0]
    assert errors(problems)[0] in "".join(session.lines)
    assert page.read_bytes() == before, "the note marker is still there"
    assert session.state.epoch == 1, "no reload to a page without the notes"
    builds = len(session.latencies)
    edit(example_site / SEED, "Speaking in Kabul yesterday", "Speaking in Kabul on Thursday")
    wait_until(lambda: len(session.latencies) > builds)
    assert session.state.problems["held"] and page.read_bytes() == before, "the seed edit waits for the fix"
    edit(notes, "  note: >\n  Panetta arrived", "  note: >\n    Panetta arrived")
    assert not events.problems(lambda problems: not errors(problems))["held"]
    assert events.next(("epoch",)) == ("epoch", "2")
    events.close()
    after = page.read_text()
    assert 'id="fnref1"' in after and "Speaking in Kabul on Thursday" in after


def test_warnings_reach_the_overlay_with_their_place_on_the_page(session) -> None:
    events = Events(port_of(session))
    problems = events.problems(lambda problems: True)
    events.close()
    assert problems == {"held": False, "items": [{
        "severity": "warning", "code": "crossref-missing", "url": f"articles/{SLUG}/",
        "text": session.lines[0], "text_on_page": "Obama's role in the selection of drone missile targets"}]}
