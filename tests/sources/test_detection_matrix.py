"""Every real vendor sample is claimed by exactly its own reader, and by no other.

One matrix over all readers x all sample folders (../shared/data/samples); folders with no
reader (eLIBRARY pages, ROR, VOSviewer files) must be claimed by none and give the clear
"not a format bibmine reads" error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.sources.encoding import detect_encoding, read_head
from bibmine.sources.files import UnknownFormatError, open_export
from bibmine.sources.readers import all_readers

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared/data/samples"
EXPECTED = {
    "wos_plaintext": "wos_plaintext", "wos_tabdelimited": "wos_tabdelimited", "scopus_csv": "scopus_csv",
    "scopus_ris": "ris", "ris_nonascii": "ris", "scopus_bibtex": "bibtex", "wos_bibtex": "bibtex",
    "bibtex_nonascii": "bibtex", "pubmed_medline": "medline", "lens_csv": "lens_csv",
    "openalex_csv": "openalex_csv", "openalex_json": "openalex_json", "crossref_json": "crossref_json",
    "patents_lens_jsonl": "lens_patent_jsonl", "patents_epo_ops_xml": "epo_ops_xml",
    "elibrary_html": None, "elibrary_parsed": None, "ror_json": None,
    "vosviewer_map": None, "vosviewer_network": None, "vosviewer_json": None,
}
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"vendor samples not found at {SAMPLES}")


def test_every_sample_folder_is_listed():
    assert {p.name for p in SAMPLES.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_claimed_by_its_own_reader_only(folder):
    for path in sorted((SAMPLES / folder).iterdir()):
        head = read_head(path, detect_encoding(path))
        claimed = [spec.name for spec in all_readers() if spec.sniff(head, path)]
        expected = EXPECTED[folder]
        assert claimed == ([expected] if expected else []), path.name
        if expected is None:
            with pytest.raises(UnknownFormatError, match="not a format bibmine reads"):
                open_export(path)
        else:
            assert open_export(path).reader.name == expected
