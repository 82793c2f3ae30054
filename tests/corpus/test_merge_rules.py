"""Merge rules that cannot merge different works (issue 16), on INVENTED records.

Each test builds records by hand, shaped like the real exports that were merged wrongly
(Lens "NA" PMIDs, same DOI with two WoS UTs, LNCS volumes with a placeholder author,
part 1 / part 2, correction notices), and checks the partition into works whatever the
order and chunking.
"""

from __future__ import annotations

import itertools
import random

import pytest

from bibmine.corpus.dedup_eval import pair_scores
from bibmine.corpus.dedup_run import merge_by_hand, review_candidates, run_dedup
from bibmine.corpus.ingest import Ingestor
from bibmine.corpus.model import Author, Identifiers, Kind, Record, Text, Venue, display_name
from bibmine.corpus.store import Corpus

TITLE = "Soil organic carbon stocks of chernozems in the Voronezh region after thirty years"


def rec(raw: str, title: str = TITLE, *, year: int | None = 2021, authors=("Ivanov, I.I.",), **ids) -> Record:
    venue = ids.pop("venue", Venue())
    return Record(kind=Kind.ARTICLE, titles=[Text(title, "en")], year=year, raw=raw, source="ris",
                  authors=[Author(a) for a in authors], ids=Identifiers(**ids), venue=venue)


def partition(records: list[Record], chunk: int | None = None, tmp_path=None) -> set[frozenset[str]]:
    """Import ``records`` (in chunks of ``chunk``) into a fresh corpus; works as sets of raw texts."""
    path = tmp_path / f"c{random.random()}.sqlite"
    with Corpus(path) as c:
        ing = Ingestor(c)
        batch = c.start_batch("file", "test")
        size = chunk or len(records)
        with c.transaction():
            for i in range(0, len(records), size):
                ing.add_many(records[i:i + size], batch)
        rows = c.db.execute("SELECT work_id, raw FROM source_records").fetchall()
    works: dict[int, set[str]] = {}
    for wid, raw in rows:
        works.setdefault(wid, set()).add(raw)
    return {frozenset(w) for w in works.values()}


def every_order(records, tmp_path, chunks=(None, 1)) -> set[frozenset[frozenset[str]]]:
    """The partitions found over every order of ``records`` and every chunk size given."""
    found = set()
    for order in itertools.permutations(records):
        for chunk in chunks:
            found.add(frozenset(partition(list(order), chunk, tmp_path)))
    return found


def test_placeholder_pmid_never_links_works(tmp_path):
    # The real Lens sample: four unrelated papers, each with its own DOI, PMID column "NA".
    records = [rec(f"lens{i}", f"Unrelated bibliometric study number {w} of business", pmid="NA",
                   doi=f"10.5555/lens.{i}") for i, w in enumerate(["one", "two", "three", "four"])]
    assert len(partition(records, tmp_path=tmp_path)) == 4


def test_placeholder_values_are_missing_everywhere():
    r = Record(titles=[Text("[No title available]")], authors=[Author("[No author name available]")],
               ids=Identifiers(pmid="NA", doi="10.1/x", scopus="0"))
    assert r.ids.pairs() == [("doi", "10.1/x")]
    assert r.first_author_surname is None
    from bibmine.corpus.dedup import title_keys
    assert title_keys(r) == []


def test_same_doi_but_different_wos_ut_are_two_works_and_a_review_pair(tmp_path):
    a = rec("a", wos="WOS:000911414400001", doi="10.1371/journal.pone.0268950")
    b = rec("b", wos="WOS:000908422200009", doi="10.1371/journal.pone.0268950")
    with Corpus(tmp_path / "c.sqlite") as c:
        ing = Ingestor(c)
        batch = c.start_batch("file", "t")
        with c.transaction():
            ing.add_many([a, b], batch)
        assert c.count() == 2
        pairs = review_candidates(c)
        assert len(pairs) == 1
        assert "wos differs: WOS:000908422200009 vs WOS:000911414400001" in pairs[0]["reason"] or \
               "wos differs: WOS:000911414400001 vs WOS:000908422200009" in pairs[0]["reason"]
        # both stay findable by the DOI they share
        assert c.db.execute("SELECT count(*) FROM identifiers WHERE scheme='doi'").fetchone()[0] == 2


def test_conflicting_identifiers_block_fuzzy_merge_within_one_chunk_and_across_chunks(tmp_path):
    # The RIS case: two parts with different DOIs merged when in one file, not in two.
    a = rec("a", TITLE, doi="10.5555/a")
    b = rec("b", TITLE, doi="10.5555/b")
    assert partition([a, b], None, tmp_path) == partition([a, b], 1, tmp_path) == {
        frozenset({"a"}), frozenset({"b"})}


