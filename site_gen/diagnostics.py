"""Problems found in the input, reported compiler-style (``path:line:col: error: message``).

Library code records a :class:`Diagnostic` (or raises a :class:`SiteGenError` carrying some) and
carries on; only the command line prints them and chooses the exit status.
"""

from __future__ import annotations

import enum
import reprlib
from collections import Counter
from dataclasses import dataclass, field

from .record import record


class Severity(enum.IntEnum):
    """How bad a problem is; ``--strict`` promotes warnings to errors."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@record(order=True)
class SourceLocation:
    """A place in an input file, relative to the site folder; line and column are 1-based, 0 = unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = self.path
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@record
class Diagnostic:
    """One reported problem: what, where, and how to fix it."""

    severity: Severity
    message: str
    location: SourceLocation | None = None
    hint: str = ""
    code: str = ""
    """A short stable identifier ("orphan-note", "crossref-missing") used by ``check`` and tests."""

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.label}: {self.message}"
        if self.hint:
            text += "\n  hint: " + self.hint.replace("\n", "\n        ")
        return text

    def promoted(self) -> Diagnostic:
        """The same problem as an error (for ``--strict``)."""
        if self.severity != Severity.WARNING:
            return self
        return Diagnostic(Severity.ERROR, self.message, self.location, self.hint, self.code)


def error(message: str, location: SourceLocation | None = None, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, message, location, hint, code)


def warning(message: str, location: SourceLocation | None = None, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, location, hint, code)


def info(message: str, location: SourceLocation | None = None, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(Severity.INFO, message, location, hint, code)


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics with counts; the one mutable sink a build writes to."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.items if d.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    def strict(self) -> Diagnostics:
        return Diagnostics([d.promoted() for d in self.items])

    def sorted(self) -> list[Diagnostic]:
        """Deterministic order: by file, then line, then severity (errors last, nearest the summary)."""
        return sorted(
            self.items,
            key=lambda d: (d.location or SourceLocation(""), d.severity, d.message),
        )

    def format(self, min_severity: Severity = Severity.WARNING) -> str:
        """All diagnostics at or above ``min_severity``; repeats of one message collapse into a count."""
        shown = [d for d in self.sorted() if d.severity >= min_severity]
        repeats = Counter(d.format() for d in shown)
        lines: list[str] = []
        for text in dict.fromkeys(d.format() for d in shown):
            suffix = f" (x{repeats[text]})" if repeats[text] > 1 else ""
            lines.append(text + suffix)
        return "\n".join(lines)


class SiteGenError(Exception):
    """An input problem that stops a stage; carries the diagnostics that explain it."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        self.diagnostics = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self) -> tuple:
        """Pickled with its diagnostics (it comes back from worker processes), not its message."""
        return type(self), (self.diagnostics,)


class FolderError(SiteGenError):
    """An input folder cannot be listed (unreadable, or a link out of the site): nothing is built, so
    nothing made from the files it holds is deleted."""


class ConfigError(SiteGenError):
    """``site.toml`` or a ``theme.toml`` is invalid: nothing can be built."""


class InputError(SiteGenError):
    """One input file (seed, glossary entry, note file) cannot be used; the rest still builds."""


class TemplateError(SiteGenError):
    """A theme template is missing or broken."""


class InternalError(Exception):
    """An unexpected exception (a bug in site-gen) while processing one input file (``path``) in
    one stage: the command line names them and asks for a bug report instead of showing a traceback."""

    def __init__(self, cause: str, path: str = "", stage: str = ""):
        self.cause = cause
        self.path = path
        self.stage = stage
        super().__init__(f"{path or stage}: {cause}")

    def __reduce__(self) -> tuple:
        return type(self), (self.cause, self.path, self.stage)


def unexpected(exc: BaseException, path: str = "", stage: str = "") -> InternalError:
    """``exc`` as an :class:`InternalError` naming the file (``path``) or ``stage`` it happened in;
    one that already names them keeps them (the innermost boundary knows best)."""
    if isinstance(exc, InternalError):
        return InternalError(exc.cause, exc.path or path, exc.stage or stage)
    return InternalError(f"{type(exc).__name__}: {shorten(str(exc))}" if str(exc) else type(exc).__name__, path, stage)


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4
_SHORT.maxlevel = 3


def shown(value: object, width: int = 60) -> str:
    """``value`` as a message shows it: its ``repr``, cut to about ``width`` characters, in work
    bounded by that width whatever the value holds (a YAML alias can make a value that is huge
    written out, or refers to itself)."""
    return shorten(_SHORT.repr(value), width)


def shorten(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"
