"""Adding records to the corpus: exact and fuzzy dedup, and merge.

Records arrive in chunks (:meth:`Ingestor.add_many`): duplicates, identifier hits
and fuzzy candidates of a whole chunk are looked up with a few set-based queries,
new works are written with ``executemany``, and only records that merge into an
existing work take the slower per-record path that rebuilds the work.  Records
within one chunk are matched against each other too, so chunking never changes
the result.

>>> import tempfile, pathlib
>>> from bibmine.record import Record, Kind, Text, Identifiers
>>> from bibmine.corpus.store import Corpus
>>> c = Corpus(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
>>> ing = Ingestor(c)
>>> b = c.start_batch("file", "x.ris")
>>> r = Record(kind=Kind.ARTICLE, titles=[Text("Soil cover of Voronezh region")],
...            ids=Identifiers(doi="10.1/x"), year=2020, raw="TY  - JOUR", source="ris")
>>> ing.add(r, b).outcome, ing.add(r, b).outcome
('new', 'duplicate')
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from bibmine.corpus.candidates import CandidateCache, candidates_for, lookup_blocks
from bibmine.corpus.dedup import (
    Candidate,
    DedupConfig,
    IdMap,
    id_map,
    key_sets,
    match_queries,
    sorted_key,
    text_keys,
    title_keys,
    title_match,
    year_key_sets,
)
from bibmine.corpus.matching import Decision, Place, decide, place_of, places_disagree
from bibmine.corpus.rawtext import PACKED, can_pack, compress_bytes, load_record, pack
from bibmine.corpus.store import Batch, Corpus, now
from bibmine.corpus.works import WorkEditor
from bibmine.record import Record, to_json

# Rubric assignments that go to the rubric_assignments table (vendor classifications
# such as WoS categories or OpenAlex topics stay in the record only).
_TABLE_RUBRIC_SOURCES = ("manual", "automatic")


@dataclass(frozen=True)
class AddResult:
    outcome: str  # new | merged | duplicate
    uid: str
    rule: str | None = None
    score: float | None = None


class Prepared(msgspec.Struct, array_like=True):
    """A record reduced to what matching and writing need, all computed once.

    Plain values only, so a reader process can prepare records and send them to
    the process that writes the corpus (see :mod:`bibmine.corpus.importer`).
    """

    fmt: str
    raw: str | None  # the text as read; None once compressed into raw_z or packed into data
    fingerprint: str
    # the record as UTF-8 JSON, its id set to the uid it gets if it is new (stored as TEXT); packed (raw_codec
    # 'packed', bibmine.corpus.rawtext): one zstd frame of that JSON and the raw text, stored as a BLOB
    data: bytes
    keys: list[str]  # comparable title keys
    pairs: list[tuple[str, str]]  # identifiers
    surname: str | None
    year: int | None
    kind: str
    title: str | None
    doi: str | None
    lookup: list[str]  # blocking keys to search, across tolerated years
    blocks: list[str]  # blocking keys to file the record under
    rubrics: list[tuple[str, str, str, str, float | None]]  # scheme, code, source, annotator, score
    place: tuple[str | None, str | None] = (None, None)  # (volume, first page): breaks ambiguous ties
    candidates: list[Candidate] = []  # extra candidates to consider first (the blocks are looked up per chunk)
    id_hits: list[tuple[str, int]] = []  # (scheme, work id) of stored works sharing an identifier
    sorted_keys: list[str] = []  # keys with their words sorted (dedup.sorted_key), for works.title_sorted
    raw_z: bytes | None = None  # the raw text compressed with raw_codec (bibmine.corpus.rawtext), unless packed
    raw_codec: str | None = None  # None (raw as read), 'packed' (raw inside data), 'zstd' or 'zlib' (raw_z)
    # the title texts of a record prepared without its keys (prepare(keyed=False)): the writer computes keys,
    # lookup, blocks and sorted_keys from them (add_keys); None once it has
    titles: list[str] | None = None

    @property
    def stored_raw(self) -> str | bytes | None:
        """What goes into source_records.raw (with raw_codec)."""
        return self.raw if self.raw_z is None else self.raw_z

    @property
    def uid(self) -> str:
        return "bm" + self.fingerprint[:16]


def prepare(record: Record, default_format: str, tolerance: int, *, compress: bool = False,
            keyed: bool = True) -> Prepared:
    """Everything the corpus needs to know of a record before it meets the database.

    With ``compress`` the record is stored packed: its JSON and raw text in one zstd frame
    (:mod:`bibmine.corpus.rawtext`; without zstandard, its raw text compressed alone), the raw text from
    the same UTF-8 bytes the fingerprint hashes (the text is encoded once).  Without ``keyed`` the title
    and blocking keys are left to :func:`add_keys` (the reader process of an import is the slower one;
    the writer computes them while it would wait).
    """
    fmt = record.source or default_format
    raw = record.raw if record.raw is not None else to_json(record).decode()
    raw_bytes = raw.encode("utf-8", "surrogatepass")
    digest = hashlib.sha1(fmt.encode())  # sha1 of "format NUL raw"
    digest.update(b"\0")
    digest.update(raw_bytes)
    fingerprint = digest.hexdigest()
    record = msgspec.structs.replace(record, raw=None, id="bm" + fingerprint[:16])
    rubrics = [(r.scheme, r.code, r.source, r.annotator or "", r.score)
               for r in record.rubrics if r.source in _TABLE_RUBRIC_SOURCES]
    data = to_json(record)
    prepared = Prepared(fmt, raw, fingerprint, data, [], record.ids.pairs(),
                        record.first_author_surname, record.year, record.kind.value, record.title, record.ids.doi,
                        [], [], rubrics, place_of(record.venue.volume, record.venue.pages),
                        titles=[t.text for t in record.titles])
    if keyed:
        add_keys(prepared, tolerance)
    if compress and can_pack():
        prepared.data, prepared.raw_codec, prepared.raw = pack(data, raw_bytes), PACKED, None
    elif compress:
        prepared.raw_z, prepared.raw_codec = compress_bytes(raw_bytes)
        prepared.raw = None
    return prepared


def add_keys(item: Prepared, tolerance: int) -> None:
    """Fill the title keys, blocking keys and word-sorted keys of a record prepared without them."""
    if item.titles is None:
        return
    keys = text_keys(item.titles)
    lookup, blocks = year_key_sets(item.year, item.surname, keys, tolerance)
    item.keys, item.lookup, item.blocks = keys, lookup, sorted(blocks)
    item.sorted_keys = [sorted_key(k) for k in keys]
    item.titles = None


class Ingestor(WorkEditor):
    """Adds records to a corpus; call inside a transaction (the importer does)."""

    def __init__(self, corpus: Corpus, config: DedupConfig | None = None, *, fuzzy: bool = True):
        super().__init__(corpus)
        self.config = config or DedupConfig()
        self.fuzzy = fuzzy
        self._cands = CandidateCache()  # stored works as candidates; WorkEditor.rebuild/absorb forget changed ones
        # per chunk (reset by add_prepared): identifiers and uids of the works met, new works not yet
        # written, and the stored blocks of the chunk's keys
        self._ids: dict[int, IdMap] = {}
        self._new_pairs: dict[int, list[tuple[str, str]]] = {}  # identifiers of new works, mapped when asked
        self._uids: dict[int, str] = {}
        self._pending: list[tuple[int, Prepared]] = []
        self._blocks: dict = {}

    # ------------------------------------------------------------ adding
    def add(self, record: Record, batch: Batch) -> AddResult:
        return self.add_many([record], batch)[0]

    def add_many(self, records: Sequence[Record], batch: Batch) -> list[AddResult]:
        """Add a chunk of records (a few thousand at most); one result per record, in order."""
        tolerance = self.config.year_tolerance
        return self.add_prepared([prepare(r, batch.kind, tolerance) for r in records], batch)

    def add_prepared(self, items: list[Prepared], batch: Batch) -> list[AddResult]:
        """:meth:`add_many` for records already :func:`prepare`-d (perhaps in another process)."""
        known = self._known_fingerprints([it.fingerprint for it in items])
        tolerance = self.config.year_tolerance
        for it in items:
            if it.titles is not None and it.fingerprint not in known:  # a stored record needs no keys
                add_keys(it, tolerance)
        self._lookup_ids(items)
        if self.fuzzy:
            # records whose identifier hits turn out to conflict are matched by title too
            self._lookup_candidates([it for it in items if it.keys])
        stamp = now()
        self._ids, self._new_pairs, self._uids, self._pending = {}, {}, {}, []
        next_id = (self.db.execute("SELECT max(id) FROM works").fetchone()[0] or 0) + 1
        local_ids: dict[tuple[str, str], list[int]] = defaultdict(list)  # identifiers of this chunk -> works
        local_blocks: dict[str, list[Candidate]] = defaultdict(list)
        results: list[AddResult] = []
        for it in items:
            batch.n_read += 1
            if it.fingerprint in known:
                batch.n_duplicate += 1
                results.append(AddResult("duplicate", known[it.fingerprint]))
                continue
            decision = self._decide(it, local_ids, local_blocks)
            target = decision.target
            if target is None:
                uid = it.uid
                target = next_id
                next_id += 1
                self._pending.append((target, it))
                self._new_pairs[target] = it.pairs  # most new works are never compared: no IdMap for them
                self._uids[target] = uid
                batch.n_new += 1
                results.append(AddResult("new", uid))
            else:
                self._flush_if_pending(batch, stamp, target, *decision.join)
                uid = self._merge_into(target, it, batch, decision.rule, decision.score)
                for other in decision.join:
                    self.absorb(target, other, decision.rule, 1.0)
                self._ids[target] = _union(self._ids_of(target), id_map(it.pairs))
                batch.n_merged += 1
                results.append(AddResult("merged", uid, decision.rule, decision.score))
            known[it.fingerprint] = uid
            self._note_reviews(uid, decision)
            if decision.contested:
                self._flush(batch, stamp)  # splitting creates works: the pending ones keep their ids
                for work, schemes in decision.contested:
                    for moved, rule, score in self._split_ambiguous(work, schemes, it):
                        self.absorb(target, moved, rule, score)
                self._forget_ids(target)
                next_id = max(next_id, (self.db.execute("SELECT max(id) FROM works").fetchone()[0] or 0) + 1)
            for pair in it.pairs:
                local_ids[pair].append(target)
            cand = Candidate(target, it.year, it.keys, it.surname, it.sorted_keys or None)
            for key in it.blocks:
                local_blocks[key].append(cand)
        self._flush(batch, stamp)
        return results

    def _flush(self, batch: Batch, stamp: str) -> None:
        """Write this chunk's new works now."""
        if self._pending:
            self._write_new(self._pending, batch, stamp)
            self._pending = []

    def _flush_if_pending(self, batch: Batch, stamp: str, *works: int) -> None:
        """Write this chunk's new works if any of ``works`` is among them (it is about to change)."""
        if any(wid in works for wid, _ in self._pending):
            self._flush(batch, stamp)

    def _decide(self, it: Prepared, local_ids: dict, local_blocks: dict) -> Decision:
        hits = list(it.id_hits)
        for pair in it.pairs:
            hits.extend((pair[0], w) for w in local_ids.get(pair, ()))
        cands: list[Candidate] = []
        queries = None
        if self.fuzzy and it.keys:
            # a record takes the works of its title keys first, of its first-author key last (key_sets' order)
            blocks = self._blocks
            stored = [blocks[key] for key in it.lookup if key in blocks]
            local = [cand for key in it.lookup for cand in local_blocks.get(key, ())]
            queries = match_queries(it.keys, self.config, it.sorted_keys)
            cands = list(it.candidates) + candidates_for(it.keys, stored, local, self.config, queries)
        return decide(it.pairs, it.keys, it.year, it.surname, hits, cands, self._ids_of, self.config,
                      fuzzy=self.fuzzy, place=tuple(it.place), place_of_work=self._place_of, queries=queries)

    def _place_of(self, work_id: int) -> Place:
        for wid, it in self._pending:
            if wid == work_id:
                return tuple(it.place)
        row = self.db.execute("SELECT data FROM work_data WHERE id=?", (work_id,)).fetchone()
        if row is None:
            return None, None
        venue = load_record(row[0]).venue
        return place_of(venue.volume, venue.pages)

    def _note_reviews(self, uid: str, decision: Decision) -> None:
        """Pairs that look alike but a rule keeps apart go to the analyst's review list.

        Only the record's ``max_reviews`` closest look-alikes are listed: a series of reports
        whose titles differ only in their number would otherwise list every pair (quadratic).
        """
        if not decision.reviews:
            return
        others = [(uid, self._uid_of(work), score, reason) for work, score, reason in decision.reviews]
        others = [r for r in others if r[1] != uid]
        closest = sorted(others, key=lambda r: -(r[2] if r[2] is not None else 0.0))
        self._add_reviews(closest[:self.config.max_reviews])

    def _add_reviews(self, pairs: list[tuple[str, str, float | None, str]]) -> None:
        """Store (uid, uid, score, reason) review pairs, each pair once whatever its order."""
        if not pairs:  # most records: no clock reading
            return
        stamp = now()
        rows = [(*sorted((a, b)), score, reason, stamp) for a, b, score, reason in pairs if a != b]
        if rows:
            self.db.executemany("INSERT OR IGNORE INTO dedup_candidates(uid_a, uid_b, score, reason, created) "
                                "VALUES (?,?,?,?,?)", rows)

    def _uid_of(self, work_id: int) -> str:
        if work_id not in self._uids:
            self._uids[work_id] = self.db.execute("SELECT uid FROM works WHERE id=?", (work_id,)).fetchone()[0]
        return self._uids[work_id]

    def _split_ambiguous(self, work_id: int, schemes: list[str], it: Prepared) -> list[tuple[int, str, float]]:
        """Split out the members of a work that ``it`` shows to be ambiguous; return those that go with ``it``.

        ``it`` carries other values of ``schemes`` than the work, so the two are different
        works.  A member with no value of those schemes that links to ``it`` (a shared
        identifier, or a matching title where the member has no identifier in common with
        its work-mates) could belong to either: it stands alone and the pair is listed for
        review, as it would had it arrived last.  When its volume and first page agree with
        ``it`` and contradict every member that carries the conflicting identifiers, it is
        not ambiguous but on the wrong side: it is returned as (new work id, rule, score),
        to be joined with ``it``.
        """
        rows = self.db.execute("SELECT id, data FROM source_records WHERE work_id=? ORDER BY id",
                               (work_id,)).fetchall()
        if len(rows) < 2:
            return []
        members = {sid: load_record(data) for sid, data in rows}
        maps = {sid: id_map(rec.ids.pairs()) for sid, rec in members.items()}
        places = {sid: place_of(rec.venue.volume, rec.venue.pages) for sid, rec in members.items()}
        anchors = [sid for sid in members if any(maps[sid].get(s) for s in schemes)]
        theirs, its_place = id_map(it.pairs), tuple(it.place)
        to_it, alone = [], []
        for sid, rec in members.items():
            if sid in anchors:
                continue
            with_mates = any(_shares(maps[sid], maps[o]) for o in members if o != sid)
            rule, score = "identifier", 1.0
            if not _shares(maps[sid], theirs):
                if with_mates or places_disagree(places[sid], its_place):
                    continue
                cand = Candidate(-1, rec.year, title_keys(rec), rec.first_author_surname)
                title_score, reason = title_match(it.keys, it.year, it.surname, cand, self.config)
                if title_score is None or reason is not None:
                    continue
                rule, score = "fuzzy_title", title_score / 100.0
            if anchors and not with_mates and all(places_disagree(places[sid], places[a]) for a in anchors):
                to_it.append((sid, rule, score))
            else:
                alone.append(sid)
        if not (to_it or alone) or len(to_it) + len(alone) == len(members):
            return []
        for sid in alone:
            new_uid = self.split_out(work_id, sid, "ambiguous: matches works whose identifiers differ")
            self._add_reviews([(new_uid, self._uid_of(work_id), None, "split out: ambiguous, matches works "
                                f"whose identifiers differ ({', '.join(schemes)})")])
        moved = []
        for sid, rule, score in to_it:
            uid = self.split_out(work_id, sid, "published where the other record was, not where its work-mates were")
            moved.append((self.db.execute("SELECT id FROM works WHERE uid=?", (uid,)).fetchone()[0], rule, score))
        self._forget_ids(work_id)
        return moved

    # ------------------------------------------------------------ set-based lookups
    def _known_fingerprints(self, fingerprints: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        out.update(_select_in(self.db, "SELECT s.fingerprint, w.uid FROM source_records s JOIN works w "
                              "ON w.id=s.work_id WHERE s.fingerprint IN ({})", fingerprints))
        return out

    def _lookup_ids(self, items: list[Prepared]) -> None:
        probe = [(scheme, value, n) for n, it in enumerate(items) for scheme, value in it.pairs]
        if not probe:
            return
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS probe_ids(scheme TEXT, value TEXT, n INTEGER)")
        self.db.execute("DELETE FROM probe_ids")
        self.db.executemany("INSERT INTO probe_ids VALUES (?,?,?)", probe)
        rows = self.db.execute(
            "SELECT p.n, p.scheme, i.work_id FROM probe_ids p JOIN identifiers i "
            "ON i.scheme=p.scheme AND i.value=p.value ORDER BY p.rowid").fetchall()
        for n, scheme, work_id in rows:
            items[n].id_hits.append((scheme, work_id))

    def _lookup_candidates(self, items: list[Prepared]) -> None:
        """Stored works under the chunk's blocking keys (bibmine.corpus.candidates), for :meth:`_decide`."""
        wanted = list(dict.fromkeys(key for it in items for key in it.lookup))
        self._blocks = lookup_blocks(self.db, wanted, self.config.max_candidates, self._cands)

    # ------------------------------------------------------------ matching stored works
    def best_fuzzy(self, record: Record, keys: list[str], *, before: int | None = None) -> Decision:
        """The rules of :func:`~bibmine.corpus.matching.decide` against stored works (id < ``before`` if set)."""
        limit = before if before is not None else 1 << 62
        pairs = record.ids.pairs()
        hits = [(scheme, wid) for scheme, value in pairs for (wid,) in self.db.execute(
            "SELECT work_id FROM identifiers WHERE scheme=? AND value=? AND work_id < ?", (scheme, value, limit))]
        cands: list[Candidate] = []
        lookup = key_sets(record, keys, self.config.year_tolerance)[0]
        if lookup:
            rows = self.db.execute(
                "SELECT DISTINCT w.id, w.year, w.title_keys, w.first_author FROM blocks b JOIN works w "
                "ON w.id=b.work_id WHERE b.key IN (" + ",".join("?" * len(lookup)) + ") AND w.id < ? LIMIT ?",
                (*lookup, limit, self.config.max_candidates)).fetchall()
            cands = [Candidate(wid, y, (tk or "").split("\n"), fa) for wid, y, tk, fa in rows]
        self._ids, self._new_pairs, self._uids = {}, {}, {}
        return decide(pairs, keys, record.year, record.first_author_surname, hits, cands, self._ids_of,
                      self.config, fuzzy=self.fuzzy, place=place_of(record.venue.volume, record.venue.pages),
                      place_of_work=self._place_of)

    def _forget_ids(self, work_id: int) -> None:
        """A work's identifiers changed in the database: read them again when asked."""
        self._ids.pop(work_id, None)
        self._new_pairs.pop(work_id, None)

    def _ids_of(self, work_id: int) -> IdMap:
        if work_id in self._new_pairs:
            self._ids[work_id] = id_map(self._new_pairs.pop(work_id))
        elif work_id not in self._ids:
            self._ids[work_id] = id_map(self.db.execute("SELECT scheme, value FROM identifiers WHERE work_id=?",
                                                        (work_id,)).fetchall())
        return self._ids[work_id]

    # ------------------------------------------------------------ writing
    def _write_new(self, pending: list[tuple[int, Prepared]], batch: Batch, stamp: str) -> None:
        self.db.executemany(
            "INSERT INTO works(id, uid, kind, year, title, title_keys, title_sorted, doi, first_author, n_sources, "
            "data, updated) VALUES (?,?,?,?,?,?,?,?,?,1,NULL,?)",  # data NULL: the one source record's (view work_data)
            [(wid, it.uid, it.kind, it.year, it.title, "\n".join(it.keys),
              "\n".join(it.sorted_keys) if it.sorted_keys or not it.keys else None, it.doi, it.surname, stamp)
             for wid, it in pending])
        self.db.executemany(
            "INSERT INTO source_records(work_id, batch_id, format, fingerprint, data, raw, raw_codec) "
            f"VALUES {_SOURCE_ROW}",
            [(wid, batch.id, it.fmt, it.fingerprint, it.data, it.stored_raw, it.raw_codec) for wid, it in pending])
        self.db.executemany(
            "INSERT OR IGNORE INTO identifiers(scheme, value, work_id) VALUES (?,?,?)",
            [(s, v, wid) for wid, it in pending for s, v in it.pairs])
        self.db.executemany(
            "INSERT OR IGNORE INTO blocks(key, work_id) VALUES (?,?)",
            [(k, wid) for wid, it in pending for k in it.blocks])
        rubric_rows = [(wid, *r, batch.id, stamp) for wid, it in pending for r in it.rubrics]
        if rubric_rows:
            self._insert_rubrics(rubric_rows)

    def _merge_into(self, work_id: int, it: Prepared, batch: Batch, rule: str, score: float) -> str:
        cur = self.db.execute(
            "INSERT INTO source_records(work_id, batch_id, format, fingerprint, data, raw, raw_codec) "
            f"VALUES {_SOURCE_ROW}",
            (work_id, batch.id, it.fmt, it.fingerprint, it.data, it.stored_raw, it.raw_codec))
        self.db.execute(
            "INSERT INTO merges(work_id, source_record_id, rule, score, detail, created) VALUES (?,?,?,?,?,?)",
            (work_id, cur.lastrowid, rule, score, None, now()))
        uid = self.rebuild(work_id)
        if it.rubrics:
            self._insert_rubrics([(work_id, *r, batch.id, now()) for r in it.rubrics])
        return uid


# source_records(work_id, batch_id, format, fingerprint, data, raw, raw_codec): a packed record's data is a BLOB,
# any other's the UTF-8 bytes of its JSON taken as text (never decoded here)
_SOURCE_ROW = f"(?1, ?2, ?3, ?4, CASE WHEN ?7 = '{PACKED}' THEN ?5 ELSE CAST(?5 AS TEXT) END, ?6, ?7)"

IN_SIZE = 512  # parameters per IN list


def _select_in(db, sql: str, values: list) -> list[tuple]:
    """Rows of ``sql`` (with one ``IN ({})``) for every value, IN_SIZE values per query.

    The last group is padded with NULLs (which match nothing) so that every query has the
    same text: SQLite's statement cache then holds one statement, where varying lengths
    made it hold up to 128 large ones (measured: memory grew with the file's size).
    """
    statement = sql.format(",".join("?" * IN_SIZE))
    rows: list[tuple] = []
    for i in range(0, len(values), IN_SIZE):
        part = values[i:i + IN_SIZE]
        rows.extend(db.execute(statement, part + [None] * (IN_SIZE - len(part))).fetchall())
    return rows


def _union(a: IdMap, b: IdMap) -> IdMap:
    return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in a.keys() | b.keys()}


def _shares(a: IdMap, b: IdMap) -> bool:
    """True when two records have an identifier value in common."""
    return any(values & b.get(scheme, frozenset()) for scheme, values in a.items())
