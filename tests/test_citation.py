"""Citations, field by field: the CSL-JSON item, the Chicago and APA references, BibTeX, RIS, the
Highwire tags as Zotero's "Embedded Metadata" translator reads them, and the JSON-LD."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_gen import reference_shapes
from site_gen.citation import Formatter, Work, authors, bibtex, csl_item, csl_json, highwire_tags, json_ld, ris
from site_gen.config import load_config
from site_gen.model import DocumentMeta
from site_gen.pipeline import BuildOptions, build

TITLE = "US Defense Secretary Panetta threatens ground intervention into Pakistan"
URL = "https://example.org/reader/articles/us-defense/"
WORK = Work(DocumentMeta(TITLE, "us-defense", "Alex Lantier", "2012-06-08", tags=("drones", "Pakistan")), URL,
            "Drone War Reader", "en", "Speaking in Kabul yesterday.")


@pytest.fixture(scope="module")
def formatter() -> Formatter:
    return Formatter()


def test_the_csl_item_holds_every_field() -> None:
    assert csl_item(WORK) == {
        "id": "us-defense", "type": "webpage", "title": TITLE, "container-title": "Drone War Reader", "language": "en",
        "author": [{"family": "Lantier", "given": "Alex"}], "issued": {"date-parts": [[2012, 6, 8]]}, "URL": URL,
        "abstract": "Speaking in Kabul yesterday.", "keyword": "drones, Pakistan"}


@pytest.mark.parametrize(("byline", "names"), [
    ("Alex Lantier", [{"family": "Lantier", "given": "Alex"}]),
    ("Lantier, Alex", [{"family": "Lantier", "given": "Alex"}]),
    ("Janie Gabbett, Reuters", [{"family": "Gabbett", "given": "Janie"}]),
    ("Reuters", [{"literal": "Reuters"}]),
    ("Ludwig van Beethoven", [{"family": "van Beethoven", "given": "Ludwig"}]),
    ("Martin Luther King Jr.", [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}]),
    ("Jo Becker and Scott Shane", [{"family": "Becker", "given": "Jo"}, {"family": "Shane", "given": "Scott"}]),
    ("", []),
])
def test_author_lines_become_names(byline: str, names: list[dict[str, str]]) -> None:
    assert authors(byline) == names


def test_chicago_and_apa_references(formatter: Formatter) -> None:
    chicago, apa = formatter.references(WORK)
    assert chicago.text == ("Lantier, Alex. \u201cUS Defense Secretary Panetta Threatens Ground Intervention into "
                            f"Pakistan.\u201d Drone War Reader, June 8, 2012. {URL}.")
    assert chicago.html == chicago.text.replace("Drone War Reader", "<i>Drone War Reader</i>")
    assert apa.text == f"Lantier, A. (2012, June 8). {TITLE}. Drone War Reader. {URL}"
    assert apa.html == apa.text.replace(TITLE, f"<i>{TITLE}</i>")


def test_references_escape_html_and_cite_an_authorless_article_under_the_site(formatter: Formatter) -> None:
    work = Work(DocumentMeta("Tom & Jerry <b>", "t", "", "1987-02"), "", "Site & <Co>", "en")
    chicago, apa = formatter.references(work)
    assert chicago.html == ("Site &amp; &lt;Co&gt;. \u201cTom &amp; Jerry &lt;b&gt;.\u201d <i>Site &amp; &lt;Co&gt;</i>, "
                            "February 1987.")
    assert apa.text == "Site & <Co>. (1987, February). Tom & Jerry <b>. Site & <Co>."


def test_an_undated_article_is_cited_n_d_and_without_a_retrieval_date(formatter: Formatter) -> None:
    """APA adds "Retrieved <date accessed>, from" to an undated web page; the date accessed is the
    reader's, so the reference says "(n.d.)" and gives the URL, as APA's undated examples do."""
    work = Work(DocumentMeta("A title", "a", "Ann Author", ""), URL, "Drone War Reader", "en")
    chicago, apa = formatter.references(work)
    assert apa.text == f"Author, A. (n.d.). A title. Drone War Reader. {URL}"
    assert apa.html == f"Author, A. (n.d.). <i>A title</i>. Drone War Reader. {URL}"
    assert chicago.text == f"Author, Ann. \u201cA Title.\u201d Drone War Reader, n.d. {URL}."
    assert Formatter(by_shape=False).references(work) == (chicago, apa)
    assert "status" not in json.loads(csl_json(work))[0] and "issued" not in csl_item(work)
    without_url = Formatter(("apa",)).references(Work(work.meta, "", "Drone War Reader", "en"))
    assert without_url[0].text == "Author, A. (n.d.). A title. Drone War Reader."


def test_prepared_shapes_are_not_formatted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """``prepare`` makes each shape's template once (before workers fork); the references made
    afterwards come from those templates alone and are those of an unprepared formatter."""
    works = [WORK, Work(DocumentMeta("Second & third", "s", "Ann Author", "2001-03-04"), URL, "Drone War Reader", "en"),
             Work(DocumentMeta("Undated", "u", "", ""), "", "Drone War Reader", "en")]
    expected = [Formatter().references(work) for work in works]
    prepared = Formatter()
    prepared.prepare(works)
    assert all(len(style.templates) == 3 for style in prepared.styles.values())  # a shape each
    calls = []
    monkeypatch.setattr(reference_shapes, "formatted", lambda *args: calls.append(args) or "")
    assert [prepared.references(work) for work in works] == expected and calls == []


def test_bibtex_entry() -> None:
    assert bibtex(WORK) == (
        "@online{lantier2012defense,\n"
        "  author = {Lantier, Alex},\n"
        f"  title = {{{{{TITLE}}}}},\n"
        "  organization = {Drone War Reader},\n"
        "  date = {2012-06-08},\n"
        "  year = {2012},\n"
        "  month = {6},\n"
        f"  url = {{{URL}}},\n"
        "  langid = {en},\n"
        "  keywords = {drones, Pakistan}\n"
        "}\n")
    special = bibtex(Work(DocumentMeta("50% of {all} & more_", "s", "Reuters", ""), "", "A#B", "en"))
    assert r"title = {{50\% of \{all\} \& more\_}}" in special and "author = {{Reuters}}" in special
    assert r"organization = {A\#B}" in special and "year" not in special


def test_ris_record() -> None:
    assert ris(WORK).split("\r\n") == [
        "TY  - ELEC", "AU  - Lantier, Alex", f"TI  - {TITLE}", "T2  - Drone War Reader", "PY  - 2012",
        "DA  - 2012/06/08", f"UR  - {URL}", "LA  - en", "AB  - Speaking in Kabul yesterday.", "KW  - drones",
        "KW  - Pakistan", "ER  - ", ""]


def test_json_ld() -> None:
    data = json.loads(json_ld(WORK, "https://example.org/reader/"))
    assert data["@type"] == "Article" and data["headline"] == TITLE and data["datePublished"] == "2012-06-08"
    assert data["author"] == {"@type": "Person", "name": "Alex Lantier", "givenName": "Alex", "familyName": "Lantier"}
    assert data["isPartOf"] == {"@type": "WebSite", "name": "Drone War Reader", "url": "https://example.org/reader/"}
    assert data["url"] == URL and data["inLanguage"] == "en"
    assert "<" not in json_ld(Work(DocumentMeta("</script>", "x"), "", "S", "en"), "")


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.in_head = True
        self.ld = ""
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "body":
            self.in_head = False
        if tag == "meta" and self.in_head and values.get("name"):
            self.meta.append((str(values["name"]), str(values.get("content") or "")))
        self._in_ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.ld += data


ZOTERO_HIGHWIRE = {"citation_title": "title", "citation_publication_date": "date", "citation_date": "date",
                   "citation_journal_title": "publicationTitle", "citation_public_url": "url",
                   "citation_language": "language", "citation_publisher": "publisher"}
"""The part of the "Embedded Metadata" translator's HIGHWIRE_MAPPINGS this edition's tags meet."""


def zotero_item(meta: list[tuple[str, str]]) -> dict:
    """What Zotero's "Embedded Metadata" translator makes of a page's head: each mapped field from the
    first meta tag whose name ends with its key; authors from every ``citation_author``, split at ``;``,
    "Family, Given" when the name has a comma; the item type is journalArticle when
    ``citation_journal_title`` is present."""
    item: dict = {"itemType": "journalArticle" if any(n.endswith("citation_journal_title") for n, _ in meta) else ""}
    for key, field in ZOTERO_HIGHWIRE.items():
        found = next((value for name, value in meta if name.endswith(key) and value.strip()), None)
        if found is not None and field not in item:
            item[field] = " ".join(found.split())
    creators = []
    for name, value in meta:
        if name.endswith("citation_author"):
            for author in (a.strip() for a in value.split(";")):
                last, _, first = author.partition(",") if "," in author else (author.rsplit(" ", 1)[-1], "", "")
                creators.append({"lastName": last.strip(), "firstName": first.strip(), "creatorType": "author"})
    item["creators"] = creators
    return item


def test_zotero_reads_the_article_with_the_right_fields(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "site.toml").write_text((root / "site.toml").read_text(encoding="utf-8").replace(
        '# base_url = "https://example.github.io/reader/"', 'base_url = "https://example.org/reader/"'), encoding="utf-8")
    for folder in ("seeds", "content"):
        shutil.copytree(root / folder, tmp_path / folder)
    result = build(load_config(tmp_path), BuildOptions(write=False))
    slug = "us-defense-secretary-panetta-threatens-ground-intervention-into-pakistan"
    page = next(f for f in result.outputs if f.path == f"articles/{slug}/index.html").data.decode()
    head = _Head()
    head.feed(page)
    url = f"https://example.org/reader/articles/{slug}/"
    assert zotero_item(head.meta) == {
        "itemType": "journalArticle", "title": TITLE, "date": "2012/06/08", "publicationTitle": "Drone War Reader",
        "url": url, "language": "en", "creators": [{"lastName": "Lantier", "firstName": "Alex", "creatorType": "author"}]}
    assert dict(head.meta)["citation_author"] == "Lantier, Alex"
    assert json.loads(head.ld)["url"] == url
    downloads = {f.path.rsplit("/", 1)[-1]: f.data.decode() for f in result.outputs
                 if f.path.startswith(f"articles/{slug}/cite.")}
    assert set(downloads) == {"cite.bib", "cite.ris", "cite.json"}
    assert json.loads(downloads["cite.json"])[0]["URL"] == url
    assert re.search(r"^UR  - (.*)\r$", downloads["cite.ris"], re.MULTILINE).group(1) == url
    assert f"url = {{{url}}}" in downloads["cite.bib"]
    assert highwire_tags(WORK)[0] == ("citation_title", TITLE)


def test_the_formatted_references_can_be_turned_off(tree) -> None:
    site = tree({"site.toml": "[citation]\nstyles = []\n", "seeds/a.txt": "A title\n\nAnn Author 1 May 2020\n\nText.\n"})
    result = build(load_config(site), BuildOptions(write=False))
    page = next(f for f in result.outputs if f.path == "articles/a-title/index.html").data.decode()
    assert "cite-references" not in page and 'data-citation="A title"' in page
    assert 'href="cite.bib"' in page and any(f.path == "articles/a-title/cite.ris" for f in result.outputs)
