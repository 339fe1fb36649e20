"""Stable passage ids: every paragraph, heading, list item and block quote of an article gets an id
that a link can point at, and keeps it while the text is revised.

An id is made from the passage's own words (a heading's slug, or ``p-`` and a short hash of a
paragraph's first words), so edits elsewhere never move it. The ids a build gave are recorded (see
:mod:`site_gen.passage_records`); the next build matches its passages against that record, so a
passage that was only lightly edited keeps its id, and the id of a passage that is gone is
*retired*: it leads to the nearest passage that survived. Everything here is pure and deterministic:
the same passages and record always give the same ids and the same new record.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from difflib import SequenceMatcher
from json.encoder import encode_basestring

from rapidfuzz.fuzz import ratio

from .model import PassageIds
from .record import record
from .text import normalise_typography, slugify, words

KINDS = ("paragraph", "heading", "item", "quote")
"""What a passage can be: a paragraph, a heading, a list item or a block quote."""
HEAD_CHARS = 60
"""A paragraph's id hashes this many characters of its normalised text (its first words)."""
FINGERPRINT_CHARS = 60
"""The record keeps this many characters of a passage's start and of its end, to recognise it."""
LIGHT_EDIT = 0.75
"""Similarity (0-1) of a passage to a recorded one, above which it was only lightly edited and keeps the id."""
RESERVED = frozenset({"main", "popover", "notes-heading", "toc-heading", "terms-heading", "cite", "cite-heading",
                      "cite-chicago", "cite-apa",
                      "search-input", "search-results"})
"""Ids the theme's templates use on an article page: a heading never takes one of them."""
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
"""RFC 4648's base32 alphabet, lower-cased: a paragraph id's six characters are its hash's first 30 bits."""


@record
class Passage:
    """A passage as the Markdown parser found it."""

    kind: str
    """One of :data:`KINDS`."""
    text: str
    """Its plain text (link targets and note markers left out)."""


def normalised(text: str) -> str:
    """Lower-case words, typography and spacing normalised: what an id and a fingerprint are made of."""
    return b" ".join(words(normalise_typography(text).casefold())).decode()


def fingerprint(kind: str, normalised_text: str) -> str:
    """What the record keeps of a passage: its kind and the start and end of its :func:`normalised` text."""
    if len(normalised_text) > 2 * FINGERPRINT_CHARS:
        normalised_text = normalised_text[:FINGERPRINT_CHARS].rstrip() + " … " + normalised_text[-FINGERPRINT_CHARS:].lstrip()
    return f"{kind}: {normalised_text}"


def base_id(passage: Passage, normalised_text: str | None = None) -> str:
    """The id a passage is given when no record says otherwise: a heading's slug, else ``p-`` and
    six characters of a hash of the kind and the first words (``normalised_text``: the passage's
    :func:`normalised` text, when known)."""
    if passage.kind == "heading":
        slug = slugify(passage.text, max_length=60) or "section"
        return slug + "-1" if slug in RESERVED else slug
    head = (normalised(passage.text) if normalised_text is None else normalised_text)[:HEAD_CHARS]
    bits = int.from_bytes(hashlib.sha1(f"{passage.kind}\0{head}".encode()).digest()[:4], "big") >> 2
    return (f"p-{BASE32[bits >> 25]}{BASE32[bits >> 20 & 31]}{BASE32[bits >> 15 & 31]}"
            f"{BASE32[bits >> 10 & 31]}{BASE32[bits >> 5 & 31]}{BASE32[bits & 31]}")


def assign_ids(passages: list[Passage], previous: PassageIds | None, slug: str, source: str) -> PassageIds:
    """The ids of ``passages`` (in reading order) and the record that keeps them, given the
    ``previous`` record of the same article (None: there is none).

    Passages the same as recorded ones at the same place in the order keep their ids; so do passages
    moved unchanged, and (within a run of changed passages) those similar enough to a recorded one
    (:data:`LIGHT_EDIT`). The others get their :func:`base_id`, with ``-2``, ``-3``... when taken.
    """
    plain = [normalised(p.text) for p in passages]
    prints = [fingerprint(p.kind, text) for p, text in zip(passages, plain, strict=True)]
    old = list(previous.passages) if previous else []
    old_prints = [p for _, p in old]
    ids: list[str | None] = [None] * len(passages)
    used: set[int] = set()
    changed: list[tuple[range, range]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_prints, prints, autojunk=False).get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                ids[j], _ = old[i]
                used.add(i)
        else:
            changed.append((range(i1, i2), range(j1, j2)))
    _match_moved(ids, prints, old, used)
    for old_range, new_range in changed:
        _match_edited(ids, prints, old, used, old_range, new_range)
    taken = {i for i in ids if i is not None}
    for j, passage in enumerate(passages):
        if ids[j] is None:
            ids[j] = _free(base_id(passage, plain[j]), taken)
            taken.add(ids[j])
    final = [str(i) for i in ids]
    retired = _retired(old, used, final, previous)
    slugs = _earlier_slugs(previous, slug)
    return PassageIds(slug, source, tuple(zip(final, prints, strict=True)), retired, slugs)


def assigner(previous: PassageIds | None, slug: str, source: str) -> Callable[[list[tuple[str, str]]], PassageIds]:
    """:func:`assign_ids` for the passages the Markdown parser finds, given as (kind, text)."""
    return functools.partial(_assign_found, previous=previous, slug=slug, source=source)


def _assign_found(found: list[tuple[str, str]], previous: PassageIds | None, slug: str, source: str) -> PassageIds:
    return assign_ids([Passage(kind, text) for kind, text in found], previous, slug, source)


