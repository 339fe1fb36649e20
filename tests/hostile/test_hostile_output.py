"""Hostile situations on the writing side: links planted in the output, folders site-gen did not
make where it keeps its own, leftovers of killed builds, two builds of one site at once, and what
a build publishes. Nothing a user made is deleted or overwritten; nothing is written through a link."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_gen.cli import main
from site_gen.fingerprint import record_path
from site_gen.model import OutputFile
from site_gen.output import MARKER, update_output
from site_gen.serve.session import PreviewSession, Reports

from ..conftest import write_tree
from ..serve.test_session import SEED, SLUG, Events, edit, port_of
from .test_hostile_commands import problems

SITE = {"seeds/a.txt": "Alpha\n\nAnn Author 1 May 2020\n\nThe first article.\n",
        "seeds/b.txt": "Beta\n\nAnn Author 2 May 2020\n\nThe second article.\n"}


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every path under ``folder`` (hidden ones too): a file's bytes, a link's target, '' for a folder."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        found[name] = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else ""
    return found


def dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent to collect it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("linked", ["articles", "articles/a"])
def test_live_preview_never_writes_or_removes_through_links(tmp_path: Path, linked: str) -> None:
    """A folder of the output (and the marker) replaced by links to a folder outside: the update
    writes a real folder instead, and removing a page the build no longer makes removes nothing
    outside."""
    out = tmp_path / "public"
    outside = write_tree(tmp_path / "outside", {"index.html": "precious", "gone.html": "precious too",
                                                "a/index.html": "mine", "marker.txt": "mine"})
    first = [OutputFile("articles/a/index.html", b"one"), OutputFile("articles/gone.html", b"old")]
    update_output(out, first, {})
    before = listing(outside)
    os.rename(out / linked, tmp_path / "moved")
    (out / linked).symlink_to(outside, target_is_directory=True)
    (out / MARKER).unlink()
    (out / MARKER).symlink_to(outside / "marker.txt")
    assert update_output(out, [OutputFile("articles/a/index.html", b"two")], {f.path: f.data for f in first}) == 1
    assert listing(outside) == before
    assert (out / "articles/a/index.html").read_bytes() == b"two"
    assert not (out / "articles").is_symlink() and not (out / "articles/a").is_symlink()


@pytest.fixture
def preview(example_site: Path):
    session = PreviewSession(example_site, "127.0.0.1", 0, reports=Reports(lambda line: None))
    session.start()
    yield session
    session.stop()


def test_a_live_preview_session_does_not_write_through_a_linked_output_folder(preview, tmp_path: Path,
                                                                              example_site: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"index.html": "precious"})
    article = preview.out / "articles" / SLUG
    os.rename(article, tmp_path / "moved")
    article.symlink_to(outside, target_is_directory=True)
    events = Events(port_of(preview))
    assert events.next(("epoch",)) == ("epoch", "1")
    edit(example_site / SEED, "Speaking in Kabul yesterday", "Speaking in Kabul on Thursday")
    assert events.next(("epoch",)) == ("epoch", "2")
    events.close()
    assert (outside / "index.html").read_text() == "precious"
    assert "Speaking in Kabul on Thursday" in (article / "index.html").read_text()
    assert not article.is_symlink()


def test_a_previous_site_folder_the_user_made_is_left_alone(tree, capsys) -> None:
    site = tree({**SITE, ".public.old/mine.txt": "my notes"})
    for _ in range(2):
        assert main(["build", "--force", "--site", str(site)]) == 0
        err = capsys.readouterr().err
        assert f"warning: {site.resolve()}/.public.old was not made by site-gen: it is left alone" in err
        assert listing(site / ".public.old") == {"mine.txt": b"my notes"}
    assert (site / "public/articles/alpha/index.html").is_file()
    assert sorted(p.name for p in site.iterdir()) == [".cache", ".public.old", "content", "public", "seeds"]


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_previous_site_name_taken_by_a_file_or_link_is_a_clear_error(tree, tmp_path: Path, capsys,
                                                                       kind: str) -> None:
    site = tree(SITE)
    assert main(["build", "--site", str(site)]) == 0
    outside = write_tree(tmp_path / "outside", {"keep.txt": "keep"})
    if kind == "file":
        (site / ".public.old").write_text("my file")
    else:
        (site / ".public.old").symlink_to(outside, target_is_directory=True)
    before = listing(site / "public")
    (site / "seeds/c.txt").write_text("Gamma\n\nThe third.\n")
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"error: {site.resolve()}/.public.old is in the way" in err
    assert f"hint: move or rename {site.resolve()}/.public.old, or choose another --out folder" in err
    assert "Traceback" not in err
    assert listing(site / "public") == before, "the published site is as it was"
    assert listing(outside) == {"keep.txt": b"keep"}
    if kind == "file":
        assert (site / ".public.old").read_text() == "my file"
    else:
        assert os.readlink(site / ".public.old") == str(outside)


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(tree, tmp_path: Path) -> None:
    """Staging folders and temporary files whose process is gone (or whose marker no build holds)
    are removed; a live process's, a user's folder with a similar name and a link are not."""
    site = tree(SITE)
    assert main(["build", "--quiet", "--site", str(site)]) == 0
    gone, alive = dead_pid(), os.getpid()
    outside = write_tree(tmp_path / "outside", {"keep.txt": "keep"})
    leftovers = {f".public.staging-{gone}-0badc0de/{MARKER}": "x", f".public.staging-{gone}-0badc0de/a.html": "x",
                 f".public.staging-{gone}-feedf00d/half.html": "no marker yet",
                 f".public.staging-{alive}-00c0ffee/{MARKER}": "a marker no build holds",
                 f"content/articles/.alpha.md.{gone}-0badc0de.tmp": "half written",
                 f".cache/.build.json.{gone}-0badc0de.tmp": "half written"}
    kept = {f".public.staging-{alive}-feedf00d/half.html": "a live build, before its marker",
            ".public.staging-notes/mine.txt": "a user's folder", "content/articles/.notes.tmp": "a user's file",
            f"content/articles/.beta.md.{alive}-0badc0de.tmp": "a live process's"}
    write_tree(site, {**leftovers, **kept})
    (site / f".public.staging-{gone}-1badc0de").symlink_to(outside, target_is_directory=True)
    (site / "seeds/c.txt").write_text("Gamma\n\nThe third.\n")
    assert main(["build", "--quiet", "--site", str(site)]) == 0
    removed = {name.split("/")[0] if name.startswith(".public") else name for name in leftovers}
    assert [name for name in removed if os.path.lexists(site / name)] == []
    for name, text in kept.items():
        assert (site / name).read_text() == text
    assert (site / f".public.staging-{gone}-1badc0de").is_symlink() and listing(outside) == {"keep.txt": b"keep"}


def test_nothing_is_written_through_linked_cache_or_articles_folders(tree, tmp_path: Path, capsys) -> None:
    """``.cache`` and ``content/articles`` made links to folders outside the site: the build record is
    not kept (the next build runs again) and no article is written there."""
    site = tree(SITE)
    outside = write_tree(tmp_path / "outside", {"cache/keep.txt": "keep", "articles/keep.md": "keep"})
    (site / ".cache").symlink_to(outside / "cache", target_is_directory=True)
    (site / "content").mkdir()
    (site / "content/articles").symlink_to(outside / "articles", target_is_directory=True)
    for _ in range(2):
        assert main(["build", "--site", str(site)]) == 1
        captured = capsys.readouterr()
        assert "up to date" not in captured.out
        assert problems(captured.err) == [  # the input folders are checked before anything is written
            f"content/articles: error: the folder content/articles leads to {outside.resolve()}/articles, outside the "
            "site folder; nothing is built"]
    assert listing(outside) == {"articles": "", "articles/keep.md": b"keep", "cache": "", "cache/keep.txt": b"keep"}


BLOCKED_BUILD = """
import sys, time
from pathlib import Path
from site_gen import output
from site_gen.cli import main

