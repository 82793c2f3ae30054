"""Each indicator against values computed by hand on a small INVENTED corpus (eight documents).

    id  year source  authors      cites refs countries subjects          keywords          rubrics
    d1  2018 J1      A            10    5    RU        RU-VOR            soil, wheat       68
    d2  2018 J1      A, B         2     3    RU        RU-VOR, RU-LIP    soil              68
    d3  2019 J1      B            None  0    RU, DE    RU-LIP            wheat, soil       68, 34
    d4  2020 J2      A, C         4     2    RU        RU-VOR            laser, optics     29
    d5  2020 J2      C            0     0    RU        RU-BEL            laser             29
    d6  2020 J3      A            6     4    -         -                 laser, optics     29
    d7  2020 J1      D            1     1    RU, CN    RU-VOR, RU-BEL    optics            29
    d8  2020 -       A, B, C      3     0    RU        RU-VOR            soil, wheat       68
Year of reference 2021.
"""

from __future__ import annotations

import math

import pytest

from bibmine.indicators import (
    Doc,
    affiliations,
    annual_production,
    authors,
    bradford,
    compute_all,
    countries,
    g_index,
    growth_rate,
    h_index,
    lotka,
    main_information,
    most_cited,
    subject_collaboration,
    subjects,
    thematic_map,
    three_field,
    trend_topics,
)

Y = 2021


def _d(i, year, source, authors, cites, refs, countries, subjects, keywords, rubrics, orgs=()):
    return Doc(id=f"d{i}", year=year, title=f"Title {i}", source=source, authors=list(authors), citations=cites,
               references=refs, countries=list(countries), subjects=list(subjects), keywords=list(keywords),
               rubrics=list(rubrics), organizations=list(orgs))


DOCS = [
    _d(1, 2018, "J1", "A", 10, 5, ["RU"], ["RU-VOR"], ["soil", "wheat"], ["68"], ["VSU"]),
    _d(2, 2018, "J1", "AB", 2, 3, ["RU"], ["RU-VOR", "RU-LIP"], ["soil"], ["68"], ["VSU", "LSTU"]),
    _d(3, 2019, "J1", "B", None, 0, ["RU", "DE"], ["RU-LIP"], ["wheat", "soil"], ["68", "34"], ["LSTU"]),
    _d(4, 2020, "J2", "AC", 4, 2, ["RU"], ["RU-VOR"], ["laser", "optics"], ["29"], ["VSU"]),
    _d(5, 2020, "J2", "C", 0, 0, ["RU"], ["RU-BEL"], ["laser"], ["29"], ["BSU"]),
    _d(6, 2020, "J3", "A", 6, 4, [], [], ["laser", "optics"], ["29"]),
    _d(7, 2020, "J1", "D", 1, 1, ["RU", "CN"], ["RU-VOR", "RU-BEL"], ["optics"], ["29"], ["VSU", "BSU"]),
    _d(8, 2020, None, "ABC", 3, 0, ["RU"], ["RU-VOR"], ["soil", "wheat"], ["68"], ["VSU"]),
]


def test_main_information():
    m = main_information(DOCS, Y)
    assert m["timespan"] == [2018, 2020]
    assert m["sources"] == 3 and m["documents"] == 8
    # 2 documents in 2018, 5 in 2020: (5/2) ** (1/2) - 1 = 0.5811
    assert m["annual_growth_rate"] == pytest.approx(58.11, abs=0.01)
    # ages 3, 3, 2, 1, 1, 1, 1, 1 -> 13 / 8
    assert m["document_average_age"] == pytest.approx(1.625)
    # seven counted: 10 + 2 + 4 + 0 + 6 + 1 + 3 = 26 -> 26 / 7
    assert m["citations_per_doc"] == pytest.approx(26 / 7)
    # per year: 10/4 + 2/4 + 4/2 + 0/2 + 6/2 + 1/2 + 3/2 = 10 -> 10 / 7
    assert m["citations_per_doc_per_year"] == pytest.approx(10 / 7)
    assert m["references"] == 15 and m["keywords"] == 4 and m["authors"] == 4
    assert m["single_authored_docs"] == 5  # d1, d3, d5, d6, d7
    assert m["coauthors_per_doc"] == pytest.approx(12 / 8)  # 1+2+1+2+1+1+1+3
    assert m["international_coauthorship"] == pytest.approx(2 / 7)  # d3, d7 of the 7 placed
    assert m["interregional_coauthorship"] == pytest.approx(2 / 7)  # d2, d7
    assert m["reasons"] == {}


