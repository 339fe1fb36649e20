"""``@record``: a frozen, slotted dataclass that pickles as its class and its field values.

Every value passed between stages is a record, and worker processes send their results back
pickled. A slotted dataclass otherwise pickles through the generic ``__getstate__`` and
``__setstate__`` of :mod:`dataclasses`, which look the fields up again for every object: sending
the values as one tuple, and making the object again with its constructor, is much cheaper for the
many pages and annotated documents that workers send back.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, **options: Any) -> Any:
    """``@dataclass(frozen=True, slots=True, **options)``, pickled by field values."""

    def make(cls: type[T]) -> type[T]:
        made = dataclass(frozen=True, slots=True, **options)(cls)
        names = [f.name for f in fields(made)]
        values = attrgetter(*names)
        if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
            made.__reduce__ = lambda self: (made, (values(self),))  # type: ignore[method-assign]
        else:
            made.__reduce__ = lambda self: (made, values(self))  # type: ignore[method-assign]
        return made

    return make(cls) if cls is not None else make