site, ready, release = sys.argv[1:]
write = output.Staging.write

def write_then_wait(self, files):
    write(self, files)
    Path(ready).write_text("staged")
    while not Path(release).exists():
        time.sleep(0.02)

output.Staging.write = write_then_wait
sys.exit(main(["build", "--force", "--quiet", "--site", site]))
"""


def test_two_builds_at_once_and_a_killed_one(tree, tmp_path: Path) -> None:
    """Build A stops halfway through writing its staging folder; build B of the same site runs
    meanwhile and succeeds; A then finishes and succeeds too. A third build stopped at the same
    point by kill -9 leaves its staging folder, and the next build removes it."""
    site = tree(SITE)
    assert main(["build", "--quiet", "--site", str(site)]) == 0
    (site / "seeds/a.txt").write_text("Alpha\n\nAnn Author 1 May 2020\n\nThe first article, edited.\n")
    ready, release = tmp_path / "ready", tmp_path / "release"
    first = subprocess.Popen([sys.executable, "-c", BLOCKED_BUILD, str(site), str(ready), str(release)],
                             stderr=subprocess.PIPE, text=True)
    wait_for(ready.exists)
    staging = [p.name for p in site.iterdir() if ".staging-" in p.name]
    assert len(staging) == 1
    second = subprocess.run([sys.executable, "-m", "site_gen", "build", "--force", "--site", str(site)],
                            capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert (site / staging[0]).is_dir(), "the other build's staging folder is left to it"
    release.write_text("go")
    assert first.wait(30) == 0, first.stderr.read()
    assert sorted(p.name for p in site.iterdir()) == [".cache", ".public.old", "content", "public", "seeds"]
    assert "edited" in (site / "public/articles/alpha/index.html").read_text()
    assert [p.name for p in (site / "content/articles").iterdir() if p.name.startswith(".")] == []

    ready.unlink()
    release.unlink()
    killed = subprocess.Popen([sys.executable, "-c", BLOCKED_BUILD, str(site), str(ready), str(release)])
    wait_for(ready.exists)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert [p.name for p in site.iterdir() if ".staging-" in p.name], "kill -9 left its staging folder"
    assert main(["build", "--force", "--quiet", "--site", str(site)]) == 0
    assert [p.name for p in site.iterdir() if ".staging-" in p.name] == []


BLOCKED_WORKERS = """
import dataclasses, os, sys, time
from pathlib import Path
from site_gen import render
from site_gen.cli import main

