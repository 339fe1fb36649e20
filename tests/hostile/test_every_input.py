"""Every kind of input file read safely: one site holding a broken file of each kind at once (bytes
that are not UTF-8, FIFOs and sockets, links out of the site or into .git/, names that are not UTF-8,
YAML bombs, values YAML cannot build), built once through the real command line. Each broken file is
an error (or a warning) naming it, the rest of the site builds, nothing blocks, no traceback is
printed and nothing from outside the site is published."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import write_tree

GOOD_SEED = "A good article\n\nAnn Author 1 May 2020\n\nIt builds whatever else happens, line by line.\n"
SECRET = "Secret token\n\nghp_secret_token_that_must_never_be_published\n"
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)) + "title: *h\n"
DEEP = "title: " + "[" * 200_000 + "]" * 200_000 + "\n"
COMPACT_DEEP = "- " * 100_000 + "x\n"

FILES: dict[str, str | bytes] = {
    "site.toml": '[site]\nbase_url = "https://example.org/reader/"\n',
    "seeds/zz-good.txt": GOOD_SEED,
    "seeds/late-nul.txt": "Late NUL\n\n" + "A long paragraph. " * 1000 + "\x00 and more\n",
    "seeds/undefined-byte.txt": b"Title\n\nbad \x90 byte\n",
    "seeds/bad-sidecar.txt": "Bad sidecar\n\nBody.\n",
    "seeds/bad-sidecar.yml": b"title: caf\xe9\n",
    "seeds/bomb.txt": "Bomb\n\nBody.\n",
    "seeds/bomb.yml": BOMB,
    "seeds/self.txt": "Self\n\nBody.\n",
    "seeds/self.yml": "title: &a [*a]\n",
    "seeds/deep.txt": "Deep\n\nBody.\n",
    "seeds/deep.yml": DEEP,
    "seeds/month.txt": "Month\n\nBody.\n",
    "seeds/month.yml": "date: 2012-13-45\n",
    "seeds/long-value.txt": "Long value\n\nBody.\n",
    "seeds/long-value.yml": "author: [" + ", ".join(["word"] * 5000) + "]\n",
    "content/pages/latin1.md": b"---\ntitle: Caf\xe9\n---\nBody.\n",
    "content/pages/day.md": "---\ntitle: !!timestamp 2020-02-30\n---\nBody.\n",
    "content/pages/compact.md": "---\ntitle: x\n---\nBody.\n",
    "content/glossary/latin1.md": b"---\nterm: Caf\xe9\n---\nA drink.\n",
    "content/glossary/null-key.md": "---\n~: x\nterm: Nothing\n---\nDef.\n",
    "content/notes/a-good-article.yml": b"- quote: It builds\n  note: caf\xe9\n",
    "content/notes/compact.yml": COMPACT_DEEP,
    "seeds/quoted.txt": "Quoted\n\nA short text.\n",
    "content/notes/quoted.yml": f"- quote: {'a long quote ' * 8000}\n  note: Never found.\n",
    "content/articles/hand.md": b"---\ntitle: Hand\n---\nWritten by hand in Latin-1: caf\xe9\n",
}


def _special_files(site: Path, outside: Path) -> None:
    """What write_tree cannot make: FIFOs, a socket, links, names that are not UTF-8."""
    os.mkfifo(site / "seeds/fifo.txt")
    os.mkfifo(site / "seeds/fifo-sidecar.yml")
    (site / "seeds/fifo-sidecar.txt").write_text("FIFO sidecar\n\nBody.\n")
    os.mkfifo(site / "content/pages/fifo.md")
    os.mkfifo(site / "content/glossary/fifo.md")
    os.mkfifo(site / "content/notes/fifo.yml")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(site / "seeds/socket.txt"))
    (site / "seeds/passwd.txt").symlink_to(outside / "passwd.txt")
    write_tree(site, {".git/config": SECRET})
    (site / "seeds/git-config.txt").symlink_to("../.git/config")
    (site / "content/pages/passwd.md").symlink_to(outside / "passwd.md")
    (site / "content/glossary/passwd.md").symlink_to(outside / "passwd.md")
    (site / "content/notes/passwd.yml").symlink_to(outside / "passwd.yml")
    (site / "seeds/nowhere.txt").symlink_to(site / "gone.txt")
    for folder, name in (("seeds", b"caf\xe9.txt"), ("content/pages", b"caf\xe9.md"), ("content/glossary", b"caf\xe9.md"),
                         ("content/notes", b"caf\xe9.yml"), ("", b"backup\xff~"), ("seeds", b"fake\nline.txt")):
        with open(os.path.join(os.fsencode(site / folder), name), "w") as file:
            file.write("Caf\n\nBody.\n" if folder != "content/notes" else "- quote: x\n  note: y\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("every-input")
    outside = write_tree(root / "outside", {"passwd.txt": SECRET, "passwd.md": f"---\ntitle: Secret\n---\n{SECRET}",
                                             "passwd.yml": "- quote: x\n  note: ghp_secret_token\n"})
    site = write_tree(root / "site", FILES)
    _special_files(site, outside)
    command = [sys.executable, "-m", "site_gen", "build", "--site", str(site)]
    return site, subprocess.run(command, capture_output=True, text=True, timeout=300, errors="backslashreplace")


EXPECTED = [
    ("seeds/fifo.txt: error: seed is a FIFO (named pipe), not a regular file; it is not read"),
    ("seeds/fifo-sidecar.yml: error: sidecar is a FIFO (named pipe), not a regular file; it is not read"),
    ("content/pages/fifo.md: error: page is a FIFO (named pipe), not a regular file; it is not read"),
    ("content/glossary/fifo.md: error: glossary entry is a FIFO (named pipe), not a regular file; it is not read"),
    ("content/notes/fifo.yml: error: notes file is a FIFO (named pipe), not a regular file; it is not read"),
    ("seeds/socket.txt: error: seed is a socket, not a regular file; it is not read"),
    ("seeds/passwd.txt: error: seed is a link to {outside}/passwd.txt, outside the site folder; it is not read"),
    ("seeds/git-config.txt: error: seed is a link to ../.git/config, inside the hidden folder .git/ of the site;"
     " it is not read"),
    ("content/pages/passwd.md: error: page is a link to {outside}/passwd.md, outside the site folder; it is not read"),
    ("content/glossary/passwd.md: error: glossary entry is a link to {outside}/passwd.md, outside the site folder;"
     " it is not read"),
    ("content/notes/passwd.yml: error: notes file is a link to {outside}/passwd.yml, outside the site folder;"
     " it is not read"),
    ("seeds/nowhere.txt: error: seed disappeared while the build read it (or is a link to nothing)"),
    ("seeds/caf\\xe9.txt: warning: the file name is not valid UTF-8; the file is skipped"),
    ("content/pages/caf\\xe9.md: warning: the file name is not valid UTF-8; the file is skipped"),
    ("content/glossary/caf\\xe9.md: warning: the file name is not valid UTF-8; the file is skipped"),
    ("content/notes/caf\\xe9.yml: warning: the file name is not valid UTF-8; the file is skipped"),
    ("seeds/fake\\x0aline.txt: warning: the file name holds a control character; the file is skipped"),
    ("seeds/late-nul.txt: error: seed is a binary file, not text (a NUL byte at offset 18010)"),
    ("seeds/undefined-byte.txt:3: error: cannot decode byte 0x90 at offset 11 (not UTF-8, not cp1252)"),
    ("seeds/bad-sidecar.yml:1: error: cannot decode byte 0xe9 at offset 10 (not UTF-8)"),
    ("content/pages/latin1.md:2: error: cannot decode byte 0xe9 at offset 14 (not UTF-8)"),
    ("content/glossary/latin1.md:2: error: cannot decode byte 0xe9 at offset 13 (not UTF-8)"),
    ("content/notes/a-good-article.yml:2: error: cannot decode byte 0xe9 at offset 30 (not UTF-8)"),
    ("content/articles/hand.md:4: error: cannot decode byte 0xe9 at offset 51 (not UTF-8)"),
    ("seeds/bomb.yml:4: error: invalid YAML: its aliases repeat too many values (a \"billion laughs\" document?)"),
    ("seeds/self.yml:1: error: invalid YAML: an alias refers to the value that contains it"),
    ("seeds/deep.yml:1: error: invalid YAML: lists and mappings nested too deeply"),
    ("content/notes/compact.yml:1: error: invalid YAML: lists and mappings nested too deeply"),
    ("seeds/month.yml:1: error: invalid YAML value: month must be in 1..12"),
    ("content/pages/day.md:2: error: invalid YAML value: day is out of range for month"),
    ("content/glossary/null-key.md:1: error: unknown key None"),
    ("seeds/long-value.yml:1: error: 'author' must be text, got ['word', 'word', 'word', 'word', ...]"),
    ("content/notes/quoted.yml:1: warning: orphaned note: quote 'a long quote a long quote a...te a long quote a long "
     "quote' is not in the article"),
]


@pytest.mark.parametrize("line", EXPECTED, ids=[line.split(":")[0] for line in EXPECTED])
def test_each_broken_file_is_named(built, line: str) -> None:
    site, run = built
    expected = line.format(outside=site.parent / "outside")
    assert expected in run.stderr.splitlines(), run.stderr[-3000:]


def test_the_build_fails_in_one_piece_and_the_rest_is_published(built) -> None:
    site, run = built
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "A good article" in (site / "public/articles/a-good-article/index.html").read_text()
    assert (site / "public/compact/index.html").exists()
    assert run.stdout.startswith("3 pages, 0 glossary entries, 0 notes; 6 warnings, 27 errors;"), "nothing else"


def test_nothing_from_outside_or_from_git_is_published(built) -> None:
    site, _ = built
    for path in (site / "public").rglob("*"):
        if path.is_file():
            assert b"ghp_secret" not in path.read_bytes(), path


def test_no_message_spells_out_a_value_in_full(built) -> None:
    _, run = built
    assert max(len(line) for line in run.stderr.splitlines()) < 300
    assert len(run.stderr) < 20_000


def test_a_hand_written_article_that_cannot_be_read_is_never_overwritten(built) -> None:
    site, _ = built
    assert (site / "content/articles/hand.md").read_bytes() == FILES["content/articles/hand.md"]


def test_the_next_build_is_up_to_date_whatever_the_file_names(built) -> None:
    """The "up to date" check looks at every file of the site, names that are not UTF-8 included."""
    site, _ = built
    command = [sys.executable, "-m", "site_gen", "build", "--site", str(site)]
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, errors="backslashreplace")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stdout.startswith("up to date: nothing changed since the last build (6 warnings, 27 errors)")
