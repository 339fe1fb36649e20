"""The one reader (site_gen/reading.py) and the YAML loader, case by case: what they refuse, and
that a refusal is an error naming the file, never a traceback, a hang or a crash of the process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from site_gen import reading
from site_gen.diagnostics import FolderError, InputError, Severity, shown
from site_gen.frontmatter import load_yaml, split
from site_gen.reading import Decoded, decode_text, escaped, read_bytes, read_text, walk_folder
from site_gen.serve import annotation_files as files

from ..conftest import write_tree


def refusal(make) -> str:
    with pytest.raises(InputError) as caught:
        make()
    return caught.value.diagnostics[0].format().splitlines()[0]


def test_a_fifo_is_refused_without_ever_being_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    writer_opened = threading.Event()

    def writer() -> None:  # would be let through (and block no more) only if the reader opened the FIFO
        fd = os.open(tmp_path / "pipe.md", os.O_WRONLY)
        writer_opened.set()
        os.close(fd)

    threading.Thread(target=writer, daemon=True).start()
    assert refusal(lambda: read_text(tmp_path / "pipe.md", "content/pages/pipe.md", tmp_path, "page")) == (
        "content/pages/pipe.md: error: page is a FIFO (named pipe), not a regular file; it is not read")
    assert not writer_opened.wait(0.2), "the FIFO was opened"
    os.close(os.open(tmp_path / "pipe.md", os.O_RDONLY | os.O_NONBLOCK))  # let the writer go


def test_a_socket_and_a_device_are_refused(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "s.txt"))
        assert refusal(lambda: read_bytes(tmp_path / "s.txt", "seeds/s.txt", tmp_path, "seed")) == (
            "seeds/s.txt: error: seed is a socket, not a regular file; it is not read")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert refusal(lambda: read_bytes(tmp_path / "zero.txt", "seeds/zero.txt", "/", "seed")) == (
        "seeds/zero.txt: error: seed is a character device, not a regular file; it is not read")


def test_a_folder_named_like_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.md").mkdir()
    assert refusal(lambda: read_text(tmp_path / "x.md", "content/pages/x.md", tmp_path)) == (
        "content/pages/x.md: error: file is a folder, not a regular file; it is not read")


def test_a_file_over_its_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    with open(path, "wb") as file:
        file.truncate(reading.STATIC_LIMIT + 1)  # sparse: nothing is really written
    assert refusal(lambda: read_bytes(path, "themes/t/static/big.png", tmp_path, "static file",
                                      reading.STATIC_LIMIT)) == (
        "themes/t/static/big.png: error: static file is 67 MB, over the 64 MiB limit")


@pytest.mark.parametrize("name,message", [
    (b"caf\xe9.md", "content/pages/caf\\xe9.md: warning: the file name is not valid UTF-8; the file is skipped"),
    (b"\xed\xa0\x80.md", "content/pages/\\xed\\xa0\\x80.md: warning: the file name is not valid UTF-8; the file is skipped"),
])
def test_a_name_that_is_not_utf8_is_skipped_with_a_warning_naming_it_escaped(tmp_path: Path, name: bytes,
                                                                           message: str) -> None:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "w") as file:
        file.write("text")
    shown_name = "content/pages/" + os.fsdecode(name)
    with pytest.raises(InputError) as caught:
        read_text(os.fsdecode(path), shown_name, tmp_path)
    [problem] = caught.value.diagnostics
    assert problem.severity == Severity.WARNING and problem.format().splitlines()[0] == message


def test_a_theme_file_name_that_is_not_utf8_is_skipped_and_the_site_builds(tmp_path: Path, capsys) -> None:
    """A stray static file (``caf\xe9.css``) is skipped with a warning, in a build and in ``check``;
    a template of such a name is never looked up, so it is not an input and goes unmentioned."""
    from site_gen.cli import main

    site = write_tree(tmp_path / "site", {"site.toml": '[site]\ntheme = "t"\nbase_url = "https://example.org/"\n',
                                          "themes/t/theme.toml": 'extends = "default"\n',
                                          "themes/t/static/ok.css": "p { margin: 0 }\n",
                                          "seeds/a.txt": "A title\n\nAnn Author 1 May 2020\n\nText.\n"})
    for folder, name in (("themes/t/static", b"caf\xe9.css"), ("themes/t/static/img", b"caf\xe9.png"),
                         ("themes/t/templates", b"caf\xe9.html")):
        os.makedirs(site / folder, exist_ok=True)
        with open(os.path.join(os.fsencode(site / folder), name), "w") as file:
            file.write("x")
    expected = [f"themes/t/static/{name}: warning: the file name is not valid UTF-8; the file is skipped"
                for name in ("caf\\xe9.css", "img/caf\\xe9.png")]
    assert main(["build", "--site", str(site)]) == 0
    assert [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line] == expected
    assert (site / "public/articles/a-title/index.html").exists()
    assert [p.name for p in (site / "public/assets").iterdir() if p.name.startswith("ok.")] != []
    assert main(["check", "--site", str(site)]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if ": warning: " in line] == expected


@pytest.mark.parametrize("data,message", [
    (b"\xef\xbb\xbfok\r\nline two\rthree", None),
    (b"title: caf\xe9\n", "notes.yml:1: error: cannot decode byte 0xe9 at offset 10 (not UTF-8)"),
    (b"one\ntwo\n\xff", "notes.yml:3: error: cannot decode byte 0xff at offset 8 (not UTF-8)"),
    (b"\xef\xbb\xbfone\n\x80", "notes.yml:2: error: cannot decode byte 0x80 at offset 7 (not UTF-8)"),
    ("utf-16 text".encode("utf-16"), "notes.yml:1: error: cannot decode byte 0xff at offset 0 (not UTF-8)"),
])
def test_text_must_be_utf8_and_is_named_at_its_byte(data: bytes, message: str | None) -> None:
    if message is None:
        assert decode_text(data, "notes.yml") == Decoded("ok\nline two\nthree", "utf-8-sig", [])
    else:
        assert refusal(lambda: decode_text(data, "notes.yml")) == message


def test_a_nul_byte_anywhere_in_a_seed_makes_it_binary() -> None:
    data = b"Title\n\n" + b"a" * 100_000 + b"\x00"
    assert refusal(lambda: decode_text(data, "seeds/x.txt", "seed", seed=True)) == (
        "seeds/x.txt: error: seed is a binary file, not text (a NUL byte at offset 100007)")


def test_a_seed_in_cp1252_is_read_with_a_warning_at_its_line() -> None:
    decoded = decode_text(b"Title\n\nCaf\xe9 \x93quoted\x94\n", "seeds/x.txt", "seed", seed=True)
    [note] = decoded.warnings
    assert (decoded.text, decoded.encoding) == ("Title\n\nCafé “quoted”\n", "cp1252")
    assert note.format().splitlines()[0] == "seeds/x.txt:3: warning: seed is not UTF-8; read it as Windows-1252 (cp1252)"


def test_a_folder_that_cannot_be_listed_is_an_error_not_an_empty_listing(tmp_path: Path) -> None:
    (tmp_path / "seeds").write_text("a file where a folder should be")
    with pytest.raises(FolderError) as caught:
        walk_folder(tmp_path / "seeds", tmp_path)
    assert caught.value.diagnostics[0].message == "seeds is not a folder"
    assert walk_folder(tmp_path / "missing", tmp_path) == []


def test_escaped_names_are_printable() -> None:
    assert escaped(os.fsdecode(b"seeds/\xff\xfe.txt")) == "seeds/\\xff\\xfe.txt"
    assert escaped("seeds/café.txt") == "seeds/café.txt"


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
YAML_REFUSED = [
    ("billion laughs", BILLION_LAUGHS, "x.yml:4: error: invalid YAML: its aliases repeat too many values"),
    ("merge keys", "a: &a {" + ", ".join(f"k{i}: v" for i in range(200)) + "}\n"
     + "".join(f"b{i}: {{<<: *a}}\n" for i in range(100)), "x.yml:"),
    ("long string repeated", f"s: &s {'x' * 20000}\nlist: [*s, *s]\n", "x.yml:2: error: invalid YAML: its aliases repeat"),
    ("self reference", "a: &a\n  - *a\n", "x.yml:1: error: invalid YAML: an alias refers to the value that contains it"),
    ("deep flow", "a: " + "[" * 100_000 + "]" * 100_000, "x.yml:1: error: invalid YAML: lists and mappings nested too deeply"),
    ("deep compact", "- " * 100_000 + "x", "x.yml:1: error: invalid YAML: lists and mappings nested too deeply"),
    ("deep braces", "a: " + "{b: " * 150 + "1" + "}" * 150, "x.yml:1: error: invalid YAML: lists and mappings nested"),
    ("bad month", "date: 2012-13-01\n", "x.yml:1: error: invalid YAML value: month must be in 1..12"),
    ("huge integer", "n: 1" + "0" * 5000 + "\n", "x.yml:1: error: invalid YAML value: Exceeds the limit (4300 digits)"),
    ("python tag", "x: !!python/object/apply:os.system ['true']\n",
     "x.yml:1:4: error: invalid YAML: could not determine a constructor"),
]


@pytest.mark.parametrize("text,message", [c[1:] for c in YAML_REFUSED], ids=[c[0] for c in YAML_REFUSED])
def test_hostile_yaml_is_refused_with_its_line(text: str, message: str) -> None:
    assert refusal(lambda: load_yaml(text, "x.yml")).startswith(message)


def test_a_few_aliases_are_fine() -> None:
    text = "common: &src [https://a.example, https://b.example]\nnotes:\n" + "  - sources: *src\n" * 50
    data = load_yaml(text, "x.yml")
    assert data["notes"][49]["sources"] == ["https://a.example", "https://b.example"]


def test_front_matter_that_json_cannot_nest_falls_back_to_yaml_limits() -> None:
    assert refusal(lambda: split("---\ntitle: " + "[" * 2000 + "]" * 2000 + "\n---\nBody\n", "p.md")) == (
        "p.md:2: error: invalid YAML: lists and mappings nested too deeply")


def test_deep_yaml_never_crashes_the_process() -> None:
    """libyaml's composer recurses in C: without the event check, this kills the interpreter."""
    code = "from site_gen.frontmatter import load_yaml\nfrom site_gen.diagnostics import InputError\n" \
           "try:\n    load_yaml('- ' * 400000 + 'x', 'x.yml')\nexcept InputError as e:\n    print(e)\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "nested too deeply" in run.stdout