def test_undefined_values_are_none_with_a_reason():
    m = main_information([_d(1, 2020, "J", "A", None, 0, [], [], [], [])], Y)
    assert m["annual_growth_rate"] is None and m["citations_per_doc"] is None
    assert m["reasons"]["annual_growth_rate"] == "the timespan is a single year"
    assert m["reasons"]["citations_per_doc"] == "no document has a citation count"
    assert growth_rate(2018, 2020, 0, 5) is None


def test_annual_production_fills_empty_years():
    rows = annual_production(DOCS, Y)
    assert [(r["year"], r["documents"]) for r in rows] == [(2018, 2), (2019, 1), (2020, 5)]
    assert rows[0]["mean_citations"] == 6 and rows[0]["mean_citations_per_year"] == 1.5  # (10+2)/2, over 4 years
    assert rows[1]["mean_citations"] is None  # d3 has no count
    assert rows[2]["mean_citations"] == pytest.approx(14 / 5)  # 4, 0, 6, 1, 3
    gap = annual_production([_d(1, 2016, "J", "A", 1, 0, [], [], [], []), _d(2, 2018, "J", "A", 1, 0, [], [], [], [])],
                            Y)
    assert [r["documents"] for r in gap] == [1, 0, 1]


def test_most_cited():
    rows = most_cited(DOCS, 3, Y)
    assert [r["id"] for r in rows] == ["d1", "d6", "d4"]
    assert rows[0]["citations_per_year"] == 2.5 and rows[1]["citations_per_year"] == 3.0


def test_bradford_zones():
    # J1: 4, J2: 2, J3: 1 (7 with a source); round(0.33*7)=2, round(0.67*7)=5
    rows = bradford(DOCS)
    assert [(r["source"], r["documents"], r["cumulative"], r["zone"]) for r in rows] == [
        ("J1", 4, 4, 1), ("J2", 2, 6, 3), ("J3", 1, 7, 3)]
    # 12 sources of 10, 5, 3, 2, 1 x8 documents = 28: cut at round(9.24)=9, round(18.76)=19
    docs = [_d(i, 2020, src, "A", 0, 0, [], [], [], []) for i, src in enumerate(
        ["S1"] * 10 + ["S2"] * 5 + ["S3"] * 3 + ["S4"] * 2 + [f"T{k}" for k in range(8)])]
    zones = {r["source"]: r["zone"] for r in bradford(docs)}
    assert zones["S1"] == 1  # cumulative 10 > 9, but the first source is always in zone 1
    assert [zones[s] for s in ("S2", "S3", "S4")] == [2, 2, 3]  # 15, 18, 20
    assert {zones[f"T{k}"] for k in range(8)} == {3}


def test_h_g_m_index():
    assert h_index([10, 8, 5, 4, 3]) == 4 and g_index([10, 8, 5, 4, 3]) == 5
    assert h_index([3, 0, 6, 1, 5]) == 3  # sorted 6, 5, 3, 1, 0
    assert g_index([3, 0, 6, 1, 5]) == 3  # 6, 11, 14 >= 9; 15 < 16
    rows = {r["author"]: r for r in authors(DOCS, None, Y)}
    a = rows["A"]  # d1 10, d2 2, d4 4, d6 6, d8 3 -> sorted 10 6 4 3 2: h 3; g: 10,16,20,23,25 vs 1,4,9,16,25 -> 5
    assert (a["documents"], a["citations"], a["h"], a["g"], a["first_year"]) == (5, 25, 3, 5, 2018)
    assert a["m"] == pytest.approx(3 / 4)
    assert a["fractional"] == pytest.approx(1 + 1 / 2 + 1 / 2 + 1 + 1 / 3)
    b = rows["B"]  # d2 2, d3 None (counts 0), d8 3 -> h 2 (3 >= 1, 2 >= 2), g: 3, 5, 5 vs 1, 4, 9 -> 2
    assert (b["documents"], b["h"], b["g"], b["m"]) == (3, 2, 2, pytest.approx(2 / 4))
    assert [r["author"] for r in authors(DOCS, 2, Y)] == ["A", "B"]


