"""Old URLs of moved articles: an article whose slug changed (a new title) is still found at every
URL it was published under, by a redirect page there and a ``_redirects`` entry for hosts that read
that file (Netlify). The slugs an article had come from its record of passage ids."""

from __future__ import annotations

from . import urls
from .model import Page


def moved_articles(articles: tuple[Page, ...], pages: tuple[Page, ...]) -> dict[str, Page]:
    """Old URL -> article, for each slug an article was published under before, by URL, unless a
    page is there now (of two articles that had the same slug, the first in the site's order keeps it)."""
    taken = {page.url for page in (*articles, *pages)}
    moves = []
    for article in articles:
        for slug in article.passage_ids.slugs if article.passage_ids else ():
            old = urls.article_url(slug)
            if old not in taken:
                taken.add(old)
                moves.append((old, article))
    return dict(sorted(moves, key=lambda move: move[0]))


def netlify_redirects(base_path: str, moves: dict[str, str]) -> bytes:
    """``_redirects``: a permanent redirect from each old URL to the new one, forced (``301!``)
    because a redirect page is at the old URL too. ``moves``: old site URL -> new."""
    return "".join(f"{base_path}{old} {base_path}{new} 301!\n" for old, new in moves.items()).encode()
