"""The concordance: each glossary term's uses across the site's articles, for the term pages.

The lines themselves (the term as written, and the sentence around it) are recorded while an
article's Markdown is rendered (``mdit_plugins/glossary_link.py``); here they are gathered by term,
in article order, a few lines per article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .cache import BuildCache, Stage
from .model import Occurrence, Page
from .pages import Site

SHOWN_PER_ARTICLE = 3
"""Lines of an article shown at first on a term's page."""
LINES_PER_ARTICLE = 10
"""Lines of an article on a term's page in all (the rest behind "and N more in this article");
further uses are reached in the article itself."""


@dataclass(frozen=True, slots=True, eq=False)
class Use:
    """One article in a term's concordance."""

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


def _article_uses(article: Page, _: None) -> tuple[tuple[str, Use], ...]:
    """(term, use) for each term in ``article``."""
    return tuple((term, Use(article.url, article.meta.title, article.meta.date, items[:LINES_PER_ARTICLE], len(items)))
                 for term, items in article.occurrences)


USES = Stage("uses", _article_uses, by_value=True)
"""By value: an edited article's uses that come out the same keep their names, so the pages of its
terms whose lines did not change are not made again."""
USES_BY_TERM = "uses-by-term"


def term_uses(site: Site, cache: BuildCache) -> dict[str, tuple[Use, ...]]:
    """Each glossary term's concordance, in article order; an article's uses are made again only
    when the article changed."""
    articles = site.articles
    made = cache.run(USES, [cache.key_of(article) for article in articles], articles.__getitem__)
    return cache.one(USES_BY_TERM, cache.keys_of(made), lambda: _by_term(made))


def _by_term(made: list[tuple[tuple[str, Use], ...]]) -> dict[str, tuple[Use, ...]]:
    by_term: dict[str, list[Use]] = defaultdict(list)
    for uses in made:
        for term, use in uses:
            by_term[term].append(use)
    return {term: tuple(uses) for term, uses in by_term.items()}
