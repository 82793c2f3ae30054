"""Related competences: an invented toy worked out by hand (always runs), then, as extra coverage,
the peer fixtures in ../shared/data/relatedness/ (EconGeo, py-ecomplexity).

The peers' expected outputs were produced by running the peers themselves (see that folder's
README); they are compared with a relative tolerance of 1e-9, or exactly where the peer rounds, and
a table with a row or column more or less than the peer's fails.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bibmine.specialization import relatedness as rel

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "relatedness"
needs_peers = pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data/relatedness/ (outputs of the "
                                 "peers EconGeo and py-ecomplexity; the invented toy above covers the same functions)")


def matrix(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SHARED / name, index_col=0)
    frame.index = frame.index.astype(str)
    return frame


def _labels(axis: pd.Index) -> list[str]:
    assert axis.is_unique, f"repeated labels: {list(axis[axis.duplicated()])}"
    return sorted(map(str, axis))


def same(got: pd.DataFrame | pd.Series, expected: pd.DataFrame | pd.Series) -> None:
    """The whole expected table: the same row (and column) labels, in any order, and the same values."""
    assert _labels(got.index) == _labels(expected.index), "rows differ"
    if isinstance(expected, pd.DataFrame):
        assert isinstance(got, pd.DataFrame) and _labels(got.columns) == _labels(expected.columns), "columns differ"
    got = got.astype(float)
    expected = expected.astype(float).reindex_like(got)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=1e-12)


def same_ext_int(mcp: pd.DataFrame, related: pd.DataFrame, prefix: str) -> None:
    """EconGeo's _ext, _int (NA where masked) and their _avg against ``<prefix>_{ext,int,avg}.csv``."""
    same(rel.relatedness_density_ext(mcp, related).fillna(-1), matrix(f"{prefix}_ext.csv").fillna(-1))
    same(rel.relatedness_density_int(mcp, related).fillna(-1), matrix(f"{prefix}_int.csv").fillna(-1))
    averages = matrix(f"{prefix}_avg.csv")
    same(rel.relatedness_density_ext_avg(mcp, related), averages["ext_avg"])
    same(rel.relatedness_density_int_avg(mcp, related), averages["int_avg"])


# -------------------------------------------------------------------- invented toy, worked out by hand
#
# Four regions, four fields; M (presence):      ubiquity k: F1 2, F2 3, F3 3, F4 1
#        F1 F2 F3 F4                           fields shared by regions (M.T @ M, off the diagonal):
#   R1    1  1  0  0                             F1-F2 2 (R1, R2), F1-F3 1 (R2), F2-F3 2 (R2, R3),
#   R2    1  1  1  0                             F3-F4 1 (R4), F1-F4 = F2-F4 = 0
#   R3    0  1  1  0                           co-occurrence column sums s: F1 3, F2 4, F3 4, F4 1; t = 12
#   R4    0  0  1  1

FIELDS = ["F1", "F2", "F3", "F4"]
TOY = pd.DataFrame([[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 1, 1]], index=["R1", "R2", "R3", "R4"],
                   columns=FIELDS)


def toy_matrix(pairs: dict[tuple[str, str], float], diagonal: float = 0.0) -> pd.DataFrame:
    """A symmetric field x field matrix from its upper-triangle entries (the rest 0)."""
    out = pd.DataFrame(0.0, index=FIELDS, columns=FIELDS)
    for (a, b), value in pairs.items():
        out.loc[a, b] = out.loc[b, a] = value
    for f in FIELDS:
        out.loc[f, f] = diagonal
    return out


