"""``PreviewSession``: one build at a time, changes that arrive mid-build coalesced into the next.

After a good build the changed files are written in place and browsers are told to reload; the
search index is rebuilt once saving pauses, without holding any reload back (a new save abandons
it). A build that fails, or finds an error the published one did not have (a broken notes file, a
glossary clash), is not published: the last good pages stay, so nothing the error touches vanishes
from the page the editor reads, and browsers show the problem over it until a save fixes it.
The terminal gets each build's new problems, as ``site-gen build`` prints them.
"""

from __future__ import annotations

import dataclasses
import gc
import queue
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from ..cache import BuildCache
from ..config import CONFIG_FILE, load_config
from ..diagnostics import Diagnostic, Severity, SiteGenError, error
from ..inputs import InputTracker
from ..output import check_output_dir, update_output
from ..pipeline import BuildOptions, BuildResult, build, output_dir, refresh_search
from ..record import record
from ..seeds import SEEDS_DIR
from ..theme import load_theme
from .problems import Shown, new_problems, overlay, told
from .server import PreviewServer, PreviewState
from .watcher import Watcher
from .workbench import Workbench

Report = Callable[[str], None]


@record
class Reports:
    """Where a session's words go: ``status`` lines (built, rebuilt, serving), and each build's new
    warnings and errors (``problems``; default: with the status lines)."""

    status: Report = print
    problems: Report | None = None

SEARCH_DELAY = 0.4
"""Seconds without a new save before the search index is rebuilt (it can be abandoned midway too)."""
SETTLE_DELAY = 0.05
"""Seconds without a new save, after a rebuild, before the garbage collector runs again."""