@pytest.mark.parametrize(("first", "second"), [
    ("Heavy metals in urban soils of Lipetsk part 1 sampling and lead",
     "Heavy metals in urban soils of Lipetsk part 2 sampling and lead"),
    ("Soils of the Central Black Earth region volume II chernozems and meadow soils",
     "Soils of the Central Black Earth region volume III chernozems and meadow soils"),
    ("Proceedings of the soil congress held in Voronezh in 2019 with abstracts",
     "Proceedings of the soil congress held in Voronezh in 2020 with abstracts"),
])
def test_titles_differing_in_a_number_never_merge_by_title(tmp_path, first, second):
    works = partition([rec("a", first, year=2020), rec("b", second, year=2020)], tmp_path=tmp_path)
    assert len(works) == 2


@pytest.mark.parametrize(("first", "second"), [
    ("Introduction to the special issue", "Introduction to the special issue"),
    (f"Correction: {TITLE}", TITLE),
    (f"Erratum to: {TITLE}", f"Erratum to: {TITLE}"),
    ("Предисловие редакции к специальному выпуску журнала", "Предисловие редакции к специальному выпуску журнала"),
    (f"{TITLE} (vol 5, 100120, 2020)", f"{TITLE} (vol 5, 100120, 2020)"),
])
def test_generic_and_notice_titles_never_merge_by_title(tmp_path, first, second):
    assert len(partition([rec("a", first, authors=()), rec("b", second, authors=())], tmp_path=tmp_path)) == 2


def test_notices_with_the_same_doi_still_merge(tmp_path):
    a = rec("a", f"Correction: {TITLE}", doi="10.5555/corr")
    b = rec("b", f"CORRECTION: {TITLE.upper()}", doi="10.5555/corr")
    assert len(partition([a, b], tmp_path=tmp_path)) == 1


def test_placeholder_author_does_not_make_lncs_volumes_one_work(tmp_path):
    title = "Computational Science and Its Applications ICCSA 2010 International Conference Proceedings"
    volumes = [rec(f"v{n}", title, year=2010, authors=("[No author name available]",), scopus=f"2-s2.0-7795{n}")
               for n in range(4)]
    assert len(partition(volumes, tmp_path=tmp_path)) == 4


def test_a_record_between_two_conflicting_works_is_ambiguous_in_every_order(tmp_path):
    a = rec("a", doi="10.5555/a")
    b = rec("b")  # no identifier: could be either
    c = rec("c", doi="10.5555/b")
    assert every_order([a, b, c], tmp_path) == {frozenset({frozenset({"a"}), frozenset({"b"}), frozenset({"c"})})}


def test_place_of_publication_breaks_the_tie(tmp_path):
    article = rec("article", wos="WOS:1", venue=Venue(volume="11", pages="45-59"))
    abstract = rec("abstract", wos="WOS:2", venue=Venue(volume="1", pages="A12"))
    copy = rec("copy", venue=Venue(volume="11", pages="45--59"))  # a BibTeX copy without identifiers
    assert every_order([article, abstract, copy], tmp_path) == {
        frozenset({frozenset({"article", "copy"}), frozenset({"abstract"})})}


def test_records_sharing_identifiers_with_two_works_join_them_in_every_order(tmp_path):
    a = rec("a", doi="10.5555/x")
    b = rec("b", wos="WOS:9")
    c = rec("c", doi="10.5555/x", wos="WOS:9")
    assert every_order([a, b, c], tmp_path) == {frozenset({frozenset({"a", "b", "c"})})}


def test_same_doi_three_ways_with_two_uts_in_every_order(tmp_path):
    a = rec("a", doi="10.5555/x", wos="WOS:1")
    b = rec("b", doi="10.5555/x", wos="WOS:2")
    c = rec("c", doi="10.5555/x", scopus="2-s2.0-1")  # shares the DOI with both: ambiguous
    assert every_order([a, b, c], tmp_path) == {frozenset({frozenset({"a"}), frozenset({"b"}), frozenset({"c"})})}


def test_true_cross_source_duplicates_still_merge(tmp_path):
    wos = rec("wos", TITLE.upper(), authors=("IVANOV, II",), wos="WOS:1")
    scopus = rec("scopus", TITLE, authors=("Ivanov I.I.",), doi="10.5555/x", scopus="2-s2.0-1")
    ris = rec("ris", TITLE.replace(" after", " &ndash; after"), year=2022, authors=("Ivanov, Ivan",))
    assert every_order([wos, scopus, ris], tmp_path, chunks=(None,)) == {frozenset({frozenset({"wos", "scopus",
                                                                                               "ris"})})}


