"""Related competences against the peer fixtures in ../shared/data/relatedness/ (EconGeo, py-ecomplexity).

Expected outputs were produced by running the peers themselves (see that folder's README); they are
compared with a relative tolerance of 1e-9, or exactly where the peer rounds.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bibmine.specialization import relatedness as rel

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "relatedness"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared fixtures not found at {SHARED}")


def matrix(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SHARED / name, index_col=0)
    frame.index = frame.index.astype(str)
    return frame


def same(got: pd.DataFrame | pd.Series, expected: pd.DataFrame | pd.Series) -> None:
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


# ------------------------------------------------------------------------------------------ EconGeo


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


def test_co_occurrence():
    events = matrix("econgeo_docs/cooc_input_industry_event.csv")
    same(rel.co_occurrence(events), matrix("econgeo_docs/cooc_expected.csv"))
    same(rel.co_occurrence(events, diagonal=True), matrix("econgeo_docs/cooc_expected_diagonal.csv"))


@pytest.mark.parametrize("method", rel.RELATEDNESS_METHODS)
def test_relatedness_methods(method):
    cooc = matrix("econgeo_docs/relatedness_input_cooccurrence.csv")
    same(rel.relatedness(cooc, method), matrix(f"econgeo_docs/relatedness_expected_{method}.csv"))


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


def test_pyecomplexity_on_the_econgeo_example():
    counts = matrix("econgeo_docs/lq_input_counts.csv")
    mcp = rel.presence(rel.location_quotient(counts), strict=False)
    phi = rel.proximity(mcp)
    same(phi, matrix("econgeo_docs/lq_pyecomplexity_expected_proximity.csv"))
    long = pd.read_csv(SHARED / "econgeo_docs/lq_pyecomplexity_expected_long.csv")
    same(rel.relatedness_density(mcp, phi, scale=1.0), long_to_matrix(long, "region", "field", "density"))
    same(mcp, long_to_matrix(long, "region", "field", "mcp"))


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


def test_synthetic_rca_and_presence(fields):
    _, lq, mcp = fields
    same(lq, matrix("synthetic_fields/econgeo_expected_location_quotient.csv"))
    same(lq.round(2), matrix("synthetic_fields/econgeo_expected_rca_rounded.csv"))
    same(mcp, matrix("synthetic_fields/econgeo_expected_mcp.csv"))
    assert int(mcp.to_numpy().sum()) == 20


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
