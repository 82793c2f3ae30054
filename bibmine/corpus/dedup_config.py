"""The thresholds of the duplicate matcher, declared once (``bibmine import`` and ``bibmine dedup`` show
these defaults in their help, so this module imports nothing heavy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DedupConfig:
    """Thresholds of the fuzzy matcher (defaults tuned for vendor title variants)."""

    title_threshold: float = 93.0  # rapidfuzz token_sort_ratio, 0..100
    year_tolerance: int = 1  # online-first vs issue year
    min_title_words: int = 4  # shorter titles ("Editorial", "Introduction") never fuzzy-match
    surname_threshold: float = 85.0
    max_candidates: int = 200  # per blocking key, a guard against degenerate blocks
    max_reviews: int = 3  # look-alike pairs listed for review per incoming record, closest first
