"""Fuzzy-match candidates for a chunk of records: blocking lookups in SQL, a title-length window in C.

Each distinct blocking key of a chunk is looked up once, and at most
``DedupConfig.max_candidates`` works are read per key (the oldest of the block, straight
from the ``blocks`` primary key, so a block of any size costs the same).  A key's works are
kept sorted by the length of their word-sorted title keys: the title score cannot reach
the threshold when two lengths differ by more than ``(1 - t) * (la + lb)``, so each record
takes only the slice of each block whose lengths could match (two bisections), and the
matcher (:func:`bibmine.corpus.matching.decide`) scores those few.

Where a block's slice is long (a prolific author's works of a year), the characters are
counted too: two strings share at most ``sum over characters of min(count in a, count in b)``
characters in order, so a ratio of ``2 * LCS / (la + lb)`` cannot reach the threshold when that
bound does not.  One vectorised step per block (NumPy, the counts kept with the cached block)
leaves rapidfuzz the few titles that could match (on realistic WoS records: none of 13,621 pairs
passed the bound, every one of them was scored before).

Leaving out a work whose titles cannot reach the threshold changes nothing: the matcher
would give it no score.  A work is judged by its first candidate, stored works before the
works of the same chunk, as the matcher always did.

>>> from bibmine.corpus.dedup import Candidate, DedupConfig
>>> block = KeyBlock([Candidate(1, 2020, ["soil of the voronezh region"], "ivanov"),
...                   Candidate(2, 2020, ["a very much longer title about something else entirely"], "ivanov")])
>>> [c.work_id for c in candidates_for(["soil of the voronezh region"], [block], [], DedupConfig())]
[1]
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

import msgspec

from bibmine.corpus.dedup import Candidate, DedupConfig, match_queries, sorted_key

if TYPE_CHECKING:
    import numpy as np

_BINS = 128  # characters counted modulo 128: collisions only loosen the bound
_INT16 = "int16"  # the counts' type for titles shorter than 32,768 characters (numpy dtypes equal their names)
HIST_MIN = 12  # a block slice at least this long is filtered by character counts before rapidfuzz
BLOCK_ENTRIES = 100_000  # titles of the cached blocks: about 30 MB with their counts, however large the import


def char_counts(strings: list[str]) -> np.ndarray:
    """(len(strings), _BINS) counts of each string's characters (code point mod _BINS)."""
    import numpy as np  # only when a long block is met: importing bibmine.corpus loads no NumPy

    if len(strings) == 1:  # a record's one title: the same counts in fewer NumPy steps
        codes = np.frombuffer(strings[0].encode("utf-32-le", "surrogatepass"), dtype=np.uint32) & (_BINS - 1)
        return np.bincount(codes, minlength=_BINS).reshape(1, _BINS)
    codes = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype=np.uint32) & (_BINS - 1)
    rows = np.repeat(np.arange(len(strings), dtype=np.int64), [len(x) for x in strings])
    counts = np.bincount(rows * _BINS + codes, minlength=len(strings) * _BINS)
    small = max(map(len, strings), default=0) < 1 << 15  # 256 bytes a title, unless one is absurdly long
    return counts.astype(np.int16 if small else np.int32).reshape(len(strings), _BINS)


class Probe:
    """A record's title keys as the character-count filter needs them (computed on first use)."""

    __slots__ = ("queries", "_counts", "_small", "_lens")

    def __init__(self, queries: list[str]):
        self.queries = queries
        self._counts: np.ndarray | None = None
        self._small: np.ndarray | None = None
        self._lens: list[int] = []

    def counts(self, dtype=None) -> tuple[np.ndarray, list[int]]:
        """(counts, lengths); ``dtype`` int16: the counts capped at 32,767 in that type, which gives every
        block of titles shorter than that (so int16 counts) the same minimums in fewer bytes."""
        if self._counts is None:
            self._counts = char_counts(self.queries)
            self._lens = [len(q) for q in self.queries]
        if dtype is None or dtype != _INT16:
            return self._counts, self._lens
        if self._small is None:
            import numpy as np

            self._small = np.minimum(self._counts, 32767).astype(np.int16)
        return self._small, self._lens


