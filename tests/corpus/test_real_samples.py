"""Real vendor samples (../shared/data/samples), each imported alone: one work per record.

Extra coverage on real files for the merge rules of tests/corpus/test_merge_rules.py (which
tests each rule on invented records); skipped with a reason where ../shared is absent.
Before the trustworthy-corpus rules, six of these files lost works (Lens "NA" PMIDs, WoS
UTs that differ, LNCS volumes with a placeholder author, correction notices).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.corpus.dedup_run import review_candidates
from bibmine.corpus.importer import import_files
from bibmine.corpus.store import Corpus

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
# Every sample file a bibmine reader reads: (path, records in it).
FILES = {
    "bibtex_nonascii/pybibx_mcda_wos.bib": 210,
    "crossref_json/habanero_crossref_works_query_widget_cursor.json": 20,
    "lens_csv/bibliometrix_lens_sample.csv": 8,
    "openalex_csv/bibliometrix_openalex_sample.csv": 8,
    "openalex_json/peneira_openalex_works_list.json": 49,
    "openalex_json/zotero_openalex_works_list_5.json": 5,
    "patents_epo_ops_xml/epo_ops_get_biblio_multiple.xml": 3,
    "patents_lens_jsonl/patentslens_biopoly_10records_majority_reconstructed.jsonl": 10,
    "pubmed_medline/pybibx_mcda_pubmed.txt": 10,
    "ris_nonascii/synthesisr_scielo.ris": 38,
    "scopus_bibtex/pybibx_scopus_m.bib": 24,
    "scopus_csv/bibliometrix_scopus_sample.csv": 8,
    "scopus_csv/litstudy_scopus.csv": 58,
    "scopus_csv/metaknowledge_scopus_testing.csv": 220,
    "scopus_ris/synthesisr_scopus.ris": 92,
    "wos_bibtex/pybibx_wos_m.bib": 29,
    "wos_plaintext/metaknowledge_savedrecs.txt": 32,
    "wos_plaintext/wosfile_wos_plaintext.txt": 50,
    "wos_tabdelimited/scientopy_wos_2026_04_02_4071.txt": 71,
    "wos_tabdelimited/wosfile_wos_tab_delimited_win_utf8.txt": 50,
    "wos_tabdelimited/wosfile_wos_tab_delimited_win_utf16.txt": 50,
}

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/ "
                                                             "(real-file coverage)")


@pytest.mark.parametrize(("name", "records"), sorted(FILES.items()))
def test_each_real_sample_alone_gives_one_work_per_record(tmp_path, name, records):
    with Corpus(tmp_path / "c.sqlite") as c:
        (report,) = import_files(c, [SAMPLES / name], processes=1)
        assert (report.error, report.rejected) == (None, 0)
        assert report.read == records
        assert c.count() == records
        assert c.db.execute("SELECT count(*) FROM merges").fetchone()[0] == 0


def test_look_alikes_of_the_real_samples_go_to_review(tmp_path):
    # metaknowledge_savedrecs.txt: a 1979 article and a meeting abstract share a title, not a UT
    with Corpus(tmp_path / "c.sqlite") as c:
        import_files(c, [SAMPLES / "wos_plaintext/metaknowledge_savedrecs.txt"], processes=1)
        reasons = [r["reason"] for r in review_candidates(c)]
    assert any("wos differs: WOS:A1979HF52100003 vs WOS:A1979HS85100478" in r
               or "wos differs: WOS:A1979HS85100478 vs WOS:A1979HF52100003" in r for r in reasons)


def test_utf8_and_utf16_twins_give_the_same_50_works(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        import_files(c, [SAMPLES / "wos_tabdelimited/wosfile_wos_tab_delimited_win_utf8.txt",
                         SAMPLES / "wos_tabdelimited/wosfile_wos_tab_delimited_win_utf16.txt"], processes=1)
        assert c.count() == 50  # the second file's records are the same works
