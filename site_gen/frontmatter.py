"""YAML front matter: split it from a Markdown file, parse it with line numbers, write it back.

Also the guard that keeps the build from overwriting an editor's work: a generated file records the
hash of what was generated (``generated: <hash>``); if the file no longer hashes to that, an editor
changed it and it is theirs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import yaml

from .diagnostics import InputError, SourceLocation, error, shorten

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader (in C) when PyYAML was built with it, the pure-Python one otherwise."""
GENERATED_KEY = "generated"


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_line: int
    """1-based line of the file where the body starts."""


def split(text: str, path: str) -> FrontMatter:
    """Separate ``---``-fenced YAML front matter from the body; no front matter gives an empty mapping."""
    if not text.startswith("---"):
        return FrontMatter({}, text, 1)
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != "---":
        return FrontMatter({}, text, 1)
    closing = _FENCE.search(text, first_newline + 1)
    if closing is None:
        raise InputError(
            error("front matter is not closed", SourceLocation(path, 1), "end it with a line holding only ---")
        )
    yaml_text = text[first_newline + 1 : closing.start()]
    data = _simple(yaml_text)
    if data is None:
        data = load_yaml(yaml_text, path, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(error("front matter must be a mapping of keys to values", SourceLocation(path, 2)))
    body_start = text.find("\n", closing.end())
    body_start = len(text) if body_start < 0 else body_start + 1
    body_line = text.count("\n", 0, body_start) + 1
    return FrontMatter(data, text[body_start:], body_line)


_SIMPLE_LINE = re.compile(r'([A-Za-z_][\w-]*): ("(?:[^"\\]|\\.)*"|\[.*\]|[0-9a-f]{16})$')


def _simple(text: str) -> dict[str, Any] | None:
    """Front matter in the form the build writes (``key: "JSON string"``, ``key: ["list"]``, the
    ``generated:`` hash, comments), read without the YAML machinery; None for anything else.
    Those values mean the same in JSON and YAML, so the result is what YAML would give."""
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        match = _SIMPLE_LINE.match(line)
        if match is None or match.group(1) in data:
            return None
        key, value = match.groups()
        if key == GENERATED_KEY and value[0] not in '"[':
            data[key] = value
            continue
        try:
            parsed = json.loads(value)
        except (ValueError, RecursionError):
            return None
        if isinstance(parsed, list) and not all(isinstance(item, str) for item in parsed):
            return None
        data[key] = parsed
    return data


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML; a syntax error names the file and the line it is on."""
    return load_yaml_tree(text, path, first_line)[1]


def load_yaml_tree(text: str, path: str, first_line: int = 1) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (it knows each item's line) and its value, parsed once; a document
    nested too deeply, or whose aliases repeat too much (:func:`_check_nodes`), is refused before
    it is built. Errors name the file and the line."""
    with _yaml_errors(path, first_line):
        if sum(map(text.count, _NESTING)) > COMPOSE_SAFE_DEPTH:
            _check_events(text, path, first_line)
        loader = LOADER(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_nodes(node, path, first_line)
            return node, None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()


MAX_DEPTH = 100
"""How deeply lists and mappings may nest: front matter, sidecars and notes need a few levels."""
ALIAS_BUDGET = 10_000
"""How many values (and characters of text) aliases may add to a YAML document, written out: a few
notes sharing a source list need a handful; "billion laughs" asks for billions."""
COMPOSE_SAFE_DEPTH = 5_000
"""libyaml's composer recurses in C: a document with more places that could open a level than this
is first read event by event (no recursion) to check its depth."""
_NESTING = ("[", "{", "- ", "? ")


def _check_events(text: str, path: str, first_line: int) -> None:
    loader = LOADER(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    _refuse(event.start_mark.line, path, first_line, "lists and mappings nested too deeply")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, path: str, first_line: int) -> None:
    """Refuse a document nested deeper than :data:`MAX_DEPTH`, whose aliases would repeat more than
    :data:`ALIAS_BUDGET` values, or that contains itself; one walk of the node graph, each node once."""
    measured: dict[int, tuple[int, int]] = {}  # node -> (its size written out, its depth)
    own = 0  # the size of the distinct nodes: the document as written
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_nodes.discard(key)
            size = 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
            own += size
            parts = [measured[id(child)] for child in children]
            written = size + sum(part[0] for part in parts)
            depth = 1 + max((part[1] for part in parts), default=0)
            measured[key] = (written, depth)
            if depth > MAX_DEPTH:
                _refuse(node.start_mark.line, path, first_line, "lists and mappings nested too deeply")
            if written - own > ALIAS_BUDGET:
                _refuse(node.start_mark.line, path, first_line,
                        "its aliases repeat too many values (a \"billion laughs\" document?)")
            continue
        if key in measured:
            continue
        if key in open_nodes:
            _refuse(node.start_mark.line, path, first_line, "an alias refers to the value that contains it")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in measured)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _refuse(line: int, path: str, first_line: int, problem: str) -> None:
    raise InputError(error(f"invalid YAML: {problem}", SourceLocation(path, first_line + line),
                           f"write the values out plainly: at most {MAX_DEPTH} levels, and aliases (*name) "
                           f"repeating at most {ALIAS_BUDGET:,} values"))


@contextmanager
def _yaml_errors(path: str, first_line: int) -> Iterator[None]:
    """YAML's errors, and the ``ValueError`` its constructors raise (a date like 2012-13-45), as
    :class:`InputError` naming the file and line."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        column = mark.column + 1 if mark else 0
        problem = shorten(exc.problem or str(exc), 120)
        raise InputError(
            error(f"invalid YAML: {problem}", SourceLocation(path, line, column),
                  "check indentation, and quote values that contain ':' or start with a special character")
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(error(f"invalid YAML: {shorten(str(exc), 120)}", SourceLocation(path, first_line))) from None
    except (ValueError, OverflowError, TypeError) as exc:
        raise InputError(error(f"invalid YAML value: {shorten(str(exc), 120)}", SourceLocation(path, first_line),
                               "quote the value to keep it as text, e.g. date: \"2012-13-45\"")) from None
    except RecursionError:
        raise InputError(error("invalid YAML: nested too deeply", SourceLocation(path, first_line),
                               "a few levels of lists and mappings are all site-gen reads")) from None


def key_line(text: str, key: str, first_line: int = 1) -> int:
    """The line a top-level YAML key is written on (for messages about its value)."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return first_line + text.count("\n", 0, match.start()) if match else first_line


def join(data: dict[str, Any], body: str, comment: str = "") -> str:
    """Front matter and body as one file; values are written as JSON scalars and lists (valid YAML)."""
    lines = ["---"]
    if comment:
        lines.extend(f"# {line}" for line in comment.splitlines())
    for key, value in data.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def content_hash(text: str) -> str:
    """A short hash of a generated file with its ``generated:`` line left out."""
    return hashlib.sha256(_without_generated_line(text).encode("utf-8")).hexdigest()[:16]


def _without_generated_line(text: str) -> str:
    """``text`` without its first line that starts ``generated: ``: what the regex
    ``^generated: .*\\n`` (multiline) removes, found with ``str.find``: the regex would be tried
    at every position of every article."""
    prefix = f"{GENERATED_KEY}: "
    if text.startswith(prefix):
        start = 0
    else:
        start = text.find("\n" + prefix) + 1
        if not start:
            return text
    end = text.find("\n", start)
    return text if end < 0 else text[:start] + text[end + 1:]


def stamp(text: str) -> str:
    """Add the ``generated:`` hash line after the opening fence of a generated file."""
    assert text.startswith("---\n")
    return f"---\n{GENERATED_KEY}: {content_hash(text)}\n" + text[4:]


def is_pristine(text: str) -> bool:
    """True when the file is exactly as the build generated it (safe to regenerate)."""
    recorded = recorded_hash(text)
    return bool(recorded) and recorded == content_hash(text)


def recorded_hash(text: str) -> str:
    match = re.search(rf"^{GENERATED_KEY}: ([0-9a-f]+)$", text, re.MULTILINE)
    return match.group(1) if match else ""