class KeyBlock:
    """The stored works of one blocking key, by the length of their title keys."""

    __slots__ = ("lengths", "entries", "wids", "keys", "_counts", "_scaled", "_cutoff")

    def __init__(self, cands: list[Candidate]):
        entries = []
        for cand in cands:
            for b in (cand.title_keys if cand.sorted_keys is None else cand.sorted_keys):
                entries.append((len(b), b, cand))
        entries.sort(key=lambda e: e[0])  # stable: the oldest work first among equal lengths
        self.lengths = [n for n, _, _ in entries]
        self.keys = [b for _, b, _ in entries]  # a title key or its sorted form: the same characters
        self.entries = [c for _, _, c in entries]
        self.wids = {c.work_id for c in cands}
        self._counts: np.ndarray | None = None
        self._scaled: np.ndarray | None = None  # title lengths times _cutoff / 200
        self._cutoff: float | None = None

    def extend(self, cands: list[Candidate]) -> int:
        """Add works newer than every work of the block (a block that grew since it was built); returns the number
        of titles added.  Each title goes after the titles of its length, so the order is the one a new block of
        all the works would have."""
        lengths, keys, entries = self.lengths, self.keys, self.entries
        added = 0
        for cand in cands:
            for b in (cand.title_keys if cand.sorted_keys is None else cand.sorted_keys):
                i = bisect_right(lengths, len(b))
                lengths.insert(i, len(b))
                keys.insert(i, b)
                entries.insert(i, cand)
                added += 1
            self.wids.add(cand.work_id)
        self._counts = self._scaled = None
        return added

    def within(self, lo: float, hi: float, probe: Probe | None = None, cutoff: float = 0.0) -> list[Candidate]:
        """Candidates whose title length is in [lo, hi]; with ``probe``, of a long slice only those whose
        character counts let the ratio reach ``cutoff`` against one of the probe's queries."""
        i, j = bisect_left(self.lengths, lo), bisect_right(self.lengths, hi)
        if probe is None or j - i < HIST_MIN:
            return self.entries[i:j]
        import numpy as np

        if self._counts is None:
            self._counts = char_counts(self.keys)
        if self._scaled is None or self._cutoff != cutoff:
            self._scaled = np.asarray(self.lengths, dtype=np.float64) * (cutoff / 200.0)
            self._cutoff = cutoff
        counts, needed = self._counts[i:j], self._scaled[i:j]
        qcounts, qlens = probe.counts(counts.dtype)
        keep = None
        for q in range(len(qlens)):
            # ratio = 200 * LCS / (la + lb) <= 200 * shared / (la + lb): keep when 200 * (shared + 1) >=
            # cutoff * (la + lb), i.e. shared >= la * cutoff / 200 + lb * cutoff / 200 - 1 (one character of
            # slack for rounding, and a hair more so that the rearranged floats never drop a tie); a sum of
            # minimums is at most a block title's length, so it fits the counts' type
            shared = np.minimum(counts, qcounts[q]).sum(axis=1, dtype=counts.dtype)
            passed = shared >= needed + (qlens[q] * cutoff / 200.0 - 1.0 - 1e-9)
            keep = passed if keep is None else keep | passed
        entries = self.entries
        return [entries[i + k] for k in np.flatnonzero(keep).tolist()]


class CandidateCache:
    """Candidates of stored works, kept between chunks (a block's oldest works are read again and again).

    The owner drops a work whenever it changes (:meth:`forget`); past ``size`` works the cache
    starts again, so memory stays flat however large the import.
    """

    def __init__(self, size: int = 60000):
        self.size = size
        self.works: dict[int, Candidate] = {}
        # KeyBlocks of the keys met, with the candidates they were built from: an unchanged block
        # (a prolific author's, looked up by every chunk) is not sorted again; past ``entries``
        # titles in all (each with its character counts, 256 bytes) the blocks start again
        self.blocks: dict[str, tuple[list[Candidate], KeyBlock, list[int], int]] = {}
        self.entries = 0
        self.epoch = 0  # bumped whenever a cached work is dropped: blocks built before may hold it

    def forget(self, *work_ids: int) -> None:
        for wid in work_ids:
            if self.works.pop(wid, None) is not None:
                self.epoch += 1

    def unchanged(self, key: str, wids: list[int]) -> KeyBlock | None:
        """The cached KeyBlock of ``key`` when it was built from the same works and none of them changed since."""
        hit = self.blocks.get(key)
        if hit is not None and hit[3] == self.epoch and hit[2] == wids:
            return hit[1]
        return None

    def block(self, key: str, cands: list[Candidate], wids: list[int]) -> KeyBlock:
        """The KeyBlock of ``cands`` (the works ``wids`` of ``key``), reused when the candidates are the same as
        last time."""
        hit = self.blocks.get(key)
        if hit is not None:
            old = hit[0]
            if old == cands:
                self.blocks[key] = (cands, hit[1], wids, self.epoch)
                return hit[1]
            if len(cands) > len(old) and cands[:len(old)] == old:
                # the block grew (its works are the oldest of the key, so the new ones are newer than all of them):
                # add them instead of sorting the whole block again, as each chunk would while the block fills up
                self.entries += hit[1].extend(cands[len(old):])
                del self.blocks[key]
                self.entries -= len(hit[1].entries)
                return self._keep(key, cands, hit[1], wids)
        return self._keep(key, cands, KeyBlock(cands), wids)

    def _keep(self, key: str, cands: list[Candidate], block: KeyBlock, wids: list[int]) -> KeyBlock:
        if len(self.blocks) >= self.size or self.entries + len(block.entries) > BLOCK_ENTRIES:
            self.blocks.clear()
            self.entries = 0
        self.blocks[key] = (cands, block, wids, self.epoch)
        self.entries += len(block.entries)
        return block

    def fill(self, db: sqlite3.Connection, work_ids: list[int]) -> None:
        missing = [wid for wid in work_ids if wid not in self.works]
        if len(self.works) + len(missing) > self.size:
            self.works.clear()
            self.blocks.clear()
            self.entries = 0
            self.epoch += 1
            missing = work_ids
        if not missing:
            return
        db.execute("CREATE TEMP TABLE IF NOT EXISTS probe_works(id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM probe_works")
        db.executemany("INSERT OR IGNORE INTO probe_works VALUES (?)", [(w,) for w in missing])
        for wid, year, tk, fa, ts in db.execute(
                "SELECT w.id, w.year, w.title_keys, w.first_author, w.title_sorted FROM probe_works p "
                "JOIN works w ON w.id = p.id"):
            keys = (tk or "").split("\n")
            self.works[wid] = Candidate(wid, year, keys, fa,
                                        [sorted_key(k) for k in keys] if ts is None else ts.split("\n"))


