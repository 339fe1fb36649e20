"""Diagnostics cross process boundaries (worker results, forked stages) intact."""

from __future__ import annotations

import pickle

from site_gen.diagnostics import InputError, SourceLocation, error


def test_an_input_error_comes_back_from_a_worker_with_its_diagnostics_and_message() -> None:
    problem = InputError([error("bad YAML", SourceLocation("content/notes/a.yml", 2, 5), "close the bracket")])
    again = pickle.loads(pickle.dumps(problem))
    assert type(again) is InputError
    assert again.diagnostics == problem.diagnostics
    assert str(again) == str(problem) == "content/notes/a.yml:2:5: error: bad YAML\n  hint: close the bracket"
