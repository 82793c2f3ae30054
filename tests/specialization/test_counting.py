"""S&T counts from a tidy records table: whole and fractional counting, filters, weights.

The records are INVENTED:
- r1: an article, RU-VOR and RU-LIP, rubrics 53 and 55, 2021, RSCI core, 3 citations
- r2: an article, RU-VOR, rubric 53, 2021, not in the core, 0 citations
- r3: an article, RU-VOR and an affiliation the regions stage could not place, rubric 20, 2019, core
- r4: a patent, RU-LIP, rubric 53, 2021
"""

import math

import pandas as pd
import pytest

from bibmine.specialization.coefficients import location_quotients
from bibmine.specialization.counting import Weights, count_st

ROWS = [  # record_id, region, rubric, year, kind, rsci_core, citations
    ("r1", "RU-VOR", "53", 2021, "article", True, 3), ("r1", "RU-VOR", "55", 2021, "article", True, 3),
    ("r1", "RU-LIP", "53", 2021, "article", True, 3), ("r1", "RU-LIP", "55", 2021, "article", True, 3),
    ("r2", "RU-VOR", "53", 2021, "article", False, 0),
    ("r3", "RU-VOR", "20", 2019, "article", True, 1), ("r3", None, "20", 2019, "article", True, 1),
    ("r4", "RU-LIP", "53", 2021, "patent", None, None),
]


@pytest.fixture
def records():
    return pd.DataFrame(ROWS, columns=["record_id", "region", "rubric", "year", "kind", "rsci_core", "citations"])


def cells(result):
    return {(r.region, r.category): r.value for r in result.values.itertuples()}


def test_whole_counting(records):
    got = cells(count_st(records, country="RU"))
    # each record counts 1 for every (region, rubric) it has; r4 (a patent) is not a publication
    assert got[("RU-VOR", "53")] == 2 and got[("RU-VOR", "55")] == 1 and got[("RU-VOR", "20")] == 1
    assert got[("RU-LIP", "53")] == 1 and got[("RU-LIP", "55")] == 1 and got[("RU-LIP", "20")] == 0
    # '*' = the region's distinct records: VOR r1, r2, r3; LIP r1
    assert got[("RU-VOR", "*")] == 3 and got[("RU-LIP", "*")] == 1
    # the country counts each record once: 53 r1, r2; 55 r1; 20 r3; total 3
    assert (got[("RU", "53")], got[("RU", "55")], got[("RU", "20")], got[("RU", "*")]) == (2, 1, 1, 3)


def test_fractional_counting(records):
    result = count_st(records, counting="fractional", country="RU")
    got = cells(result)
    # r1: 1/2 region x 1/2 rubric = 0.25 per pair; r2: 1; r3: 1/2 (the unplaced affiliation keeps its half)
    assert got[("RU-VOR", "53")] == pytest.approx(1.25)
    assert got[("RU-VOR", "55")] == pytest.approx(0.25)
    assert got[("RU-VOR", "20")] == pytest.approx(0.5)
    assert got[("RU-LIP", "53")] == pytest.approx(0.25)
    # '*' = summed shares: VOR 0.5 + 1 + 0.5 = 2.0 ; LIP 0.5
    assert got[("RU-VOR", "*")] == pytest.approx(2.0) and got[("RU-LIP", "*")] == pytest.approx(0.5)
    # country: 53 = 0.25 + 0.25 + 1 = 1.5 ; 55 = 0.5 ; 20 = 0.5 ; total = 1 + 1 + 0.5 = 2.5
    assert got[("RU", "53")] == pytest.approx(1.5) and got[("RU", "20")] == pytest.approx(0.5)
    assert got[("RU", "*")] == pytest.approx(2.5)
    assert result.settings["counting"] == "fractional"


def test_region_share_replaces_one_over_the_number_of_regions(records):
    records["region_share"] = [0.75, 0.75, 0.25, 0.25, 1.0, 0.5, 0.5, 1.0]  # r1: 3 of 4 authors in VOR
    got = cells(count_st(records, counting="fractional"))
    assert got[("RU-VOR", "53")] == pytest.approx(0.75 * 0.5 + 1.0)  # 1.375
    assert got[("RU-LIP", "*")] == pytest.approx(0.25)


