"""Every file is claimed by exactly its own reader, and by no other.

Two matrices over all readers: the INVENTED fixtures of tests/fixtures (always), and, as extra coverage,
the real vendor samples of ../shared/data/samples. Files no reader is for (eLIBRARY pages, API answers
that are not works, ROR, VOSviewer files) must be claimed by none and give the clear "not a format
bibmine reads" error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.sources.encoding import detect_encoding, read_head
from bibmine.sources.files import UnknownFormatError, open_export
from bibmine.sources.readers import all_readers

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# fixture folder -> the reader of every file in it (README.md aside); None: no reader at all
FIXTURE_FOLDERS = {
    "wos_plaintext": "wos_plaintext", "wos_tabdelimited": "wos_tabdelimited", "scopus_csv": "scopus_csv",
    "ris": "ris", "bibtex": "bibtex", "medline": "medline", "lens_csv": "lens_csv", "openalex_csv": "openalex_csv",
    "openalex_json": "openalex_json", "crossref_json": "crossref_json", "lens_patent_jsonl": "lens_patent_jsonl",
    "epo_ops_xml": "epo_ops_xml", "vosviewer_json": None,
}
FIXTURE_FILES = {  # single files of mixed folders
    "generic/elibrary_export.csv": "table",  # a CSV with its column-mapping file beside it
    "hostile/voronezh_cp1251.ris": "ris", "hostile/lone_cr.nbib": "medline", "hostile/lone_cr_wos.txt": "wos_plaintext",
    "hostile/scopus_old_layout.csv": "scopus_csv", "hostile/placeholders_lens.csv": "lens_csv",
    "crawl/openalex_works.json": "openalex_json", "crawl/crossref_works.json": "crossref_json",
    "crawl/lens_ru_patent.json": "lens_patent_jsonl",
    "crawl/elibrary_item_1001.html": None, "crawl/elibrary_author_list_p1.html": None,
    "crawl/fips_evm_2021612345.html": None, "crawl/rospatent_search.json": None,
    "crawl/openalex_institutions_lipetsk.json": None, "crawl/crossref_dois.txt": None,
}
EXPECTED = {
    "wos_plaintext": "wos_plaintext", "wos_tabdelimited": "wos_tabdelimited", "scopus_csv": "scopus_csv",
    "scopus_ris": "ris", "ris_nonascii": "ris", "scopus_bibtex": "bibtex", "wos_bibtex": "bibtex",
    "bibtex_nonascii": "bibtex", "pubmed_medline": "medline", "lens_csv": "lens_csv",
    "openalex_csv": "openalex_csv", "openalex_json": "openalex_json", "crossref_json": "crossref_json",
    "patents_lens_jsonl": "lens_patent_jsonl", "patents_epo_ops_xml": "epo_ops_xml",
    "elibrary_html": None, "elibrary_parsed": None, "ror_json": None,
    "vosviewer_map": None, "vosviewer_network": None, "vosviewer_json": None,
}
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/ (real vendor "
                                                                "exports; the invented matrix above runs without)")


def claimed_by(path: Path) -> list[str]:
    head = read_head(path, detect_encoding(path))
    return [spec.name for spec in all_readers() if spec.sniff(head, path)]


def check_claim(path: Path, expected: str | None) -> None:
    assert claimed_by(path) == ([expected] if expected else []), path.name
    if expected is None:
        with pytest.raises(UnknownFormatError, match="not a format bibmine reads"):
            open_export(path)
    else:
        assert open_export(path).reader.name == expected


def test_every_file_reader_has_invented_fixtures():
    readers = {spec.name for spec in all_readers()} - {"bibmine_parquet"}  # a folder bibmine writes itself
    assert readers <= set(FIXTURE_FOLDERS.values()) | set(FIXTURE_FILES.values())


@pytest.mark.parametrize("folder", sorted(FIXTURE_FOLDERS))
def test_invented_fixtures_claimed_by_their_own_reader_only(folder):
    files = sorted(p for p in (FIXTURES / folder).iterdir() if p.suffix != ".md")
    assert files
    for path in files:
        check_claim(path, FIXTURE_FOLDERS[folder])


@pytest.mark.parametrize("name", sorted(FIXTURE_FILES))
def test_invented_files_claimed_by_their_own_reader_only(name):
    check_claim(FIXTURES / name, FIXTURE_FILES[name])


@needs_samples
def test_every_sample_folder_is_listed():
    assert {p.name for p in SAMPLES.iterdir() if p.is_dir()} == set(EXPECTED)


@needs_samples
@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_claimed_by_its_own_reader_only(folder):
    for path in sorted((SAMPLES / folder).iterdir()):
        check_claim(path, EXPECTED[folder])