def test_invented_location_quotient_and_presence():
    # R1 2 + 2, R2 0 + 4, R3 1 + 3; totals I1 3, I2 9 of 12: reference shares 1/4 and 3/4
    counts = pd.DataFrame({"I1": [2, 0, 1], "I2": [2, 4, 3]}, index=["R1", "R2", "R3"])
    lq = rel.location_quotient(counts)
    same(lq, pd.DataFrame({"I1": [2.0, 0.0, 1.0], "I2": [2 / 3, 4 / 3, 1.0]}, index=["R1", "R2", "R3"]))
    # bibmine's presence is strictly above 1; the peers' (strict=False) counts R3's exact 1s
    same(rel.presence(lq), pd.DataFrame({"I1": [1, 0, 0], "I2": [0, 1, 0]}, index=["R1", "R2", "R3"]))
    same(rel.presence(lq, strict=False), pd.DataFrame({"I1": [1, 0, 1], "I2": [0, 1, 1]}, index=["R1", "R2", "R3"]))
    same(rel.location_quotient(counts).round(2).loc["R1"], pd.Series({"I1": 2.0, "I2": 0.67}))


def test_invented_diversity_ubiquity_and_co_occurrence():
    same(rel.diversity(TOY), pd.Series({"R1": 2, "R2": 3, "R3": 2, "R4": 2}))
    same(rel.ubiquity(TOY), pd.Series({"F1": 2, "F2": 3, "F3": 3, "F4": 1}))
    shared = {("F1", "F2"): 2, ("F1", "F3"): 1, ("F2", "F3"): 2, ("F3", "F4"): 1}
    same(rel.co_occurrence(TOY.T), toy_matrix(shared))
    with_diagonal = rel.co_occurrence(TOY.T, diagonal=True)
    assert [with_diagonal.loc[f, f] for f in FIELDS] == [2, 3, 3, 1]  # the diagonal is the ubiquity


def test_invented_relatedness_methods():
    cooc = rel.co_occurrence(TOY.T)
    # association = c t / (s_i s_j): F1-F2 2 * 12 / (3 * 4) = 2, F1-F3 12 / 12, F2-F3 24 / 16, F3-F4 12 / 4
    same(rel.relatedness(cooc, "association"),
         toy_matrix({("F1", "F2"): 2.0, ("F1", "F3"): 1.0, ("F2", "F3"): 1.5, ("F3", "F4"): 3.0}))
    # cosine = c / sqrt(s_i s_j): 2 / sqrt(12), 1 / sqrt(12), 2 / 4, 1 / 2
    same(rel.relatedness(cooc, "cosine"),
         toy_matrix({("F1", "F2"): 2 / 12 ** 0.5, ("F1", "F3"): 1 / 12 ** 0.5, ("F2", "F3"): 0.5, ("F3", "F4"): 0.5}))
    # jaccard = c / (s_i + s_j - c): 2 / 5, 1 / 6, 2 / 6, 1 / 4
    same(rel.relatedness(cooc, "jaccard"),
         toy_matrix({("F1", "F2"): 0.4, ("F1", "F3"): 1 / 6, ("F2", "F3"): 1 / 3, ("F3", "F4"): 0.25}))
    # prob: F1-F2 expected (4/12 * 3/8 + 3/12 * 4/9) * 6 = 17/12, so 2 / (17/12) = 24/17;
    #       F3-F4 expected (1/12 * 4/11 + 4/12 * 1/8) * 6 = 19/44, so 44/19
    prob = rel.relatedness(cooc, "prob")
    assert prob.loc["F1", "F2"] == pytest.approx(24 / 17, rel=1e-12)
    assert prob.loc["F3", "F4"] == pytest.approx(44 / 19, rel=1e-12)
    assert prob.loc["F1", "F4"] == 0 and prob.loc["F2", "F2"] == 0
    with pytest.raises(ValueError, match="method must be one of"):
        rel.relatedness(cooc, "pearson")


