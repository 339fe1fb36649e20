"""`site-gen check`: broken links and anchors, missing glossary targets, notes, unused terms, dates."""

from __future__ import annotations

from site_gen.check import check_site
from site_gen.cli import main
from site_gen.config import load_config
from site_gen.pipeline import BuildOptions, build


def checked(site):
    return check_site(build(load_config(site), BuildOptions(write=False)))


def test_example_site_has_no_errors(example_site, capsys) -> None:
    assert main(["check", "--site", str(example_site)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("check: 0 errors, 3 warnings")
    assert "site.toml:4: warning: 'site.base_url' is empty" in out
    assert "glossary entry 'Waziristan' is not used in any article" in out


def test_broken_things_are_errors_with_file_and_line(tree, capsys) -> None:
    site = tree({
        "seeds/a.txt": "Alpha\n\nSomeone 1 May 2020\n\nAlpha text about Beta.\n",
        "content/notes/alpha.yml": "- quote: words that are not there at all\n  note: An orphan.\n",
        "content/pages/about.md": "---\ntitle: About\n---\nSee [gone](missing.md), [alpha](../articles/alpha.md#nowhere)\n"
                                  "and [a term](../glossary/nope.md).\n",
        "content/glossary/beta.md": "---\nterm: Beta\n---\nThe second letter.\n",
        "content/glossary/gamma.md": "---\nterm: Gamma\n---\nThe third letter.\n",
        "content/articles/undated.md": "---\ntitle: Undated\n---\nNo date here.\n",
    })
    found = checked(site)
    codes = sorted((d.code, d.severity.label) for d in found.items)
    assert codes == [
        ("broken-link", "error"), ("broken-link", "error"), ("broken-link", "warning"), ("broken-link", "warning"),
        ("missing-term", "error"), ("no-date", "warning"), ("orphan-note", "error"), ("unused-term", "warning"),
    ]
    anchor = next(d for d in found.items if "anchor #nowhere" in d.message)
    assert anchor.location.path == "public/about/index.html" and anchor.location.line > 1
    assert main(["check", "--site", str(site)]) == 1
    assert "check: 4 errors, 5 warnings" in capsys.readouterr().out


def test_strict_makes_warnings_fail(tree) -> None:
    site = tree({"content/articles/undated.md": "---\ntitle: Undated\n---\nNo date here.\n"})
    assert main(["check", "--site", str(site)]) == 0
    assert main(["check", "--strict", "--site", str(site)]) == 1


def test_check_writes_nothing(tree) -> None:
    site = tree({"content/articles/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nText.\n"})
    main(["check", "--site", str(site)])
    assert not (site / "public").exists()


def test_a_large_site_parsed_in_workers_reports_what_one_process_finds(tree) -> None:
    """Over 64 pages, the pages are parsed in worker processes: the same findings, in the same order."""
    site = tree({f"content/articles/a{n:02}.md": f"---\ntitle: A{n}\ndate: 2020-01-01\n---\n"
                                                 f"See [next](a{n + 1:02}.md#top) and [here](#p{n}).\n"
                 for n in range(80)})
    result = build(load_config(site), BuildOptions(write=False))
    found = [(d.location.path, d.message) for d in check_site(result).items]
    assert found == [(d.location.path, d.message) for d in check_site(result, jobs=1).items]
    anchors = {message for path, message in found if path.startswith("public/articles/")}
    assert {f"anchor #p{n} does not exist in articles/a{n:02}/index.html: #p{n}" for n in range(80)} <= anchors
    assert {f"anchor #top does not exist in articles/a{n:02}/index.html: ../a{n:02}/#top" for n in range(1, 80)} <= anchors
