"""The concordance: each glossary term's uses across the site's articles, for the term pages.

The lines themselves (the term as written, and the sentence around it) are recorded while an
article's Markdown is rendered (``mdit_plugins/glossary_link.py``); here they are gathered by term,
in article order, a few lines per article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .cache import BuildCache
from .model import Occurrence, Page
from .pages import Site

SHOWN_PER_ARTICLE = 3
"""Lines of an article shown at first on a term's page."""
LINES_PER_ARTICLE = 10
"""Lines of an article on a term's page in all (the rest behind "and N more in this article");
further uses are reached in the article itself."""


@dataclass(frozen=True, slots=True, eq=False)
class Use:
    """One article in a term's concordance. Compared by identity, so term page keys are cheap:
    :func:`term_uses` keeps one object for as long as its values stay the same."""

    url: str
    title: str
    date: str
    occurrences: tuple[Occurrence, ...]
    """The first :data:`LINES_PER_ARTICLE` occurrences."""
    total: int

    @property
    def shown(self) -> tuple[Occurrence, ...]:
        """The lines shown at first."""
        return self.occurrences[:SHOWN_PER_ARTICLE]

    @property
    def more(self) -> tuple[Occurrence, ...]:
        """The lines shown on asking for more."""
        return self.occurrences[SHOWN_PER_ARTICLE:]

    @property
    def unlisted(self) -> int:
        """Uses in the article that the term's page does not list."""
        return self.total - len(self.occurrences)

    def values(self) -> tuple:
        return self.url, self.title, self.date, self.occurrences, self.total


def term_uses(site: Site, cache: BuildCache) -> dict[str, tuple[Use, ...]]:
    """Each glossary term's concordance, in article order. An article rendered again keeps its
    previous :class:`Use` objects where their values did not change, so an edit that leaves a term's
    lines, the title and the date alone (a note, a typo) does not render that term's page again."""
    articles = site.articles
    article_urls = [article.url for article in articles]
    last, _ = cache.lookup_all("uses", article_urls)
    made = [entry if entry is not None and entry[0] is article else (article, _article_uses(article, entry))
            for article, entry in zip(articles, last, strict=True)]
    remade = [i for i, (new, old) in enumerate(zip(made, last, strict=True)) if new is not old]
    cache.store_all("uses", article_urls, made, remade)
    return cache.memo_list("uses-by-term", [uses for _, uses in made], lambda: _by_term(made))


def _article_uses(article: Page, last: tuple[Page, tuple] | None) -> tuple[tuple[str, Use], ...]:
    """(term, use) for each term in ``article``; ``last``'s tuple itself while nothing in it changed."""
    previous = dict(last[1]) if last else {}
    uses = tuple((term, _same_use(previous.get(term), article, items)) for term, items in article.occurrences)
    return last[1] if last and uses == last[1] else uses


def _by_term(made: list[tuple[Page, tuple[tuple[str, Use], ...]]]) -> dict[str, tuple[Use, ...]]:
    by_term: dict[str, list[Use]] = defaultdict(list)
    for _, uses in made:
        for term, use in uses:
            by_term[term].append(use)
    return {term: tuple(uses) for term, uses in by_term.items()}


def _same_use(previous: Use | None, article: Page, items: tuple[Occurrence, ...]) -> Use:
    """The article's use of a term: the previous object when nothing in it changed."""
    use = Use(article.url, article.meta.title, article.meta.date, items[:LINES_PER_ARTICLE], len(items))
    return previous if previous is not None and previous.values() == use.values() else use
