"""``@record``: frozen, slotted, and pickled as class plus field values (what workers send back)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from site_gen import diagnostics, model
from site_gen.annotate.matcher import TermMatch
from site_gen.diagnostics import Diagnostic, Severity, SourceLocation
from site_gen.model import Heading, Occurrence, Page
from site_gen.record import record

RECORDS = sorted(
    {value for module in (model, diagnostics) for value in vars(module).values()
     if isinstance(value, type) and dataclasses.is_dataclass(value) and "__slots__" in vars(value)} | {TermMatch},
    key=lambda cls: cls.__name__,
)


def _page() -> Page:
    meta = model.DocumentMeta(title="Oil", slug="oil", date="2024-01-02", tags=("energy",))
    return Page(kind="article", meta=meta, url="articles/oil/", body_html="<p>Oil</p>",
                source=SourceLocation("content/articles/oil.md", 5), description="Oil.",
                toc=(Heading(2, "Prices", "prices"),), footnote_count=1,
                occurrences=(("opec", (Occurrence("opec", "oil", "t-opec-1", "", "OPEC", " met.", False),)),),
                word_count=1, text="Oil", links=("../glossary/opec.md",))


def test_every_value_passed_between_stages_is_a_record():
    assert {cls.__name__ for cls in RECORDS} >= {"Seed", "Document", "AnnotatedDocument", "ContentFile", "Page",
                                                  "OutputFile", "Diagnostic", "SourceLocation", "TermMatch"}
    for cls in RECORDS:
        assert cls.__reduce__ is not object.__reduce__, cls.__name__
        assert cls.__dataclass_params__.frozen, cls.__name__


def test_a_record_pickles_as_its_class_and_field_values():
    page = _page()
    cls, values = page.__reduce__()
    assert cls is Page
    assert values == tuple(getattr(page, f.name) for f in dataclasses.fields(Page))
    again = pickle.loads(pickle.dumps(page, 5))
    assert again is not page  # Page compares by identity (eq=False): compare its fields
    assert dataclasses.astuple(again) == dataclasses.astuple(page)


def test_records_keep_their_options_and_round_trip():
    location = SourceLocation("seeds/a.txt", 3, 1)
    problem = Diagnostic(Severity.WARNING, "odd", location, "fix it")
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert sorted([SourceLocation("z"), location]) == [location, SourceLocation("z")]  # order=True kept
    with pytest.raises(dataclasses.FrozenInstanceError):
        location.line = 4  # type: ignore[misc]


@record
class Single:
    name: str


def test_a_record_of_one_field():
    assert Single("x").__reduce__() == (Single, ("x",))
    assert pickle.loads(pickle.dumps(Single("x"))) == Single("x")