class PreviewSession:
    def __init__(self, root: Path, host: str, port: int, out: Path | None = None, reports: Reports = Reports(),
                 edits: bool = False):
        """``edits``: whether browsers may write notes and glossary entries (the annotation workbench)."""
        self.root = root.resolve()
        self.config = load_config(self.root)
        self.options = BuildOptions(out=out, in_place=True, search=False)
        self.out = output_dir(self.config, self.options).resolve()
        check_output_dir(self.out, self.root)
        self.report = reports.status
        self.report_problems = reports.problems or reports.status
        self.cache = BuildCache()
        self.inputs = InputTracker(watching=True)
        """What the watcher reported, and the output on disk, between builds."""
        self.state = PreviewState()
        workbench = Workbench(self.root, lambda: self.shown) if edits else None
        self.server = PreviewServer((host, port), self.out, self.state, workbench, self.report_problems)
        self.changes: queue.Queue[set[str] | None] = queue.Queue()
        self.generated: dict[str, str] = {}
        """content/articles files the builds wrote, and their text: their events are the builds' own."""
        self.latencies: list[float] = []
        self.shown = Shown()
        """The published build's pages: what the browsers show."""
        self.published_errors: set[str] = set()
        """The errors of the published build: a build with any other error is not published."""
        self.told: set[str] = set()
        """The problems of the last build, as the terminal showed them."""
        self.worker = threading.Thread(target=self._work, name="site-gen-builder", daemon=True)
        self.server_thread = threading.Thread(target=self.server.serve_forever, name="site-gen-server", daemon=True)
        self.lost_events = threading.Event()
        """Set when the kernel dropped file events: the next rebuild trusts no file's last stat."""
        self.watcher = Watcher(self.root, self._theme_folders(), [self.out, self.root / ".cache"], self.changes.put,
                               self._events_lost)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def _theme_folders(self) -> list[Path]:
        """The theme's folders outside the site (the site's own ``themes/`` is watched anyway)."""
        try:
            theme_folders = list(load_theme(self.config).folders)
        except SiteGenError:
            theme_folders = []
        return [f for f in theme_folders if self.root not in f.resolve().parents]

    def start(self) -> None:
        self._rebuild(set(), first=True)
        _settle_heap()
        self.server_thread.start()
        self.worker.start()
        self.watcher.start()

    def stop(self) -> None:
        """Stop watching, building and serving; returns when every thread has finished."""
        self.watcher.stop()
        self.changes.put(None)
        self.worker.join()
        gc.enable()
        self.state.close()
        self.server.shutdown()
        self.server.server_close()
        self.server_thread.join()

    def _work(self) -> None:
        stale_search: BuildResult | None = None
        unsettled = False  # the collector is paused until saving pauses (see _settle_heap)
        theme_changed = False  # since the last settling
        while True:
            try:
                batch = self._next_batch(SETTLE_DELAY if unsettled else SEARCH_DELAY if stale_search else None)
            except queue.Empty:
                if unsettled:
                    _settle_heap(whole=theme_changed)
                    unsettled = theme_changed = False
                else:
                    self._refresh_search(stale_search)
                    stale_search = None
                continue
            if batch is None:
                return
            batch = {path for path in batch if not self._is_own_write(path)}
            rescan = self.lost_events.is_set()
            if rescan:
                self.lost_events.clear()
                self.inputs.forget_stats()
            if batch or rescan:
                gc.disable()
                unsettled = True
                theme_changed = theme_changed or rescan or not self._content_only(batch)
                stale_search = self._rebuild(batch, rescan=rescan) or stale_search

    def _next_batch(self, timeout: float | None) -> set[str] | None:
        """Every change reported so far, merged (waiting up to ``timeout`` for the first; raises
        ``queue.Empty`` when none came); None when the session is stopping."""
        batch = self.changes.get(timeout=timeout)
        while batch is not None:
            try:
                more = self.changes.get_nowait()
            except queue.Empty:
                return batch
            batch = None if more is None else batch | more
        return None

    def _events_lost(self) -> None:
        self.lost_events.set()
        self.changes.put(set())

    def _content_only(self, paths: set[str]) -> bool:
        """The changes are to seeds and content files (not templates, assets or settings)."""
        folders = (self.root / SEEDS_DIR, self.root / "content")
        return all(any(Path(path).is_relative_to(folder) for folder in folders) for path in paths)

    def _is_own_write(self, path: str) -> bool:
        """An event for a content/articles file the build itself just wrote (not an editor's save)."""
        expected = self.generated.get(path)
        if expected is None:
            return False
        try:
            return Path(path).read_text(encoding="utf-8") == expected
        except OSError:
            return False

    def _rebuild(self, changed: set[str], first: bool = False, rescan: bool = False) -> BuildResult | None:
        """Build, and publish unless the build has an error the published one had not; returns the
        result when its search index still has to be refreshed."""
        started = time.perf_counter()
        self.inputs.invalidate(sorted(changed))
        if rescan or any(Path(p).name == CONFIG_FILE for p in changed):
            try:
                self.config = load_config(self.root)
            except SiteGenError as exc:
                self._failed(exc.diagnostics)
                return None
        options = dataclasses.replace(self.options, search=first, in_place=not first, write=first)
        try:
            with self.state.write_lock if first else nullcontext():
                result = build(self.config, options, self.cache, self.inputs)
        except SiteGenError as exc:
            self._failed(exc.diagnostics)
            return None
        except Exception as exc:
            self._failed([_internal(exc)])
            return None
        self.generated.update(result.written)
        items = result.diagnostics.items
        errors = {d.format() for d in items if d.severity >= Severity.ERROR}
        held = not first and not errors <= self.published_errors
        if not held:
            self._publish(result, first)
            self.published_errors = errors
        self.state.publish(overlay(items, self.shown, held), reload=not held)
        latency = time.perf_counter() - started
        self.latencies.append(latency)
        self._tell(items)
        counts = f"{result.diagnostics.warnings} warnings, {result.diagnostics.errors} errors"
        if first:
            self.report(f"built in {latency:.2f} s: {counts}")
        else:
            lost = "file events were lost, every file looked at again; " if rescan else ""
            kept = "; not published: the pages show the last good version until it is fixed" if held else ""
            self.report(f"rebuilt in {latency * 1000:.0f} ms ({lost}{len(changed)} changed): {counts}{kept}")
        return None if first or held else result

    def _publish(self, result: BuildResult, first: bool) -> None:
        """Make ``result`` what the browsers get (the first build has written its output already)."""
        if not first:
            with self.state.write_lock:
                update_output(self.out, result.outputs, self.inputs.outputs)
                self.inputs.outputs = {f.path: f.data for f in result.outputs}
        self.shown = Shown(result)

    def _tell(self, diagnostics: list[Diagnostic], failed: bool = False) -> None:
        """Print the problems the last build had not (as ``site-gen build`` prints them). A build
        that ``failed`` adds its problems to those told: the next one's are new only if they are."""
        text = new_problems(diagnostics, self.told)
        if text:
            self.report_problems(text)
        now = told(diagnostics)
        self.told = self.told | now if failed else now

    def _refresh_search(self, result: BuildResult) -> None:
        """Rebuild the search index after the reload; pages do not change with it (its manifest keeps
        its name), so browsers need not reload again."""
        search = refresh_search(self.config, result, self.cache, self.inputs, should_stop=lambda: not self.changes.empty())
        if search is None:
            return
        old = {f.path: f.data for f in result.search.files} if result.search else {}
        with self.state.write_lock:
            update_output(self.out, list(search.files), old)
            for path in old:
                self.inputs.outputs.pop(path, None)
            self.inputs.outputs.update({f.path: f.data for f in search.files})

    def _failed(self, diagnostics: list[Diagnostic]) -> None:
        """Nothing could be built (settings, templates): the last good pages stay."""
        self.state.publish(overlay(diagnostics, self.shown, held=True), reload=False)
        self._tell(diagnostics, failed=True)
        self.report("not built: the pages show the last good version until it is fixed")


def _settle_heap(whole: bool = False) -> None:
    """Collect the rebuilds' garbage cycles, freeze what lives on (the cache) out of later scans, and
    let the collector run again. Rebuilds run with the collector paused, and this waits until saving
    pauses: on a large site a collection during a rebuild, or while the reload event is being sent,
    would delay the reload.

    ``whole``: a template, asset or settings change replaced objects that were frozen and live in
    reference cycles (the template environment, which a frozen heap would keep for good), so the
    heap is unfrozen and collected whole first; that is slow on a large site, so only then."""
    if whole:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.enable()


def _internal(exc: Exception) -> Diagnostic:
    return error(f"internal error while building: {type(exc).__name__}: {exc}",
                 hint="the previous site is still served; please report this with the file you changed")
