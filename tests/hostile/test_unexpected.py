"""No traceback ever reaches the user: an unexpected exception (a bug in site-gen, which these tests
plant) becomes one line naming the file being processed, or the stage, asking for a bug report, and
the exit status is 1."""

from __future__ import annotations

import pickle

import pytest

import site_gen.annotate.documents
import site_gen.pages
import site_gen.pipeline
import site_gen.render
import site_gen.sources
from site_gen.cli import main
from site_gen.diagnostics import InternalError, unexpected

SEEDS = {"seeds/a.txt": "First\n\nBody one.\n", "seeds/b.txt": "Second\n\nBody two.\n",
         "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n"}


def bug(name: str):
    def planted(*args, **kwargs):
        raise ValueError(f"a planted bug in {name}")
    return planted


def only_for(name: str, real, matches):
    def planted(first, *args, **kwargs):
        if matches(first):
            raise RecursionError("maximum recursion depth exceeded")
        return real(first, *args, **kwargs)
    return planted


@pytest.mark.parametrize("module,target,planted,line", [
    (site_gen.sources, "parse_seed", lambda real: only_for("parse", real, lambda seed: seed.path == "seeds/b.txt"),
     "seeds/b.txt: error: site-gen failed on this file in the read stage (RecursionError: maximum recursion depth "
     "exceeded); this is a bug in site-gen: please report it with this line and the file"),
    (site_gen.annotate.documents, "annotate",
     lambda real: only_for("annotate", real, lambda document: document.meta.seed == "seeds/a.txt"),
     "seeds/a.txt: error: site-gen failed on this file in the annotate stage (RecursionError: maximum recursion depth "
     "exceeded); this is a bug in site-gen: please report it with this line and the file"),
    (site_gen.pages, "render_page", lambda real: lambda markdown, file, *rest: (_ for _ in ()).throw(MemoryError())
     if file.path.endswith("about.md") else real(markdown, file, *rest),
     "content/pages/about.md: error: site-gen failed on this file in the markdown stage (MemoryError); this is a bug "
     "in site-gen: please report it with this line and the file"),
    (site_gen.pipeline, "render_site", lambda real: bug("render_site"),
     "error: site-gen failed in the templates stage (ValueError: a planted bug in render_site); this is a bug in "
     "site-gen: please report it with this line and the file"),
], ids=["parse", "annotate", "markdown", "templates"])
def test_a_bug_is_one_line_naming_the_file_or_stage(tree, capsys, monkeypatch, module, target: str, planted,
                                                    line: str) -> None:
    site = tree(SEEDS)
    monkeypatch.setattr(module, target, planted(getattr(module, target)))
    assert main(["build", "--force", "--site", str(site)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line]
    assert "Traceback" not in captured.out + captured.err


def test_a_bug_outside_any_stage_is_one_line_too(tree, capsys, monkeypatch) -> None:
    site = tree(SEEDS)
    monkeypatch.setattr(site_gen.pipeline, "load_theme", bug("load_theme"))
    assert main(["build", "--force", "--site", str(site)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: site-gen failed (ValueError: a planted bug in load_theme); this is a bug in site-gen: please report it "
        "with this line and the file"]


def test_a_bug_in_a_worker_process_names_its_file(tree, capsys, monkeypatch) -> None:
    """Rendering 80 pages uses worker processes: the file's name comes back with the exception."""
    site = tree({f"seeds/s{n:02}.txt": f"Seed {n}\n\nBody {n}.\n" for n in range(80)})
    real = site_gen.pages.render_page
    monkeypatch.setattr(site_gen.pages, "render_page", lambda markdown, file, *rest: (
        (_ for _ in ()).throw(KeyError("boom")) if file.path.endswith("seed-42.md") else real(markdown, file, *rest)))
    assert main(["build", "--force", "--site", str(site)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("content/articles/seed-42.md: error: site-gen failed on this file in the markdown stage "
                           "(KeyError: 'boom')")


def test_an_internal_error_survives_pickling_and_keeps_the_innermost_file() -> None:
    error = unexpected(ValueError("x" * 500), "seeds/a.txt")
    again = pickle.loads(pickle.dumps(error))
    assert (again.path, again.stage) == ("seeds/a.txt", "")
    assert len(again.cause) <= 80
    assert unexpected(again, "content/articles/a.md", "annotate").path == "seeds/a.txt"
    assert isinstance(unexpected(again, stage="read"), InternalError)