@pytest.mark.parametrize("value,expected", [
    ("x" * 1000, "'" + "x" * 27 + "..." + "x" * 28 + "'"),
    (list(range(10**6)), "[0, 1, 2, 3, ...]"),
    ({"k": [[[["deep"]]]]}, "{'k': [[[...]]]}"),
])
def test_messages_show_values_cut_short_in_bounded_work(value: object, expected: str) -> None:
    assert shown(value) == expected and len(shown(value)) <= 60


def test_a_recursive_value_is_shown_without_recursing() -> None:
    value: list = []
    value.append(value)
    assert shown(value) == "[[[[...]]]]"


def test_every_folder_walk_refuses_a_link_out_of_its_boundary(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {"seeds/a.txt": "A"})
    write_tree(tmp_path, {"elsewhere/b.txt": "B"})
    (site / "seeds/sub").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FolderError) as caught:
        walk_folder(site / "seeds", site)
    assert caught.value.diagnostics[0].message == (
        f"the folder seeds/sub leads to {tmp_path / 'elsewhere'}, outside the site folder; nothing is built")


def test_the_preview_workbench_reads_notes_and_entries_through_the_same_reader(tmp_path: Path) -> None:
    """Live preview's annotation workbench edits notes files and glossary entries: a FIFO there is
    refused (never opened), a link out of the site is not followed, a YAML bomb is not built."""
    site = write_tree(tmp_path / "site", {"content/notes/bomb.yml": BILLION_LAUGHS})
    write_tree(tmp_path, {"secret.yml": "- quote: secret\n  note: ghp_secret\n"})
    os.mkfifo(site / "content/notes/fifo.yml")
    (site / "content/notes/out.yml").symlink_to(tmp_path / "secret.yml")
    problems = {}
    for name in ("fifo.yml", "out.yml", "bomb.yml"):
        path = site / "content/notes" / name
        with pytest.raises(files.Unusable) as caught:
            files.note_items(files.read_unchanged(path, files.digest(path), f"content/notes/{name}"), name)
        problems[name] = str(caught.value)
    assert problems == {
        "fifo.yml": "file is a FIFO (named pipe), not a regular file; it is not read: fix it in a text editor first",
        "out.yml": f"file is a link to {tmp_path / 'secret.yml'}, outside the site folder; it is not read: fix it in a "
                   "text editor first",
        "bomb.yml": "bomb.yml: invalid YAML: its aliases repeat too many values (a \"billion laughs\" document?) "
                    "(line 4): fix it in a text editor first"}
    assert files.entry_fields("---\nterm: X\n---\n", "x.md").term == "X"