def lookup_blocks(db: sqlite3.Connection, keys: list[str], cap: int,
                  cache: CandidateCache | None = None) -> dict[str, KeyBlock]:
    """The stored works of each key (at most ``cap`` per key, the oldest), one query for the chunk."""
    if not keys:
        return {}
    cache = cache or CandidateCache()
    # the chunk's keys go in as one JSON array (json_each), not row by row into a temporary table
    # (measured: 8 us a record for those inserts on realistic RIS records); one row per key comes back,
    # its work ids joined by SQLite (a prolific author's block is 200 rows otherwise)
    by_key = {key: list(map(int, wids.split(","))) for key, wids in db.execute(
        "SELECT p.value, group_concat(b.work_id) FROM json_each(?) p JOIN blocks b ON b.key = p.value "
        "WHERE b.work_id <= coalesce((SELECT b2.work_id FROM blocks b2 WHERE b2.key = p.value "
        "ORDER BY b2.work_id LIMIT 1 OFFSET ?), 9223372036854775807) GROUP BY p.value",
        (msgspec.json.encode(list(dict.fromkeys(keys))), cap - 1))}
    out: dict[str, KeyBlock] = {}
    todo: dict[str, list[int]] = {}
    for key, wids in by_key.items():
        block = cache.unchanged(key, wids)
        if block is not None:  # the same works as last time, none of them changed: no candidate is read
            out[key] = block
        else:
            todo[key] = sorted(wids)  # the oldest first, whatever order group_concat gave
    if todo:
        cache.fill(db, list({wid for wids in todo.values() for wid in wids}))
        works = cache.works
        for key, wids in todo.items():
            out[key] = cache.block(key, [works[w] for w in wids if w in works], wids)
    return out


def window(queries: list[str], config: DedupConfig) -> tuple[float, float] | None:
    """Title lengths that could reach the threshold against ``queries`` (:func:`~bibmine.corpus.dedup.match_queries`;
    None: no title is long enough to match)."""
    if not queries:
        return None
    lengths = [len(q) for q in queries]
    t = (config.title_threshold - 0.5) / 100.0  # the same slack as matching._titles_alike
    return min(lengths) * t / (2 - t) - 1, max(lengths) * (2 - t) / t + 1


def candidates_for(keys: list[str], stored: list[KeyBlock], local: list[Candidate],
                   config: DedupConfig, queries: list[str] | None = None) -> list[Candidate]:
    """The candidates :func:`~bibmine.corpus.matching.decide` needs: the first one of each work, stored
    works first, kept only when one of its title lengths is in the :func:`window` (``queries``: the
    record's :func:`~bibmine.corpus.dedup.match_queries`, when the caller has them)."""
    if queries is None:
        queries = match_queries(keys, config)
    span = window(queries, config)
    if span is None:
        return []
    lo, hi = span
    probe = Probe(queries)
    cutoff = config.title_threshold - 0.5  # matching._titles_alike's cut-off
    # the first candidate of each work, in order: a stored work has one Candidate object per lookup
    out: dict[int, Candidate] = {cand.work_id: cand for block in stored
                                 for cand in block.within(lo, hi, probe, cutoff)}
    if local:
        seen: set[int] = set()
        stored_wids = [block.wids for block in stored]
        for cand in local:
            wid = cand.work_id
            if wid in seen:
                continue  # a work's later candidates in this chunk are never looked at
            for wids in stored_wids:  # a plain loop: any() over a generator cost more than these few lookups
                if wid in wids:
                    break  # a stored work: its stored candidate stands
            else:
                seen.add(wid)
                sk = cand.title_keys if cand.sorted_keys is None else cand.sorted_keys
                if len(sk) == 1:
                    if lo <= len(sk[0]) <= hi:
                        out.setdefault(wid, cand)
                elif any(lo <= len(b) <= hi for b in sk):
                    out.setdefault(wid, cand)
    return list(out.values())

