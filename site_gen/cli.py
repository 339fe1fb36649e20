"""The command line: ``site-gen [build|serve|check|init|epub]``. The only module that prints or exits.

Exit status: 0 success, 1 when any error was reported, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import errno
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import CONFIG_FILE, SiteConfig, base_url_warnings, load_config, with_options
from .diagnostics import ConfigError, Diagnostics, InternalError, Severity, SiteGenError, error, shorten
from .fingerprint import unchanged
from .options import BuildOptions, output_dir, regenerate_paths
from .reading import escaped

if TYPE_CHECKING:
    from .pipeline import BuildResult

COMMANDS = ("build", "init", "serve", "check", "epub")


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and not args_list[0].startswith("-") and args_list[0] not in COMMANDS:
        print(_unknown_command(args_list[0]), file=sys.stderr)
        return 2
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    parser = _parser()
    args = parser.parse_args(args_list)
    try:
        return args.run(args)
    except SiteGenError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {escaped(str(exc))}", file=sys.stderr)
        return 1
    except InternalError as exc:
        print(_bug_report(exc.cause, exc.path, exc.stage), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line, never a traceback
        print(_bug_report(f"{type(exc).__name__}: {shorten(str(exc))}"), file=sys.stderr)
        return 1


def _bug_report(cause: str, path: str = "", stage: str = "") -> str:
    """The one line an unexpected exception becomes: the file (or stage) it happened on, what it
    was, and a request to report it."""
    where = f"{escaped(path)}: error: site-gen failed on this file" if path else "error: site-gen failed"
    stage = f" in the {stage} stage" if stage else ""
    return f"{where}{stage} ({escaped(cause)}); this is a bug in site-gen: please report it with this line and the file"


def _unknown_command(word: str) -> str:
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    return f"error: unknown command '{word}'{guess}\n  hint: the commands are {', '.join(COMMANDS)} (site-gen --help)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-gen",
        description="Turn plain-text articles (seeds) into an annotated, searchable static site.",
    )
    parser.add_argument("--version", action="version", version=f"site-gen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_parser = commands.add_parser("build", help="build the site (the default command)",
                                       description="Annotate the seeds into content/ and build the site.")
    _site_options(build_parser)
    build_parser.add_argument("--regenerate", action="append", default=[], metavar="FILE",
                              help="overwrite this hand-edited, generated content/articles/*.md file with a fresh "
                                   "one (repeatable; 'all' for every one); a hand-written article is never overwritten")
    build_parser.add_argument("--force", action="store_true",
                              help="build even if nothing changed since the last build")
    build_parser.set_defaults(run=_run_build)

    serve_parser = commands.add_parser(
        "serve", help="build, serve on 127.0.0.1 and rebuild on every save (live preview)",
        description="Build the site, serve it, watch seeds/, content/, themes/ and site.toml, rebuild what "
                    "a save affects and make open browser tabs reload by themselves.")
    _site_option(serve_parser)
    _out_option(serve_parser)
    serve_parser.add_argument("--host", default=None, help="address to listen on (default: [serve] host, 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=None, help="port (default: [serve] port, 8000; 0: any free)")
    serve_parser.add_argument("--quiet", action="store_true", help="print only problems")
    serve_parser.add_argument("--allow-edits", action="store_true",
                              help="let the browser write notes and glossary entries although --host is not a loopback "
                                   "address (anyone who can reach it can then change the site)")
    serve_parser.set_defaults(run=_run_serve)

    check_parser = commands.add_parser(
        "check", help="report broken links and anchors, orphaned notes, unused terms...",
        description="Build the site in memory (nothing is written) and report what is broken or doubtful, "
                    "each with its file and line. Exit status 1 when anything is broken.")
    _site_option(check_parser)
    check_parser.add_argument("--strict", action="store_true", help="warnings count as errors too")
    check_parser.set_defaults(run=_run_check)

    epub_parser = commands.add_parser(
        "epub", help="write the edition (or one tag's articles) as an EPUB book",
        description="Build the site in memory and write its articles, oldest first, as an EPUB 3 book with the "
                    "notes as footnotes and the glossary at the end.")
    _site_option(epub_parser)
    epub_parser.add_argument("--tag", default=None, help="only the articles with this tag (default: [epub] tag; "
                                                          "the whole edition)")
    epub_parser.add_argument("--out", type=Path, default=None, metavar="FILE",
                             help="where to write the book (default: the site's title as FILE.epub, in the current folder)")
    epub_parser.set_defaults(run=_run_epub)

    init_parser = commands.add_parser("init", help="create a new site folder",
                                      description="Create a site folder that builds as it is.")
    init_parser.add_argument("directory", type=Path, help="the folder to create (must be empty or absent)")
    init_parser.set_defaults(run=_run_init)
    return parser


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder, holding site.toml, seeds/ and content/ (default: here)")


def _out_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="where to write the site (default: public/ in the site folder)")


def _site_options(parser: argparse.ArgumentParser) -> None:
    _site_option(parser)
    _out_option(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--quiet", action="store_true", help="print only errors and warnings")


def _site_folder(site: Path) -> Path:
    """``--site``, checked to be a site folder: building anywhere else would create ``content/`` and
    ``public/`` in a folder that holds something else, or in a folder made up by a typo."""
    if not site.is_dir():
        what = "does not exist" if not site.exists() else "is not a folder"
        raise ConfigError(error(f"--site {site}: the site folder {what}",
                                hint="pass the folder holding site.toml, seeds/ and content/; "
                                     "site-gen init DIR creates a new one"))
    if not any((site / name).exists() for name in (CONFIG_FILE, "seeds", "content")):
        raise ConfigError(error(f"--site {site}: not a site folder (it holds no {CONFIG_FILE}, seeds/ or content/)",
                                hint="run site-gen in a site folder or pass --site DIR; "
                                     "site-gen init DIR creates a new one"))
    return site


def _run_build(args: argparse.Namespace) -> int:
    config = load_config(_site_folder(args.site))
    regenerate = regenerate_paths(args.site, args.regenerate)
    started = time.perf_counter()
    options = BuildOptions(out=args.out, strict=args.strict, regenerate=regenerate, reuse=not args.force)
    settings = Diagnostics(base_url_warnings(config))
    if args.strict:
        settings = settings.strict()
    previous, inputs = (None, None) if args.force else unchanged(config, options)
    if previous is not None:
        return _report_up_to_date(Diagnostics([*settings.items, *previous]), options, config,
                                  time.perf_counter() - started, args.quiet)
    from .pipeline import build  # the stages (markdown-it, Jinja2, the search index) only when there is work

    progress = _ProgressBar() if sys.stderr.isatty() and not args.quiet else None
    result = build(config, dataclasses.replace(options, progress=progress, fingerprints=inputs))
    if progress:
        progress.clear()
    diagnostics = Diagnostics([*settings.items, *result.diagnostics.items])
    _report(result, diagnostics, time.perf_counter() - started, args.quiet)
    return 0 if diagnostics.errors == 0 else 1


def _report(result: BuildResult, diagnostics: Diagnostics, seconds: float, quiet: bool) -> None:
    """The build's ``diagnostics`` (its own and the settings'), then one summary line."""
    text = diagnostics.format(Severity.WARNING)
    if text:
        print(text, file=sys.stderr)
    if quiet and diagnostics.errors == 0:
        return
    site = result.site
    notes = sum(len(item.anchored_notes) for item in result.annotated)
    pages = len(site.articles) + len(site.pages) if site else 0
    where = f" -> {result.out}" if result.out else ""
    footers = sum(1 for d in diagnostics.items if d.code == "footer")
    dropped = f"{footers} site footers dropped (site-gen check lists them); " if footers else ""
    print(
        f"{pages} pages, {len(site.glossary.entries) if site else 0} glossary entries, {notes} notes; "
        f"{diagnostics.warnings} warnings, {diagnostics.errors} errors; {dropped}{seconds:.2f} s{where}",
        file=sys.stderr if quiet else sys.stdout,
    )


def _report_up_to_date(diagnostics: Diagnostics, options: BuildOptions, config: SiteConfig, seconds: float,
                       quiet: bool) -> int:
    """Nothing was built: the last build's problems again, and its exit status."""
    text = diagnostics.format(Severity.WARNING)
    if text:
        print(text, file=sys.stderr)
    if not quiet or diagnostics.errors:
        print(f"up to date: nothing changed since the last build ({diagnostics.warnings} warnings, "
              f"{diagnostics.errors} errors); {seconds:.2f} s -> {output_dir(config, options)}",
              file=sys.stderr if quiet else sys.stdout)
    return 0 if diagnostics.errors == 0 else 1