def test_lotka():
    # A 5, B 3, C 3, D 1 documents: x=1: 1 author, x=3: 2, x=5: 1
    fit = lotka(DOCS)
    assert [(r["documents"], r["authors"]) for r in fit["rows"]] == [(1, 1), (3, 2), (5, 1)]
    assert fit["rows"][1]["share"] == 0.5 and fit["rows"][0]["lotka_share"] == pytest.approx(6 / math.pi**2)
    # an exact Lotka law (shares 0.6, 0.15, 0.0667 at x = 1, 2, 3) fits beta = 2, C = 0.6, R² = 1
    docs, i = [], 0
    for x, n_authors in ((1, 36), (2, 9), (3, 4)):
        for k in range(n_authors):
            for _ in range(x):
                docs.append(_d(i, 2020, "J", [f"x{x}a{k}"], 0, 0, [], [], [], []))
                i += 1
    exact = lotka(docs)
    assert exact["beta"] == pytest.approx(2.0) and exact["c"] == pytest.approx(36 / 49)
    assert exact["r2"] == pytest.approx(1.0)


def test_places():
    assert affiliations(DOCS, 2) == [{"name": "VSU", "documents": 5}, {"name": "BSU", "documents": 2}]
    subj = {r["name"]: r for r in subjects(DOCS)}
    assert (subj["RU-VOR"]["documents"], subj["RU-VOR"]["with_other_subjects"]) == (5, 2)
    assert (subj["RU-BEL"]["documents"], subj["RU-LIP"]["documents"]) == (2, 2)
    ctr = {r["name"]: r for r in countries(DOCS)}
    assert (ctr["RU"]["documents"], ctr["RU"]["scp"], ctr["RU"]["mcp"]) == (7, 5, 2)
    assert ctr["DE"]["mcp_share"] == 1.0
    assert subject_collaboration(DOCS) == [{"a": "RU-BEL", "b": "RU-VOR", "documents": 1},
                                           {"a": "RU-LIP", "b": "RU-VOR", "documents": 1}]


def test_trend_topics():
    rows = {r["keyword"]: r for r in trend_topics(DOCS, min_freq=3)}
    # soil: 2018, 2018, 2019, 2020 -> type-1 quartiles 2018, 2018, 2019
    assert (rows["soil"]["q1"], rows["soil"]["median"], rows["soil"]["q3"]) == (2018, 2018, 2019)
    # wheat 2018, 2019, 2020: q1 2018 (ceil(0.75)=1), median 2019 (ceil(1.5)=2), q3 2020 (ceil(2.25)=3)
    assert (rows["wheat"]["q1"], rows["wheat"]["median"], rows["wheat"]["q3"]) == (2018, 2019, 2020)
    assert rows["laser"]["median"] == 2020 and rows["optics"]["documents"] == 3
    assert [r["keyword"] for r in trend_topics(DOCS, min_freq=3, per_year=1)] == ["soil", "wheat", "laser"]


def test_thematic_map_callon():
    # soil(4) wheat(3) co-occur in d1, d3, d8: e = 9 / 12 = 0.75; laser(3) optics(3) in d4, d6: e = 4 / 9
    rows = {r["label"]: r for r in thematic_map(DOCS, min_freq=3)}
    assert set(rows) == {"soil", "laser"}
    assert rows["soil"]["keywords"] == ["soil", "wheat"] and rows["soil"]["documents"] == 7
    assert rows["soil"]["density"] == pytest.approx(100 * 0.75 / 2)
    assert rows["laser"]["density"] == pytest.approx(100 * (4 / 9) / 2)
    assert rows["soil"]["centrality"] == 0 and rows["laser"]["centrality"] == 0  # no link between the themes
    assert rows["soil"]["quadrant"] == "niche"  # denser than the median, not more central
    # a link across: one document with soil and laser -> e = 1 / (5 * 4) from each cluster's side
    linked = thematic_map([*DOCS, _d(9, 2020, "J", "A", 0, 0, [], [], ["soil", "laser"], [])], min_freq=3)
    assert {r["label"]: r["centrality"] for r in linked} == {"soil": pytest.approx(10 / 20),
                                                             "laser": pytest.approx(10 / 20)}


def test_three_field():
    tf = three_field(DOCS, n=2)
    assert tf["subjects"] == [["RU-VOR", 5], ["RU-BEL", 2]]
    assert tf["rubrics"] == [["29", 4], ["68", 4]]
    links = {(a, b): n for a, b, n in tf["links"]}
    assert links[("s:RU-VOR", "r:68")] == 3  # d1, d2, d8
    assert links[("s:RU-VOR", "r:29")] == 2  # d4, d7
    assert links[("s:RU-BEL", "r:29")] == 2  # d5, d7
    assert links[("r:68", "k:soil")] == 4


def test_compute_all_is_json_ready():
    import json

    result = compute_all(DOCS, Y, min_freq=3)
    assert json.loads(json.dumps(result))["main_information"]["documents"] == 8