def test_invented_proximity_and_both_densities():
    # phi = shared / larger ubiquity: F1-F2 2/3, F1-F3 1/3, F2-F3 2/3, F3-F4 1/3; diagonal 1
    phi = rel.proximity(TOY)
    same(phi, toy_matrix({("F1", "F2"): 2 / 3, ("F1", "F3"): 1 / 3, ("F2", "F3"): 2 / 3, ("F3", "F4"): 1 / 3},
                         diagonal=1.0))
    # EconGeo (diagonal zeroed, x100): column sums F1 1, F2 4/3, F3 4/3, F4 1/3;
    # R1 (F1, F2): F1 2/3 / 1, F2 2/3 / (4/3), F3 (1/3 + 2/3) / (4/3), F4 0
    dens = rel.relatedness_density(TOY, rel.zero_diagonal(phi), digits=2)
    same(dens, pd.DataFrame([[66.67, 50.0, 75.0, 0.0], [100.0, 100.0, 75.0, 100.0], [100.0, 50.0, 50.0, 100.0],
                             [33.33, 50.0, 25.0, 100.0]], index=TOY.index, columns=FIELDS))
    # py-ecomplexity (diagonal kept, 0..1): R1, F3 = (1/3 + 2/3) / (1/3 + 2/3 + 1 + 1/3) = 3/7
    assert rel.relatedness_density(TOY, phi, scale=1.0).loc["R1", "F3"] == pytest.approx(3 / 7, rel=1e-12)
    # _ext: the fields a region lacks, _int: those it has (whole numbers), and their means
    ext = rel.relatedness_density_ext(TOY, rel.zero_diagonal(phi))
    assert ext.loc["R1"].isna().tolist() == [True, True, False, False]
    assert ext.loc["R1", ["F3", "F4"]].tolist() == [75.0, 0.0]
    same(rel.relatedness_density_ext_avg(TOY, rel.zero_diagonal(phi)).loc[["R2", "R3"]],
         pd.Series({"R2": 100.0, "R3": 100.0}))
    same(rel.relatedness_density_int_avg(TOY, rel.zero_diagonal(phi)).loc[["R2", "R3"]],
         pd.Series({"R2": 92.0, "R3": 50.0}))  # R2: (100 + 100 + 75) / 3 = 91.67


def test_invented_related_competences():
    # S&T ratios 1.5 where TOY has the field, 0.5 elsewhere; F5 is no region's competence
    values = TOY.assign(F5=0) * 1.0 + 0.5
    long = values.stack().rename("value").reset_index()
    long.columns = ["region", "category", "value"]
    table = long.assign(level="st", year=2020)
    default = rel.related_competences(table, "R1")
    assert default.top == [("F3", 75.0), ("F4", 0.0)]  # as in the EconGeo density above
    f5 = default.table.set_index("rubric").loc["F5"]
    assert np.isnan(f5["density"]) and f5["reason"].startswith("undefined: the rubric is related to no other")
    assert default.describe() == "hidalgo, econgeo, > 1"
    py = rel.related_competences(table, "R1", density="pyecomplexity")
    assert py.top == [("F3", pytest.approx(3 / 7)), ("F4", 0.0)]
    with pytest.raises(ValueError, match="no S&T ratios for region 'R9'"):
        rel.related_competences(table, "R9")


# ------------------------------------------------------------------------------------------ EconGeo


@needs_peers
def test_location_quotient_and_rca():
    counts = matrix("econgeo_docs/lq_input_counts.csv")
    lq = rel.location_quotient(counts, undefined="zero")
    same(lq, matrix("econgeo_docs/lq_expected_location_quotient.csv"))
    same(lq.round(2), matrix("econgeo_docs/lq_expected_rca.csv"))
    # both peers count LQ exactly 1 (R3-I2, R3-I4) as present; bibmine's strict default does not
    same(rel.presence(lq, strict=False), matrix("econgeo_docs/lq_expected_location_quotient_binary.csv"))
    strict = rel.presence(lq)
    assert strict.loc["R3", "I2"] == 0 and strict.loc["R3", "I4"] == 0 and strict.loc["R3", "I5"] == 1
    counts = matrix("econgeo_docs/rca_input_counts.csv")
    same(rel.location_quotient(counts), matrix("econgeo_docs/rca_expected_location_quotient.csv"))
    same(rel.location_quotient(counts).round(2), matrix("econgeo_docs/rca_expected_rca.csv"))
    same(rel.presence(rel.location_quotient(counts), strict=False), matrix("econgeo_docs/rca_expected_rca_binary.csv"))