site, pids = sys.argv[1:]
os.cpu_count = lambda: 2

def render_slowly(index, context):
    Path(pids, str(os.getpid())).write_text("")
    time.sleep(60)

render.HTML = dataclasses.replace(render.HTML, work=render_slowly)
main(["build", "--quiet", "--site", site])
"""

FORKED_CHILD = """
import sys, time
from site_gen.parallel import Forked
job = Forked(time.sleep, 60)
print(job._process.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see which processes run")
def test_a_killed_build_leaves_no_process_behind(tree, tmp_path: Path) -> None:
    """kill -9 of a build while its worker processes render, and of a process waiting for a forked
    job: the workers and the job end with it."""
    site = tree({f"content/articles/a{n:02}.md": f"---\ntitle: A{n}\n---\nText {n}.\n" for n in range(80)})
    pids = tmp_path / "pids"
    pids.mkdir()
    build = subprocess.Popen([sys.executable, "-c", BLOCKED_WORKERS, str(site), str(pids)])
    wait_for(lambda: len(list(pids.iterdir())) >= 2)
    workers = [int(p.name) for p in pids.iterdir()]
    assert all(running(pid) for pid in workers)
    build.send_signal(signal.SIGKILL)
    build.wait()
    wait_for(lambda: not any(running(pid) for pid in workers), seconds=5)

    parent = subprocess.Popen([sys.executable, "-c", FORKED_CHILD], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert running(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    wait_for(lambda: not running(child), seconds=5)


FULL_DISK = """
import resource, signal, sys
from site_gen.cli import main

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
sys.exit(main(["build", "--site", sys.argv[1]]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs a file size limit to stand in for a full disk")
@pytest.mark.parametrize("limit", [2_000, 20_000], ids=["in content/articles", "in the staging folder"])
def test_a_full_disk_leaves_no_temporary_file_and_the_previous_site(tree, limit: int) -> None:
    """Writes past a file size limit fail as on a full disk: the build says which file, exits 1,
    and leaves neither temporary files nor a staging folder; the published site is as it was."""
    site = tree({**SITE, "seeds/c.txt": "Gamma\n\n" + "A long paragraph of the third article. " * 100 + "\n"})
    assert main(["build", "--quiet", "--site", str(site)]) == 0
    before = listing(site / "public")
    (site / "seeds/c.txt").write_text("Gamma\n\n" + "A longer paragraph of the third article. " * 100 + "\n")
    run = subprocess.run([sys.executable, "-c", FULL_DISK, str(site), str(limit)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 1
    assert run.stderr.startswith("error: [Errno 27] File too large: '") and "Traceback" not in run.stderr
    left = [p for p in site.rglob("*") if p.name.endswith(".tmp") or ".staging-" in p.name]
    assert left == []
    assert listing(site / "public") == before


def test_two_builds_into_two_folders_are_identical_and_publish_no_build_record(example_site: Path, tmp_path: Path,
                                                                              capsys) -> None:
    """Every file, hidden ones included: the build record (which names source files) is in .cache."""
    first, second = tmp_path / "one", tmp_path / "two"
    assert main(["build", "--quiet", "--site", str(example_site), "--out", str(first)]) == 0
    assert main(["build", "--quiet", "--site", str(example_site), "--out", str(second)]) == 0
    built = listing(first)
    assert built == listing(second)
    assert len(built) > 40 and [name for name in built if name.split("/")[-1].startswith(".")] == [MARKER]
    assert record_path(example_site, first).is_file() and record_path(example_site, second).is_file()
    capsys.readouterr()
    assert main(["build", "--site", str(example_site), "--out", str(first)]) == 0
    assert capsys.readouterr().out.startswith("up to date")
