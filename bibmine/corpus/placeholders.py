"""Placeholder values, for code that imports them from here: they live in :mod:`bibmine.placeholders`, a
leaf module that the file readers and the record model import."""

from bibmine.placeholders import PLACEHOLDERS, clean, is_placeholder

__all__ = ["PLACEHOLDERS", "clean", "is_placeholder"]
