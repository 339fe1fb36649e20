"""The values passed between stages: one frozen type per stage boundary, collections as tuples.

The large values (Document, AnnotatedDocument, ContentFile, Page, GlossaryEntry) compare and hash by identity
(``eq=False``): the build cache uses them in keys, where hashing a whole page's HTML on every
lookup would cost more than the work it saves, and a cached stage hands back the same object.

    Seed --parse_seed--> Document --annotate--> AnnotatedDocument --(content/articles/*.md)-->
    ContentFile --render_page--> Page --assemble_site--> Site --render_site--> OutputFile
"""

from __future__ import annotations

from dataclasses import field

from .diagnostics import Diagnostic, SourceLocation
from .record import record


@record
class MetaOverrides:
    """Metadata an editor sets by hand (a seed's sidecar ``.yml`` or a ``.md`` seed's front matter)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    slug: str | None = None
    tags: tuple[str, ...] | None = None
    language: str | None = None


@record
class Seed:
    """A raw seed file, decoded."""

    path: str
    """Path relative to the site folder, with forward slashes (``seeds/x.txt``)."""
    text: str
    """The body with newlines normalised; line numbers match the file (``body_line`` = first body line)."""
    markdown: bool = False
    """True for ``.md`` seeds, whose body is Markdown rather than plain text."""
    body_line: int = 1
    overrides: MetaOverrides = field(default_factory=MetaOverrides)
    diagnostics: tuple[Diagnostic, ...] = ()

    def __hash__(self) -> int:
        # Seeds key the build cache: hash the two strings that tell them apart (Python keeps a
        # string's hash) rather than a new tuple of every field, overrides included, per lookup.
        return hash((self.path, self.text))


@record
class DocumentMeta:
    """What a reader sees about an article, however it was obtained."""

    title: str
    slug: str
    author: str = ""
    date: str = ""
    """ISO 8601, possibly partial (``2012``, ``2012-06``, ``2012-06-08``); '' when unknown."""
    seed: str = ""
    """The seed file the article came from (``seeds/x.txt``), or '' for hand-written content."""
    source: str = ""
    """Where the text was first published (a URL or a citation), if the editor said."""
    tags: tuple[str, ...] = ()
    language: str = ""
    """BCP 47 tag of the text (``ar``, ``ka``) when an editor set one; '' for the site's language."""


@record
class Block:
    """One block of an article body, with the seed line it starts on."""

    kind: str
    """``paragraph``, ``heading``, ``preformatted`` (plain text) or ``markdown`` (a ``.md`` seed's block)."""
    text: str
    line: int


@record
class CrossRef:
    """A "(See: Title)" reference; ``start``/``end`` delimit the title inside ``blocks[block].text``."""

    title: str
    block: int
    start: int
    end: int
    line: int


@record
class Omission:
    """Seed lines the parser took out of the body on purpose (the text integrity check accounts for them)."""

    kind: str
    """``headline``, ``byline`` or ``footer``."""
    first: int
    last: int
    """The first and last seed line taken out."""


@record(eq=False)
class Document:
    """A seed understood: metadata, body blocks and cross-references."""

    meta: DocumentMeta
    blocks: tuple[Block, ...]
    cross_refs: tuple[CrossRef, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    omitted: tuple[Omission, ...] = ()


@record(eq=False)
class GlossaryEntry:
    """One glossary term (``content/glossary/<slug>.md``)."""

    slug: str
    term: str
    aliases: tuple[str, ...]
    category: str
    see_also: tuple[str, ...]
    sources: tuple[str, ...]
    body: str
    """The definition in Markdown; its first paragraph is the short definition (the description of
    the entry's page: popovers, lists of terms, search)."""
    location: SourceLocation
    body_line: int = 1
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings about the file (its names cleaned of direction controls), reported at each build."""


@record(eq=False)
class Glossary:
    """Compared by identity, like its entries: a build keeps the last build's object while the
    entries are the same, so the per-article keys that hold it stay cheap."""

    entries: tuple[GlossaryEntry, ...] = ()

    def by_slug(self) -> dict[str, GlossaryEntry]:
        return {entry.slug: entry for entry in self.entries}


@record
class Note:
    """An editor's context note anchored to a passage by a quote (a W3C TextQuoteSelector)."""

    quote: str
    text: str
    """The note itself, in Markdown."""
    location: SourceLocation
    prefix: str = ""
    suffix: str = ""
    sources: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.quote, self.text))  # as Seed.__hash__: notes key the annotation cache


