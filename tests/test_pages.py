"""``assemble_site``: the order of articles, pages and glossary terms."""

from __future__ import annotations

from site_gen.config import SiteConfig
from site_gen.diagnostics import SourceLocation
from site_gen.model import DocumentMeta, Glossary, Page
from site_gen.pages import assemble_site


def page(title: str, kind: str = "article", date: str = "", seed: str = "") -> Page:
    meta = DocumentMeta(title=title, slug=title.lower().replace(" ", "-"), date=date, seed=seed)
    return Page(kind=kind, meta=meta, url=f"x/{meta.slug}/", body_html="", source=SourceLocation(seed))


def test_articles_newest_first_in_seed_order_within_a_date_and_titles_in_natural_order() -> None:
    pages = [
        page("State of the Union", date="1790", seed="seeds/1790-Washington-2.txt"),
        page("Annual Message", date="1790", seed="seeds/1790-Washington-1.txt"),
        page("1973 Nixon 10", date="1973", seed="seeds/1973-Nixon-10.txt"),
        page("1973 Nixon 2", date="1973", seed="seeds/1973-Nixon-2.txt"),
        page("Undated 10"), page("undated 9"), page("Undated 1a"),
        page("Term 10", kind="glossary"), page("term 9", kind="glossary"),
        page("Page 12", kind="page"), page("Page 2", kind="page"),
    ]
    site = assemble_site(SiteConfig(), pages, Glossary())
    assert [a.meta.title for a in site.articles] == [
        "1973 Nixon 2", "1973 Nixon 10", "Annual Message", "State of the Union", "Undated 1a", "undated 9", "Undated 10"]
    assert [p.meta.title for p in site.glossary_pages] == ["term 9", "Term 10"]
    assert [p.meta.title for p in site.pages] == ["Page 2", "Page 12"]
