"""Counting rules on hand-built records (INVENTED)."""

import pytest

from bibmine.corpus.model import Affiliation, Author, Record
from bibmine.regions.counting import count_records, record_shares

MACRO = {"RU-VOR": "CBE", "RU-LIP": "CBE", "RU-MOW": "CENTRE"}.get


def _record(rid="r1"):
    # 3 authors; affiliations 0 = Voronezh, 1 = Moscow, 2 = not placed
    return Record(
        id=rid,
        affiliations=[Affiliation("VSU", region="RU-VOR", country="RU"),
                      Affiliation("MSU", region="RU-MOW", country="RU"),
                      Affiliation("somewhere")],
        authors=[Author("A", affiliations=[0]), Author("B", affiliations=[0, 1]), Author("C", affiliations=[2])],
    )


def test_whole_counting_gives_each_region_one():
    rc = record_shares(_record(), "whole")
    assert rc.shares == {"RU-VOR": 1.0, "RU-MOW": 1.0} and rc.unplaced == 0.0


def test_fractional_by_affiliation():
    rc = record_shares(_record(), "affiliation")
    assert rc.shares == pytest.approx({"RU-VOR": 1 / 3, "RU-MOW": 1 / 3})
    assert rc.unplaced == pytest.approx(1 / 3)


def test_fractional_by_author():
    rc = record_shares(_record(), "author")
    # A: 1/3 to VOR; B: 1/6 VOR + 1/6 MOW; C: 1/3 unplaced
    assert rc.shares == pytest.approx({"RU-VOR": 0.5, "RU-MOW": 1 / 6})
    assert rc.unplaced == pytest.approx(1 / 3)


def test_author_mode_without_links_is_reported_not_recounted():
    r = Record(id="r2", affiliations=[Affiliation("x", region="RU-LIP")], authors=[Author("A")])
    rc = record_shares(r, "author")
    assert (rc.shares, rc.unplaced, rc.note) == ({}, 1.0, "no author-affiliation links")


def test_macroregion_level_and_foreign_units():
    r = Record(id="r3", affiliations=[Affiliation("a", region="RU-VOR", country="RU"),
                                      Affiliation("b", region="RU-LIP", country="RU"),
                                      Affiliation("c", country="DE")])
    assert record_shares(r, "affiliation", "macroregion", MACRO).shares == pytest.approx({"CBE": 2 / 3, "DE": 1 / 3})
    assert record_shares(r, "whole", "country").shares == {"RU": 1.0, "DE": 1.0}


def test_table_reports_records_with_nothing_placed():
    unplaced = Record(id="r4", affiliations=[Affiliation("nowhere")])
    table = count_records([_record("r1"), unplaced, Record(id="r5")], "affiliation")
    assert table.records == 3
    assert table.unplaced_records == ["r4", "r5"]
    assert table.totals == pytest.approx({"RU-VOR": 1 / 3, "RU-MOW": 1 / 3})
    assert table.unplaced_share == pytest.approx(1 / 3 + 1 + 1)  # every record adds exactly 1
    assert table.notes["no affiliations"] == 1
    with pytest.raises(ValueError):
        record_shares(_record(), "half")
