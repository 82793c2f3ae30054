"""The fast import paths keep what they promise: raw text compressed and read back, candidates capped per
blocking key (a full first-author block never hides a title match), the title pre-filter never drops a
pair the matcher would score.  Records here are INVENTED."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from bibmine.corpus.dedup import Candidate, DedupConfig, sorted_key, title_keys, title_match
from bibmine.corpus.importer import import_files
from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.matching import _titles_alike
from bibmine.corpus.model import Author, Identifiers, Kind, Record, Text
from bibmine.corpus.rawtext import compress_raw
from bibmine.corpus.store import Corpus

FIXTURE = Path(__file__).parents[1] / "fixtures" / "dedup" / "wos.txt"


def test_file_import_stores_records_packed_and_gives_the_text_back(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [FIXTURE], processes=1)
        assert report.error is None and report.new > 0
        rows = c.db.execute("SELECT typeof(data), typeof(raw), raw_codec, length(data) FROM source_records").fetchall()
        assert {tuple(r)[:3] for r in rows} == {("blob", "null", "packed")}
        work = c.find("doi", "10.5555/ess.2021.54.301")
        [source] = c.sources_of(work.id)
        assert source["raw"].startswith("PT J\nAU Ivanov, II\n")
        assert "TI SOIL ORGANIC CARBON STOCKS OF CHERNOZEMS" in source["raw"] and source["raw"].endswith("ER")
        # one frame over the record's JSON and its raw text is smaller than the JSON alone
        [(packed,)] = c.db.execute("SELECT length(s.data) FROM source_records s JOIN works w ON w.id = s.work_id "
                                   "WHERE w.uid = ?", (work.id,)).fetchall()
        assert packed < len(source["data"].encode())
        assert json.loads(source["data"])["ids"]["doi"] == "10.5555/ess.2021.54.301"


def test_rows_of_schema_6_still_read(tmp_path):
    """A record stored by version 6 (JSON text in data, raw text zstd-compressed alone) reads as before."""
    with Corpus(tmp_path / "c.sqlite") as c:
        [report] = import_files(c, [FIXTURE], processes=1)
        work = c.find("doi", "10.5555/ess.2021.54.301")
        [before] = c.sources_of(work.id)
        raw_z, codec = compress_raw(before["raw"])
        with c.transaction():
            c.db.execute("UPDATE source_records SET data = ?, raw = ?, raw_codec = ? WHERE fingerprint = ?",
                         (before["data"], raw_z, codec, c.db.execute(
                             "SELECT fingerprint FROM source_records WHERE id = ?", (before["id"],)).fetchone()[0]))
        assert c.db.execute("SELECT typeof(data), raw_codec FROM source_records WHERE id = ?",
                            (before["id"],)).fetchone() == ("text", "zstd")
        assert c.sources_of(work.id) == [before]
        assert c.find("doi", "10.5555/ess.2021.54.301") == work


def test_records_added_one_by_one_keep_their_raw_text(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        b = c.start_batch("api", "test")
        r = Record(kind=Kind.ARTICLE, titles=[Text("Soil cover of the Voronezh region")], year=2020,
                   ids=Identifiers(doi="10.1/x"), raw="TY  - JOUR\nER  - ", source="ris")
        uid = Ingestor(c).add(r, b).uid
        assert c.db.execute("SELECT raw, raw_codec FROM source_records").fetchone() == ("TY  - JOUR\nER  - ", None)
        assert c.sources_of(uid)[0]["raw"] == "TY  - JOUR\nER  - "


def _paper(i: int, title: str, doi: str | None) -> Record:
    return Record(kind=Kind.ARTICLE, titles=[Text(title)], year=2020, authors=[Author("Ivanov, I.")],
                  ids=Identifiers(doi=doi), raw=f"record {i} {title}", source="ris")


def test_a_full_first_author_block_does_not_hide_a_title_match(tmp_path):
    """Ten works of one author and year fill a 3-candidate cap; a variant of the ninth still finds it."""
    topics = ["soil carbon", "sugar beet yield", "winter wheat frost", "oak forest growth", "river water quality",
              "steppe bird census", "maize hybrid trials", "chernozem erosion rates", "apple orchard pests",
              "groundwater nitrate levels"]
    config = DedupConfig(max_candidates=3)
    with Corpus(tmp_path / "c.sqlite") as c:
        ing = Ingestor(c, config)
        b = c.start_batch("file", "x")
        with c.transaction():
            ing.add_many([_paper(i, f"Long term study of {t} in the Voronezh region", f"10.1/{i}")
                          for i, t in enumerate(topics)], b)
        with c.transaction():
            [result] = ing.add_many([_paper(99, "Long-term study of apple orchard pests in the Voronezh region.",
                                            None)], b)
        assert (result.outcome, result.rule) == ("merged", "fuzzy_title")
        assert c.find("doi", "10.1/8").id == result.uid


def test_title_prefilter_keeps_every_pair_the_matcher_scores():
    titles = ["Soil organic carbon stocks of chernozems in the Voronezh region",
              "Soil organic carbon stocks of chernozems in the Voronezh region part II",
              "Organic carbon stocks of soil chernozems in the Voronezh region",
              "Soil organic carbon stock of chernozem in the Voronezh region",
              "Correction: soil organic carbon stocks of chernozems in the Voronezh region",
              "Soil organic carbon stocks of chernozems in the Lipetsk region",
              "Почвенный органический углерод черноземов Воронежской области",
              "Почвенный органический углерод чернозёмов Воронежской области.",
              "Nitrogen use efficiency of sugar beet on leached chernozem"]
    config = DedupConfig()
    records = [Record(titles=[Text(t)], year=2020) for t in titles]
    keys = [title_keys(r) for r in records]
    for (i, a), (j, b) in itertools.product(enumerate(keys), repeat=2):
        for stored in (None, [sorted_key(k) for k in b]):
            cand = Candidate(j, 2020, b, None, stored)
            score, _ = title_match(a, 2020, None, cand, config)
            if score is not None:
                assert _titles_alike(a, [cand], config) == {j}, (titles[i], titles[j])
    # the numbered, notice and other-place variants stay apart, the spelling variants match
    assert title_match(keys[0], 2020, None, Candidate(3, 2020, keys[3], None), config)[1] is None
    assert title_match(keys[0], 2020, None, Candidate(1, 2020, keys[1], None), config)[1] is not None


def test_character_count_filter_keeps_every_title_the_prefilter_keeps():
    """A long block slice is cut by character counts before rapidfuzz: never a pair that reaches the cut-off."""
    import random

    from rapidfuzz import fuzz

    from bibmine.corpus.candidates import HIST_MIN, KeyBlock, Probe, candidates_for, window

    rnd = random.Random(5)
    words = ["soil", "organic", "carbon", "stocks", "chernozems", "voronezh", "region", "leached", "nitrogen",
             "sugar", "beet", "yield", "почвенный", "углерод", "черноземов", "воронежской", "области", "урожай",
             "2020", "ii"]
    base = [" ".join(rnd.choice(words) for _ in range(rnd.randint(5, 12))) for _ in range(40)]

    def variant(t: str) -> str:  # a few character edits, a word swapped: near the threshold
        chars = list(t)
        for _ in range(rnd.randint(0, 4)):
            i = rnd.randrange(len(chars))
            chars[i:i + 1] = rnd.choice([[], [rnd.choice("abcеио ")], [chars[i], rnd.choice("xyzжш")]])
        out = " ".join("".join(chars).split())
        return out or t

    config = DedupConfig()
    cutoff = config.title_threshold - 0.5
    checked = long_slices = dropped = 0
    for q in base:
        stored = [Candidate(i, 2020, [k], None, [sorted_key(k)]) for i, k in
                  enumerate([variant(q) for _ in range(30)] + [variant(rnd.choice(base)) for _ in range(30)])]
        block = KeyBlock(stored)
        lo, hi = window([q], config)
        in_window = block.within(lo, hi)
        kept = {c.work_id for c in block.within(lo, hi, Probe([sorted_key(q)]), cutoff)}
        long_slices += len(in_window) >= HIST_MIN
        dropped += len({c.work_id for c in in_window} - kept)
        for cand in stored:
            if fuzz.ratio(sorted_key(q), cand.sorted_keys[0], score_cutoff=cutoff):
                assert cand.work_id in kept, (q, cand.title_keys)
                checked += 1
        alike = _titles_alike([q], stored, config)
        assert alike == _titles_alike([q], candidates_for([q], [block], [], config), config)
    assert checked > 100 and long_slices > 20 and dropped > 0  # the filter ran, cut, and kept every match


def test_a_block_that_grows_is_extended_in_the_order_a_new_block_has():
    """While a blocking key's block fills up chunk by chunk, the cache adds the new works to the block it has
    (their titles after the titles of the same length, oldest work first) instead of sorting it again; the
    result is the block a fresh build gives, character counts included.  Titles are INVENTED."""
    import numpy as np

    from bibmine.corpus.candidates import CandidateCache, KeyBlock, Probe

    titles = ["soil carbon of the steppe", "oak forest growth in the region", "soil carbon of the forest",
              "river water", "maize hybrid trials at two sites", "apple orchard pests",
              "river water quality", "beet yield", "sugar beet yield and frost", "winter wheat frost damage"]
    cands = [Candidate(i + 1, 2020, [t, t + " ii"] if i % 4 == 0 else [t], "ivanov") for i, t in enumerate(titles)]
    cache = CandidateCache()
    first = cache.block("a|ivanov|2020", cands[:4], [c.work_id for c in cands[:4]])
    grown = cache.block("a|ivanov|2020", cands, [c.work_id for c in cands])
    fresh = KeyBlock(cands)
    assert grown is first  # extended, not rebuilt
    assert (grown.lengths, grown.keys, [c.work_id for c in grown.entries]) == \
        (fresh.lengths, fresh.keys, [c.work_id for c in fresh.entries])
    assert grown.wids == set(range(1, 11)) and cache.entries == len(fresh.entries) == 13
    probe = Probe(["soil carbon of the forest"])
    kept = [c.work_id for c in grown.within(0, 99, probe, 50.0)]
    assert kept == [c.work_id for c in fresh.within(0, 99, probe, 50.0)] and 0 < len(kept) < 13
    assert np.array_equal(grown._counts, fresh._counts)
    # a block whose older works changed is built again
    changed = [Candidate(1, 2021, ["soil carbon of the steppe"], "ivanov"), *cands[1:]]
    again = cache.block("a|ivanov|2020", changed, [c.work_id for c in changed])
    assert again is not first and [c.year for c in again.entries if c.work_id == 1] == [2021]


def test_packed_records_keep_nul_bytes_and_markup_of_the_raw_text(tmp_path):
    """The first NUL of a packed frame ends the JSON (which escapes control characters), so a raw text with NUL
    bytes, markup or a lone surrogate comes back as read.  The record is INVENTED."""
    from bibmine.corpus.ingest import prepare

    raw = "TY  - JOUR\nTI  - Soil <i>carbon</i> \x00 of the Voronezh region \ud800\nDO  - 10.1/nul\nER  - "
    record = Record(kind=Kind.ARTICLE, titles=[Text("Soil <i>carbon</i> \x00 of the Voronezh region")], year=2020,
                    ids=Identifiers(doi="10.1/nul"), raw=raw, source="ris")
    with Corpus(tmp_path / "c.sqlite") as c:
        b = c.start_batch("file", "x.ris")
        with c.transaction():
            [result] = Ingestor(c).add_prepared([prepare(record, "ris", 1, compress=True)], b)
        [source] = c.sources_of(result.uid)
        assert source["raw"] == raw
        assert json.loads(source["data"])["titles"][0]["text"] == "Soil <i>carbon</i> \x00 of the Voronezh region"
        assert c.get(result.uid).titles[0].text == "Soil <i>carbon</i> \x00 of the Voronezh region"


def test_keys_computed_by_the_writer_are_those_the_reader_computes():
    """A record prepared without its keys (the reader process leaves them to the writer when the writer
    waits) gets the same title, blocking and word-sorted keys from add_keys.  Records are INVENTED."""
    from bibmine.corpus.ingest import add_keys, prepare

    records = [
        Record(kind=Kind.ARTICLE, titles=[Text("Почвы Воронежской области: <i>углерод</i>", lang="ru"),
                                          Text("Soils of the Voronezh region: carbon", lang="en")],
               authors=[Author(name="Ivanov, I. I.")], year=2020, ids=Identifiers(doi="10.1/keys"), raw="r1",
               source="ris"),
        Record(kind=Kind.ARTICLE, titles=[Text("Short")], year=None, raw="r2", source="ris"),
        Record(kind=Kind.ARTICLE, titles=[], authors=[Author(name="Petrova, A.")], year=2019, raw="r3", source="ris"),
    ]
    for record in records:
        keyed = prepare(record, "ris", 1, compress=True)
        later = prepare(record, "ris", 1, compress=True, keyed=False)
        assert later.keys == later.lookup == later.blocks == [] and later.titles == [t.text for t in record.titles]
        add_keys(later, 1)
        assert later.titles is None
        assert (later.keys, later.lookup, later.blocks, later.sorted_keys) == (
            keyed.keys, keyed.lookup, keyed.blocks, keyed.sorted_keys)
    assert keyed.blocks == ["a|petrova|2019"] and prepare(records[0], "ris", 1).blocks == [
        "a|ivanov|2020", "e|2020|voronezh region carbon", "e|2020|воронежской области углерод",
        "t|2020|soils voronezh region", "t|2020|почвы воронежской области"]


def test_an_import_gives_one_corpus_whichever_process_computes_the_keys(tmp_path, monkeypatch):
    """The reader process computes a chunk's keys only while the writer is behind; the stored corpus is the
    same either way (here: keys by the writer for every chunk, by the reader for every chunk)."""
    import bibmine.corpus.pipeline as pipeline

    real_chunks = pipeline._chunks
    results = {}
    for who in ("writer", "reader"):
        monkeypatch.setattr(pipeline, "_chunks",
                            lambda *a, who=who, **k: real_chunks(*a[:6], writer_behind=lambda: who == "reader"))
        with Corpus(tmp_path / f"{who}.sqlite") as c:
            import_files(c, [FIXTURE, FIXTURE.with_name("records.ris"), FIXTURE.with_name("scopus.csv")],
                         processes=2)
            results[who] = (
                c.db.execute("SELECT uid, title_keys, title_sorted, first_author, n_sources FROM works "
                             "ORDER BY id").fetchall(),
                c.db.execute("SELECT * FROM blocks ORDER BY 1, 2").fetchall(),
                c.db.execute("SELECT rule, score FROM merges ORDER BY source_record_id").fetchall())
    assert results["writer"] == results["reader"]
    assert len(results["writer"][2]) > 0  # the files' duplicates merged, by the same rules