@record
class Anchor:
    """Where a quote was found: ``block`` index and character span in that block's text."""

    block: int
    start: int
    end: int
    kind: str
    """``exact``, ``normalised`` or ``fuzzy``."""
    similarity: float = 1.0


@record
class AnchoredNote:
    note: Note
    anchor: Anchor
    number: int
    """The footnote number, in reading order."""


@record
class Orphan:
    """A note whose quote is nowhere close enough in the text."""

    note: Note
    candidate: str
    similarity: float


@record
class TermHit:
    """A glossary match in a block: ``slug`` of the entry, span in the block text, and whether it is linked."""

    slug: str
    block: int
    start: int
    end: int
    linked: bool


@record(eq=False)
class AnnotatedDocument:
    """What is written to ``content/articles/<slug>.md``."""

    document: Document
    markdown: str
    """The whole file: front matter and the body with glossary links and footnotes."""
    term_hits: tuple[TermHit, ...] = ()
    anchored_notes: tuple[AnchoredNote, ...] = ()
    orphans: tuple[Orphan, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@record(eq=False)
class ContentFile:
    """A Markdown file from ``content/``: an article, a page or a glossary entry, as read from disk."""

    path: str
    kind: str
    """``article``, ``page`` or ``glossary``."""
    meta: DocumentMeta
    body: str
    body_line: int
    """The file line the body starts on (after front matter), for error messages."""
    description: str = ""
    nav: int | None = None
    """A page's place in the site navigation (front matter ``nav``, lower first); None: not in it."""
    integrity: str = ""
    """``edited``: an editor's article whose differences from its seed are meant (the text integrity
    check leaves it alone)."""


@record(eq=False)
class PassageIds:
    """The stable passage ids of one article, as kept in ``content/ids/<slug>.json`` (see
    :mod:`site_gen.passages`). Compared by identity, like a page: a build keeps the object it read
    while the file is unchanged, and page keys hold it. :meth:`values` compares contents."""

    slug: str
    source: str
    """The seed (or, for an article written by hand, the content file) the article comes from: how its
    record is found again after its slug changed."""
    passages: tuple[tuple[str, str], ...]
    """(id, fingerprint) of each passage, in reading order."""
    retired: tuple[tuple[str, str], ...] = ()
    """(id no passage has any more, the id of the nearest surviving passage or '' for the top), by id."""
    slugs: tuple[str, ...] = ()
    """The slugs the article was published under before, oldest first."""

    def values(self) -> tuple:
        return self.slug, self.source, self.passages, self.retired, self.slugs


@record
class Heading:
    level: int
    text: str
    id: str


@record
class Occurrence:
    """A glossary term used in a page: the anchor id of the spot, and its line in the concordance (the
    words of the term as written, and the sentence around them)."""

    term: str
    """Slug of the glossary entry."""
    page: str
    """Slug of the page."""
    anchor: str
    before: str
    keyword: str
    after: str
    linked: bool


@record(eq=False)
class Page:
    """A rendered content file: everything a template needs except the site around it."""

    kind: str
    """``article``, ``page``, ``glossary``."""
    meta: DocumentMeta
    url: str
    """Site-relative URL without a leading slash (``articles/x/``)."""
    body_html: str
    source: SourceLocation
    description: str = ""
    toc: tuple[Heading, ...] = ()
    footnote_count: int = 0
    occurrences: tuple[tuple[str, tuple[Occurrence, ...]], ...] = ()
    """Glossary terms in the text, each with its occurrences, in the order the terms first occur
    (grouped once here, so the concordance and the term lists are cheap on every rebuild)."""
    word_count: int = 0
    text: str = ""
    """Plain text of the body, for search and excerpts."""
    links: tuple[str, ...] = ()
    """The ``.md`` links of its body (without their ``#fragment``), in order: its HTML depends on
    where they lead."""
    nav: int | None = None
    """A page's place in the site navigation (lower first); None: not in it."""
    passage_ids: PassageIds | None = None
    """An article's stable passage ids (None for other pages)."""
    language: str = ""
    """The BCP 47 tag of the text: its own (``meta.language``), else the site's."""
    direction: str = "ltr"
    """``ltr`` or ``rtl``: the language's, unless the text is written in a script of the other direction."""


@record
class OutputFile:
    """One file of the built site; ``path`` is relative to the output folder, with forward slashes."""

    path: str
    data: bytes