def test_undefined_location_quotient_is_missing_by_default():
    counts = pd.DataFrame({"I1": [0, 5], "I2": [0, 5]}, index=["R0", "R1"])
    assert rel.location_quotient(counts).loc["R0"].isna().all()
    assert (rel.location_quotient(counts, undefined="zero").loc["R0"] == 0).all()


@needs_peers
def test_co_occurrence():
    events = matrix("econgeo_docs/cooc_input_industry_event.csv")
    same(rel.co_occurrence(events), matrix("econgeo_docs/cooc_expected.csv"))
    same(rel.co_occurrence(events, diagonal=True), matrix("econgeo_docs/cooc_expected_diagonal.csv"))


@needs_peers
@pytest.mark.parametrize("method", rel.RELATEDNESS_METHODS)
def test_relatedness_methods(method):
    cooc = matrix("econgeo_docs/relatedness_input_cooccurrence.csv")
    same(rel.relatedness(cooc, method), matrix(f"econgeo_docs/relatedness_expected_{method}.csv"))


@needs_peers
def test_relatedness_density_and_its_variants():
    mcp = matrix("econgeo_docs/density_input_mcp.csv")
    related = matrix("econgeo_docs/density_input_relatedness.csv")  # diagonal not zero: used as given
    same(rel.relatedness_density(mcp, related, digits=2), matrix("econgeo_docs/density_expected.csv"))
    same_ext_int(mcp, related, "econgeo_docs/density_expected")
    # by hand: R1 has I2 and I4; I1 is related to I1, I2, I4 -> 100 * 2/3 = 66.67
    assert rel.relatedness_density(mcp, related, digits=2).loc["R1", "I1"] == 66.67


# ------------------------------------------------------------------------------------ py-ecomplexity


def long_to_matrix(long: pd.DataFrame, rows: str, cols: str, value: str) -> pd.DataFrame:
    return long.pivot(index=rows, columns=cols, values=value)


@needs_peers
def test_pyecomplexity_on_the_econgeo_example():
    counts = matrix("econgeo_docs/lq_input_counts.csv")
    mcp = rel.presence(rel.location_quotient(counts), strict=False)
    phi = rel.proximity(mcp)
    same(phi, matrix("econgeo_docs/lq_pyecomplexity_expected_proximity.csv"))
    long = pd.read_csv(SHARED / "econgeo_docs/lq_pyecomplexity_expected_long.csv")
    same(rel.relatedness_density(mcp, phi, scale=1.0), long_to_matrix(long, "region", "field", "density"))
    same(mcp, long_to_matrix(long, "region", "field", "mcp"))


@needs_peers
def test_hidalgo_hausmann_toy_network():
    mcp = matrix("hh2009_toy/input_mcp.csv")
    phi = rel.proximity(mcp)
    same(phi, matrix("hh2009_toy/pyecomplexity_expected_proximity.csv"))
    # by hand: P3 and P4 are both exported by C1 and C3; ubiquities 2 and 3 -> 2 / 3
    assert phi.loc["P3", "P4"] == pytest.approx(2 / 3)
    long = pd.read_csv(SHARED / "hh2009_toy/pyecomplexity_expected_long.csv")
    same(rel.relatedness_density(mcp, phi, scale=1.0), long_to_matrix(long, "country", "product", "density"))
    same(rel.diversity(mcp), long.groupby("country")["diversity"].first())
    same(rel.ubiquity(mcp), long.groupby("product")["ubiquity"].first())


# ---------------------------------------------------------------------------- synthetic fields, both


@pytest.fixture(scope="module")
def fields():
    counts = matrix("synthetic_fields/input_counts.csv")
    lq = rel.location_quotient(counts)
    return counts, lq, rel.presence(lq, strict=False)