def _match_moved(ids: list[str | None], prints: list[str], old: list[tuple[str, str]], used: set[int]) -> None:
    """Passages moved unchanged keep their ids: each takes the first unused recorded passage with
    the same fingerprint."""
    waiting: dict[str, list[int]] = {}
    for i, (_, print_) in enumerate(old):
        if i not in used:
            waiting.setdefault(print_, []).append(i)
    for j, print_ in enumerate(prints):
        if ids[j] is None and waiting.get(print_):
            i = waiting[print_].pop(0)
            ids[j], _ = old[i]
            used.add(i)


def _match_edited(ids: list[str | None], prints: list[str], old: list[tuple[str, str]], used: set[int],
                  old_range: range, new_range: range) -> None:
    """Within a run of changed passages, each lightly edited one keeps the id of the recorded
    passage it is most similar to (pairs taken best first, ties in reading order)."""
    pairs = []
    for j in new_range:
        if ids[j] is not None:
            continue
        kind = prints[j].split(":", 1)[0]
        for i in old_range:
            if i not in used and old[i][1].split(":", 1)[0] == kind:
                score = ratio(prints[j], old[i][1]) / 100
                if score >= LIGHT_EDIT:
                    pairs.append((-score, j, i))
    for _, j, i in sorted(pairs):
        if ids[j] is None and i not in used:
            ids[j], _ = old[i]
            used.add(i)


def _free(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... the first not in ``taken``."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def _retired(old: list[tuple[str, str]], used: set[int], final: list[str],
             previous: PassageIds | None) -> tuple[tuple[str, str], ...]:
    """Each id no passage has any more, with the nearest surviving passage's id ('' when none
    survived: the top of the article). A recorded passage that is gone leads to the closest one
    before it that survived (else after it); ids retired earlier follow their target."""
    live = set(final)
    retired: dict[str, str] = {}
    survivors = [old[i][0] if i in used and old[i][0] in live else "" for i in range(len(old))]
    for i, (old_id, _) in enumerate(old):
        if old_id in live:
            continue
        before = next((s for s in reversed(survivors[:i]) if s), "")
        retired[old_id] = before or next((s for s in survivors[i + 1:] if s), "")
    for old_id, target in previous.retired if previous else ():
        if old_id not in live and old_id not in retired:
            retired[old_id] = target if target in live or not target else retired.get(target, "")
    return tuple(sorted(retired.items()))


def _earlier_slugs(previous: PassageIds | None, slug: str) -> tuple[str, ...]:
    """The slugs the article was published under before ``slug``, oldest first."""
    if previous is None:
        return ()
    earlier = [*previous.slugs, previous.slug]
    return tuple(dict.fromkeys(s for s in earlier if s and s != slug))


def resolve(ids: PassageIds, wanted: str) -> str:
    """Where a link to ``wanted`` leads: the id itself while a passage has it, the nearest
    surviving passage's id when it was retired, '' (the top) otherwise."""
    if any(passage_id == wanted for passage_id, _ in ids.passages):
        return wanted
    return dict(ids.retired).get(wanted, "")


_quoted = encode_basestring
"""A string as ``json.dumps(text, ensure_ascii=False)`` writes it, without making an encoder each time."""
NOTICE = "site-gen: the stable passage ids of this article; commit this file with content/ (do not edit)"


def serialize(ids: PassageIds) -> str:
    """The record as its committed JSON file: one passage a line, so a revision diffs line by line;
    the same record always gives the same bytes."""
    def listing(rows: list[str], opening: str, closing: str) -> str:
        return opening + "\n" + ",\n".join("    " + row for row in rows) + "\n  " + closing if rows else opening + closing

    passages = [f"[{_quoted(passage_id)}, {_quoted(print_)}]" for passage_id, print_ in ids.passages]
    retired = [f"{_quoted(old)}: {_quoted(new)}" for old, new in ids.retired]
    lines = [
        "{",
        f'  "about": {json.dumps(NOTICE)},',
        f'  "slug": {json.dumps(ids.slug, ensure_ascii=False)},',
        f'  "source": {json.dumps(ids.source, ensure_ascii=False)},',
        f'  "earlier_slugs": {json.dumps(list(ids.slugs), ensure_ascii=False)},',
        f'  "passages": {listing(passages, "[", "]")},',
        f'  "retired": {listing(retired, "{", "}")}',
        "}",
    ]
    return "\n".join(lines) + "\n"


def parse(text: str) -> PassageIds:
    """A record from its file's text; raises ``ValueError`` (with the line, for JSON errors) when it
    is not one."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    slug, source, slugs = data.get("slug"), data.get("source", ""), data.get("earlier_slugs", [])
    passages, retired = data.get("passages", []), data.get("retired", {})
    if not isinstance(slug, str) or not isinstance(source, str):
        raise ValueError('"slug" and "source" must be strings')
    if not (isinstance(slugs, list) and all(isinstance(s, str) for s in slugs)):
        raise ValueError('"earlier_slugs" must be a list of strings')
    if not (isinstance(passages, list) and all(isinstance(p, list) and len(p) == 2
                                               and all(isinstance(v, str) for v in p) for p in passages)):
        raise ValueError('"passages" must be a list of [id, fingerprint] pairs')
    if not (isinstance(retired, dict) and all(isinstance(v, str) for v in retired.values())):
        raise ValueError('"retired" must map ids to ids')
    return PassageIds(slug, source, tuple((p[0], p[1]) for p in passages), tuple(sorted(retired.items())),
                      tuple(slugs))
