"""Make benchmark sites from the real corpora in ../shared/corpus (and what the benchmarks share).

A site of N articles takes Reuters stories with a body (research use only: these sites are never
published), padded with State of the Union addresses cut to about the same length, repeated with
distinct titles when N exceeds the corpus. The glossary is the corpus's own most frequent
capitalised phrases (each entry gets a definition and an alias), and every article gets one note
anchored to a real sentence of it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
PHRASE = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")
SENTENCE = re.compile(r"[A-Z][^.!?\n]{40,160}[.!?]")
TARGET_WORDS = 1000


def emit(figures: dict, json_path: Path | None) -> None:
    """Every benchmark ends the same way: the figures as one JSON line, and in a file if asked."""
    print(json.dumps(figures))
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n")


def corpus_texts(count: int) -> list[tuple[str, str]]:
    """(file name, seed text) for ``count`` articles of about a thousand words each."""
    reuters = [p for p in sorted((CORPUS / "reuters21578").glob("*.txt")) if p.stat().st_size > 2500]
    speeches = sorted((CORPUS / "sotu").glob("*.txt"))
    texts: list[tuple[str, str]] = []
    for path in reuters:
        texts.append((path.name, path.read_text(encoding="utf-8")))
    for path in speeches:
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        chunk, words, part = [], 0, 1
        for paragraph in paragraphs:
            chunk.append(paragraph)
            words += len(paragraph.split())
            if words >= TARGET_WORDS:
                title = f"{path.stem.replace('-', ' ')} part {part}"
                texts.append((f"{path.stem}-{part}.txt", f"{title}\n\nThe President {path.stem[:4]}\n\n" + "\n\n".join(chunk)))
                chunk, words, part = [], 0, part + 1
    if not texts:
        raise SystemExit(f"no corpus texts in {CORPUS}: the benchmarks need ../shared/corpus next to the repository")
    result = []
    round_number = 0
    while len(result) < count:
        for name, text in texts:
            if len(result) == count:
                break
            if round_number:
                headline, _, rest = text.partition("\n")
                text = f"{headline} (copy {round_number})\n{rest}"
                name = f"r{round_number}-{name}"
            result.append((name, text))
        round_number += 1
    return result


def make_site(folder: Path, articles: int, terms: int, notes: bool = True) -> Path:
    """Write a site with ``articles`` seeds, a ``terms``-entry glossary and one note per article."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "seeds").mkdir(parents=True)
    (folder / "content" / "glossary").mkdir(parents=True)
    (folder / "content" / "notes").mkdir(parents=True)
    (folder / "site.toml").write_text('[site]\ntitle = "Benchmark"\nbase_url = "https://example.org/bench/"\n')
    texts = corpus_texts(articles)
    phrases: Counter[str] = Counter()
    for name, text in texts:
        (folder / "seeds" / name).write_text(text, encoding="utf-8")
        phrases.update(PHRASE.findall(text))
    for number, (term, _) in enumerate(phrases.most_common(terms)):
        slug = re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-") or f"term-{number}"
        (folder / "content" / "glossary" / f"{slug}.md").write_text(
            f"---\nterm: {term}\naliases: [\"{term} Group\"]\ncategory: concept\n---\n"
            f"{term} is a name that occurs often in these texts.\n\nA longer explanation of {term}.\n",
            encoding="utf-8")
    return folder


def add_notes(folder: Path, slugs_and_texts: list[tuple[str, str]]) -> None:
    """One note per article, quoting a real sentence of it that occurs once (a quote found several
    times is an error the editor must resolve; needs the slugs the build assigned)."""
    for slug, text in slugs_and_texts:
        quotes = (match.group(0)[:80].rsplit(" ", 1)[0] for match in SENTENCE.finditer(text))
        quote = next((quote for quote in quotes if text.count(quote) == 1), None)
        if quote:
            (folder / "content" / "notes" / f"{slug}.yml").write_text(
                f"- quote: {json.dumps(quote)}\n  note: An editor's note on this passage.\n", encoding="utf-8")
