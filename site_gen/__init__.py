"""site-gen: plain-text articles to an annotated, searchable static site."""

__version__ = "0.1.0"