def test_review_list_and_merge_by_hand(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        ing = Ingestor(c)
        batch = c.start_batch("file", "t")
        with c.transaction():
            first, second = ing.add_many([rec("a", doi="10.5555/a"), rec("b", doi="10.5555/b")], batch)
        pairs = review_candidates(c)
        assert [(p["a"], p["b"]) for p in pairs] == [tuple(sorted((first.uid, second.uid)))]
        assert pairs[0]["reason"] == "titles match, but doi differs: 10.5555/b vs 10.5555/a" or \
               pairs[0]["reason"] == "titles match, but doi differs: 10.5555/a vs 10.5555/b"
        kept = merge_by_hand(c, first.uid, second.uid)
        assert kept == first.uid and c.count() == 1
        assert review_candidates(c) == []  # resolved
        assert c.db.execute("SELECT rule FROM merges").fetchall() == [("manual",)]
        assert run_dedup(c) == 0  # the corpus-wide pass keeps the analyst's merge and merges nothing else


def test_run_dedup_obeys_the_same_rules(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        ing = Ingestor(c, fuzzy=False)  # imported without fuzzy matching, deduplicated afterwards
        batch = c.start_batch("file", "t")
        with c.transaction():
            ing.add_many([rec("a", doi="10.5555/a"), rec("b", doi="10.5555/b"), rec("c", TITLE.upper()),
                          rec("d", "Heavy metals in urban soils of Lipetsk part 1 sampling and lead"),
                          rec("e", "Heavy metals in urban soils of Lipetsk part 2 sampling and lead")], batch)
        assert c.count() == 5
        assert run_dedup(c) == 0  # c matches a and b, which differ: ambiguous; d/e differ in a number
        assert c.count() == 5


def test_chunk_size_never_changes_the_partition(tmp_path):
    rnd = random.Random(3)
    titles = ["Soil organic carbon stocks of chernozems in the Voronezh region after thirty years",
              "Sugar beet yield and nitrogen use efficiency on leached chernozem in Lipetsk oblast",
              "Forest fire risk and climate warming in the steppe zone of the Belgorod region"]
    records = []
    for i in range(12):  # four copies of each work: with and without DOI, print year one later
        title = titles[i % 3]
        records.append(rec(f"r{i}", title.upper() if i % 2 else title, year=2020 + (i // 3) % 2,
                           doi=f"10.5555/{i % 3}" if i % 4 else None))
    records.append(rec("other-doi", titles[0], doi="10.5555/other"))  # a hard negative: same title, other DOI
    expected = partition(records, None, tmp_path)
    for chunk in (1, 2, 5):
        shuffled = records[:]
        rnd.shuffle(shuffled)
        assert partition(shuffled, chunk, tmp_path) == expected
    assert frozenset({"other-doi"}) in expected


def test_pair_scores_by_hand():
    labels = {("f", 0): "x", ("f", 1): "x", ("f", 2): "y", ("g", 0): "x"}
    # bibmine put f0+f1 together (right), f2+g0 together (wrong), g0 apart from x (a miss)
    scores = pair_scores([{("f", 0), ("f", 1)}, {("f", 2), ("g", 0)}], labels)
    assert scores.true_pairs == 3 and scores.found_pairs == 2
    assert scores.precision == 0.5 and scores.recall == pytest.approx(1 / 3)
    assert scores.wrong_pairs == [(("f", 2), ("g", 0))]


def test_one_display_name_for_one_author_across_sources():
    assert {display_name(n) for n in ("Gupta, N.", "N. Gupta", "Gupta N", "GUPTA, N")} == {"Gupta, N."}
    assert Author("Jemal A.").display == "Jemal, A."
    assert display_name("[Anonymous]") is None


def test_title_match_is_pinned_on_the_work_that_holds_the_title():
    """A candidate with no title key beside one with two: the match belongs to the second (the owners of
    the scored titles were once counted per candidate, which pinned it on the first or lost it)."""
    from bibmine.corpus.dedup import Candidate, DedupConfig
    from bibmine.corpus.matching import _titles_alike, decide

    title = "soil cover of the voronezh region today"
    keyless = Candidate(1, 2020, [], "ivanov")
    two_titles = Candidate(2, 2020, [title, "completely different title words here"], "ivanov")
    assert _titles_alike([title], [keyless, two_titles], DedupConfig()) == {2}
    assert decide([], [title], 2020, "ivanov", [], [keyless, two_titles], lambda w: {}, DedupConfig()).target == 2