def test_whole_counts_feed_the_coefficients(records):
    counts = count_st(records, country="RU").values
    rows = {(r.region, r.category): r for r in location_quotients(counts).itertuples()}
    # VOR-53: (2/3) / (2/3) = 1.0 exactly -> not a competence ; LIP-55: (1/1) / (1/3) = 3.0
    assert rows[("RU-VOR", "53")].value == 1.0
    assert rows[("RU-LIP", "55")].value == pytest.approx(3.0)
    # LIP has no record in 20: (0/1) / (1/3) = 0, a real zero (the rubric exists in the country)
    assert rows[("RU-LIP", "20")].value == 0.0 and rows[("RU-LIP", "20")].reason == ""


def test_year_window(records):
    result = count_st(records, years=(2020, 2021))
    got = cells(result)
    assert ("RU-VOR", "20") not in got  # r3 (2019) is out, and no other record has 20
    assert got[("RU-VOR", "*")] == 2
    assert result.excluded.set_index("record_id").loc["r3", "reason"] == "outside 2020-2021"
    assert set(result.values["year"]) == {2021}


def test_source_filters(records):
    core = count_st(records, sources=["rsci_core"])
    assert cells(core)[("RU-VOR", "*")] == 2  # r1 and r3; r2 is not in the core
    reasons = dict(core.excluded.itertuples(index=False))
    assert reasons == {"r2": "not in the RSCI core", "r4": "source not selected"}
    patents = cells(count_st(records, sources=["patents"]))
    assert patents == {("RU-LIP", "53"): 1.0, ("RU-LIP", "*"): 1.0}
    both = cells(count_st(records, sources=["publications", "patents"]))
    assert both[("RU-LIP", "53")] == 2 and both[("RU-LIP", "*")] == 2


def test_weights(records):
    # linear citations: weight 1 + c -> r1 4, r2 1, r3 2 ; RSCI core factor 2 on r1 and r3 -> 8, 1, 4
    got = cells(count_st(records, weights=Weights(citations="linear", core=2.0)))
    assert got[("RU-VOR", "53")] == 8 + 1
    assert got[("RU-VOR", "20")] == 4
    assert got[("RU-VOR", "*")] == 8 + 1 + 4


def test_missing_weight_data_leaves_the_record_out_with_a_reason(records):
    result = count_st(records, sources=["publications", "patents"], weights=Weights(citations="log1p"))
    assert dict(result.excluded.itertuples(index=False)) == {
        "r4": "citation count unknown (citation weighting)"}
    # log1p: r2 has 0 citations -> weight 1
    assert cells(result)[("RU-VOR", "53")] == pytest.approx(1 + math.log1p(3) + 1)


def test_coauthor_scope_and_quartile_weights(records):
    records["coauthor_scope"] = ["macroregion"] * 4 + ["region", "international", "international", "region"]
    records["quartile"] = [1, 1, 1, 1, 3, None, None, None]
    weights = Weights(scope={"region": 1.0, "macroregion": 1.5, "country": 1.2, "international": 2.0},
                      quartile={1: 2.0, 2: 1.5, 3: 1.0, 4: 0.5}, quartile_missing=1.0)
    got = cells(count_st(records, weights=weights))
    # r1: 1.5 x 2.0 = 3 ; r2: 1 x 1 = 1 ; r3: 2.0 x 1 (no quartile) = 2
    assert got[("RU-VOR", "53")] == pytest.approx(4.0)
    assert got[("RU-VOR", "20")] == pytest.approx(2.0)


def test_bad_options_are_refused(records):
    with pytest.raises(ValueError, match="counting must be"):
        count_st(records, counting="half")
    with pytest.raises(ValueError, match="sources must be"):
        count_st(records, sources=["preprints"])
    with pytest.raises(ValueError, match="needs a 'quartile' column"):
        count_st(records, weights=Weights(quartile={1: 2.0}))
