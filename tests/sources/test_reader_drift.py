"""Readers against drift in real exports: placeholders, the old Scopus author layout, UTF-16 twins.

Fixtures are INVENTED (tests/fixtures/hostile/README.md); tests of the real vendor samples
in ../shared/data/samples skip when that folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

from bibmine.corpus.model import Record, Reject
from bibmine.sources.files import open_export
from bibmine.sources.readers.scopus_csv import read_scopus_csv
from bibmine.sources.textutil import is_placeholder, unless_placeholder

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SAMPLES = Path(__file__).resolve().parents[2] / "../shared/data/samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/data/samples/ (real vendor "
                                                                "exports; invented fixtures cover each rule)")


def records(path: Path) -> list[Record]:
    items = list(open_export(path).records())
    assert not [i for i in items if isinstance(i, Reject)]
    return items  # type: ignore[return-value]


# ---------------------------------------------------------------- placeholders


@pytest.mark.parametrize("value", ["NA", "N/A", "n/a", "null", "None", "0", "-", "--", "", "  ", None,
                                   "[No author name available]", "[Anonymous]", "Anonymous", "anonymous",
                                   "[No title available]"])
def test_placeholders(value):
    assert is_placeholder(value)
    assert unless_placeholder(value) is None


@pytest.mark.parametrize("value", ["Na J.", "Nature", "10.1234/na", "31452104", "WOS:000000000000001",
                                   "Anonymous peer review in soil science", "Noël", "00"])
def test_real_values_are_not_placeholders(value):
    assert not is_placeholder(value)


def test_lens_placeholders_are_not_ids_authors_or_titles():
    rows = records(HOSTILE / "placeholders_lens.csv")
    assert [r.ids.pmid for r in rows] == [None, None, None, "31452104"]  # NA, NA, 0, a real PMID
    assert [r.ids.lens for r in rows] == ["000-000-000-000-011", "000-000-000-000-012", None, "000-000-000-000-014"]
    assert [[a.name for a in r.authors] for r in rows] == [["Ivan Ivanov"], ["Anna Petrova"], [], []]
    assert [r.title for r in rows] == ["Soil carbon of chernozems", "Rivers of the Don basin", None,
                                       "Forest belts of Kamennaya Steppe"]
    assert [r.ids.doi for r in rows] == ["10.1234/ph.1", "10.1234/ph.2", "10.1234/ph.3", None]  # N/A


def test_placeholders_dropped_for_every_registered_reader(tmp_path):
    wos = tmp_path / "w.txt"
    wos.write_text("FN INVENTED\nVR 1.0\nPT J\nAU [Anonymous]\nTI Meeting abstracts\nPM NA\nUT NA\nER\n\n"
                   "PT J\nAU Orlov, O\nTI [No title available]\nUT WOS:000000000000031\nER\n\nEF\n")
    first, second = records(wos)
    assert (first.authors, first.ids.wos, first.ids.pmid, first.title) == ([], None, None, "Meeting abstracts")
    assert (second.title, second.ids.wos) == (None, "WOS:000000000000031")
    ris = tmp_path / "r.ris"
    ris.write_text("TY  - JOUR\nTI  - [No title available]\nAU  - [No author name available]\nAU  - Petrov, P.\n"
                   "DO  - 10.1234/lncs.1\nER  - \n")
    (only,) = records(ris)
    assert (only.titles, [a.name for a in only.authors], only.ids.doi) == ([], ["Petrov, P."], "10.1234/lncs.1")


def test_the_registry_guard_notes_what_it_drops(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{"id": "https://openalex.org/W9", "title": "NA", "publication_year": 2020, '
                    '"authorships": [{"author": {"display_name": "[Anonymous]"}}], "doi": "https://doi.org/10.1234/x"}')
    (work,) = records(path)
    assert work.titles == [] and work.authors == []
    assert work.extra["placeholders_dropped"] == "author='[Anonymous]'; title='NA'"


@needs_samples
def test_lens_sample_pmid_na_is_no_pmid():
    rows = records(SAMPLES / "lens_csv/bibliometrix_lens_sample.csv")
    assert [r.ids.pmid for r in rows] == ["33251087", None, None, "34257512", None, "33967598", "35720981", None]


# ---------------------------------------------------------------- old Scopus CSV layout

_INITIALS_ONLY = re.compile(r"^(?:[^\W\d_]{1,3}\.[\s-]?)+$")


def test_old_scopus_layout_initials_are_not_affiliations():
    rows = list(read_scopus_csv(HOSTILE / "scopus_old_layout.csv", "utf-8-sig"))
    assert [[a.name for a in r.authors] for r in rows] == [
        ["Folkman J."], ["Thornberry N.A.", "Lazebnik Y."], ["Slamon D.J.", "Clark G.M."], ["Janko Wolfgang"]]
    assert [[a.raw for a in r.affiliations] for r in rows] == [
        [], [], ["Dept of Medicine, Invented University, Los Angeles, CA, United States"],
        ["Univ Karlsruhe, Karlsruhe, Germany"]]
    assert [[a.affiliations for a in r.authors] for r in rows] == [[[]], [[], []], [[0], []], [[0]]]


@needs_samples
def test_old_scopus_sample_has_no_initials_as_affiliations():
    rows = list(read_scopus_csv(SAMPLES / "scopus_csv/metaknowledge_scopus_testing.csv", "utf-8-sig"))
    assert len(rows) == 220
    assert [r.title for r in rows if any(_INITIALS_ONLY.match(a.raw) for a in r.affiliations)] == []
    by_eid = {r.ids.scopus: r for r in rows}
    assert by_eid["2-s2.0-0015231516"].affiliations == []  # "Folkman, J." alone
    assert [a.raw for a in by_eid["2-s2.0-0028929803"].affiliations] == [
        "Children's Hospital and Harvard Medical School, 300 Longwood Avenue, Boston, MA, United States"]
    caspases = by_eid["2-s2.0-0032575750"]  # "Thornberry, N.A.; Lazebnik, Y."
    assert [a.name for a in caspases.authors] == ["Thornberry N.A.", "Lazebnik Y."] and caspases.affiliations == []


# ---------------------------------------------------------------- UTF-8 / UTF-16 twins


@needs_samples
def test_wos_tab_delimited_utf8_and_utf16_twins_read_the_same():
    folder = SAMPLES / "wos_tabdelimited"
    utf8 = open_export(folder / "wosfile_wos_tab_delimited_win_utf8.txt")
    utf16 = open_export(folder / "wosfile_wos_tab_delimited_win_utf16.txt")
    assert (utf8.encoding, utf16.encoding) == ("utf-8-sig", "utf-16")
    a, b = list(utf8.records()), list(utf16.records())
    assert len(a) == len(b) == 50 and all(isinstance(r, Record) for r in a + b)
    assert [msgspec.to_builtins(r) for r in a] == [msgspec.to_builtins(r) for r in b]
