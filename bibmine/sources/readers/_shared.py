"""Small helpers several readers need on their hot path (not a reader: no READERS here)."""

from __future__ import annotations

from functools import lru_cache

from bibmine.record import normalize_person

# Authors recur across the records of one corpus (and within it, in C1/OI/RI), so a
# cache pays off; normalize_person costs 2-3 us per call.
person_key = lru_cache(maxsize=1 << 16)(normalize_person)