class _ProgressBar:
    """A one-line progress bar on the terminal, drawn only for builds long enough to need it."""

    MIN_ITEMS = 200
    WIDTH = 30

    def __init__(self) -> None:
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < self.MIN_ITEMS or (done % 50 and done != total):
            return
        filled = self.WIDTH * done // total
        sys.stderr.write(f"\r{stage:>9} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            sys.stderr.write("\r" + " " * (self.WIDTH + 30) + "\r")


def _run_check(args: argparse.Namespace) -> int:
    from .check import check_site, summary
    from .pipeline import build

    config = load_config(_site_folder(args.site))
    result = build(config, BuildOptions(write=False))
    found = check_site(result, config.search.shard_budget_kb)
    found = Diagnostics([*base_url_warnings(config), *found.items])
    if args.strict:
        found = found.strict()
    text = found.format(Severity.INFO)  # the site footers dropped are listed too
    if text:
        print(text)
    print(summary(found))
    return 1 if found.errors else 0


def _run_epub(args: argparse.Namespace) -> int:
    from .epub import book_name, chosen_articles, make_epub, write_book
    from .pipeline import build

    config = load_config(args.site)
    tag = config.epub.tag if args.tag is None else args.tag
    out = args.out or Path(book_name(config.site, tag))
    result = build(config, BuildOptions(write=False))
    text = result.diagnostics.format(Severity.WARNING)
    if text:
        print(text, file=sys.stderr)
    if result.site is None:
        return 1
    chapters = chosen_articles(result.site, tag)
    if not result.site.articles:
        print("error: the edition has no article to put in a book", file=sys.stderr)
        return 1
    if chapters is None:
        print(f"error: no article has the tag {tag!r}", file=sys.stderr)
        print(f"  hint: tags in this edition: {', '.join(tag.name for tag in result.site.tags.values()) or 'none'}",
              file=sys.stderr)
        return 1
    write_book(out, make_epub(result.site, result.build_date, tag))
    print(f"{len(chapters)} chapters; {result.diagnostics.warnings} warnings, {result.diagnostics.errors} errors -> {out}")
    return 0 if result.ok else 1


def _run_serve(args: argparse.Namespace) -> int:
    from .serve.server import is_loopback
    from .serve.session import PreviewSession, Reports

    config = with_options(load_config(_site_folder(args.site)),
                          {"serve.host": (args.host, "--host"), "serve.port": (args.port, "--port")})
    host, port = config.serve.host, config.serve.port
    loopback = is_loopback(host)
    if not loopback:
        print(f"warning: listening on {host}: anyone who can reach this machine can read the preview"
              + (" and change the site (--allow-edits)" if args.allow_edits else
                 "; annotating in the browser is off (--allow-edits turns it on)"), file=sys.stderr)
    quiet = args.quiet
    try:
        reports = Reports(status=lambda line: None if quiet else print(line, flush=True),
                          problems=lambda text: print(text, file=sys.stderr, flush=True))
        session = PreviewSession(args.site, host, port, args.out, reports, edits=loopback or args.allow_edits)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(f"error: port {port} on {host} is in use (by another server, or another site-gen serve)\n"
              f"  hint: {_free_port_hint(host, port)}", file=sys.stderr)
        return 1
    session.start()
    try:
        print(f"Serving {session.out} at {session.url} (Ctrl-C to stop)", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping...", flush=True)
    finally:
        session.stop()
    return 0


def _free_port_hint(host: str, port: int) -> str:
    """What to run instead: the next port that is free now, or ``--port 0`` (any free port)."""
    for candidate in range(port + 1, min(port + 50, 65536)):
        try:
            with socket.create_server((host, candidate), family=socket.AF_INET6 if ":" in host else socket.AF_INET):
                return f"use the next free one, --port {candidate}, or let the system choose: --port 0"
        except OSError:
            continue
    return "let the system choose a free port: --port 0"


def _run_init(args: argparse.Namespace) -> int:
    from .scaffold import create_site

    create_site(args.directory)
    print(f"Created a site in {args.directory}. Build it with: site-gen build --site {args.directory}")
    return 0