@needs_peers
def test_synthetic_rca_and_presence(fields):
    _, lq, mcp = fields
    same(lq, matrix("synthetic_fields/econgeo_expected_location_quotient.csv"))
    same(lq.round(2), matrix("synthetic_fields/econgeo_expected_rca_rounded.csv"))
    same(mcp, matrix("synthetic_fields/econgeo_expected_mcp.csv"))
    assert int(mcp.to_numpy().sum()) == 20


@needs_peers
def test_synthetic_econgeo_relatedness_and_density(fields):
    _, _, mcp = fields
    cooc = rel.co_occurrence(mcp.T)
    same(cooc, matrix("synthetic_fields/econgeo_expected_cooccurrence_regions.csv"))
    for method in rel.RELATEDNESS_METHODS:
        same(rel.relatedness(cooc, method), matrix(f"synthetic_fields/econgeo_expected_relatedness_{method}.csv"))
    prob = rel.relatedness(cooc, "prob")
    same(rel.relatedness_density(mcp, prob, digits=2), matrix("synthetic_fields/econgeo_expected_density_prob.csv"))
    binary = (prob > 1).astype(int)
    same(binary, matrix("synthetic_fields/econgeo_expected_relatedness_prob_binary.csv"))
    same(rel.relatedness_density(mcp, binary, digits=2),
         matrix("synthetic_fields/econgeo_expected_density_prob_binary.csv"))
    same_ext_int(mcp, prob, "synthetic_fields/econgeo_expected_density_prob")


@needs_peers
def test_synthetic_hidalgo_proximity_both_density_conventions(fields):
    counts, _, mcp = fields
    phi = rel.proximity(mcp)
    same(phi, matrix("synthetic_fields/pyecomplexity_expected_proximity.csv"))
    long = pd.read_csv(SHARED / "synthetic_fields/pyecomplexity_expected_long.csv")
    same(rel.relatedness_density(mcp, phi, scale=1.0), long_to_matrix(long, "region", "field", "density"))
    same(rel.location_quotient(counts), long_to_matrix(long, "region", "field", "rca"))
    # the same proximity, diagonal kept (= 100 x py-ecomplexity) and zeroed (Balland's sum over j != i)
    same(rel.relatedness_density(mcp, phi, digits=2),
         matrix("synthetic_fields/econgeo_expected_density_hidalgo_phi_diag1.csv"))
    same(rel.relatedness_density(mcp, rel.zero_diagonal(phi), digits=2),
         matrix("synthetic_fields/econgeo_expected_density_hidalgo_phi_nodiag.csv"))
    # README: 52.94 with the diagonal kept, 81.82 without (R1, F4)
    assert rel.relatedness_density(mcp, phi, digits=2).loc["R1", "F4"] == 52.94
    assert rel.relatedness_density(mcp, rel.zero_diagonal(phi), digits=2).loc["R1", "F4"] == 81.82


@needs_peers
def test_related_competences_conventions_on_synthetic_fields(fields):
    _, lq, _ = fields
    long = lq.stack().rename("value").reset_index()
    long.columns = ["region", "category", "value"]
    table = long.assign(level="st", year=2020)
    default = rel.related_competences(table, "R1", strict=False)
    expected = matrix("synthetic_fields/econgeo_expected_density_hidalgo_phi_nodiag.csv").loc["R1"]
    # R1 has F1-F3; among the others F4 (81.82) leads, then F7 (25), F8 (18.18), F6 (14.29), F5 (0)
    assert [code for code, _ in default.top] == ["F4", "F7", "F8", "F6", "F5"]
    assert dict(default.top)["F4"] == pytest.approx(expected["F4"], abs=0.005)
    py = rel.related_competences(table, "R1", strict=False, density="pyecomplexity")
    assert dict(py.top)["F4"] == pytest.approx(0.5294117647058824)
    prob = rel.related_competences(table, "R1", strict=False, proximity_method="prob", top=1)
    assert prob.top[0][0] == "F4" and prob.top[0][1] == pytest.approx(84.23, abs=0.005)
    with pytest.raises(ValueError, match="defined on its own proximity"):
        rel.related_competences(table, "R1", proximity_method="cosine", density="pyecomplexity")
