"""Collective mode: ``adapt_to_groups`` (per-group prior adaptation) and ``classify-file --group-column``.

All probabilities, organizations and texts here are INVENTED, small enough to check by hand: three rubrics,
organization A works on rubric 0, organization B on rubric 1, and one ambiguous record (0.40 / 0.45 / 0.15)
sits in each.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from typer.testing import CliRunner

from bibmine.rubrics import adapt_to_groups
from bibmine.rubrics.cli import app

CONFIDENT_0, CONFIDENT_1, AMBIGUOUS = [0.90, 0.05, 0.05], [0.05, 0.90, 0.05], [0.40, 0.45, 0.15]
P = np.array([CONFIDENT_0] * 5 + [AMBIGUOUS] + [CONFIDENT_1] * 5 + [AMBIGUOUS])
GROUPS = ["A"] * 6 + ["B"] * 6
runner = CliRunner()


def test_ambiguous_row_flips_to_its_groups_dominant_rubric():
    Q = adapt_to_groups(P, GROUPS)
    assert P[5].argmax() == 1 and Q[5].argmax() == 0  # in A, the ambiguous record now reads as rubric 0
    assert Q[11].argmax() == 1 and Q[11, 1] > P[11, 1]  # in B it stays rubric 1, more surely
    assert (Q[:5].argmax(axis=1) == 0).all() and (Q[6:11].argmax(axis=1) == 1).all()
    assert np.array_equal(P[5], AMBIGUOUS)  # the input is not modified


def test_singleton_group_moves_little_unless_strength_is_zero():
    P2 = np.vstack([P, [AMBIGUOUS]])
    solo = GROUPS + ["solo"]
    Q = adapt_to_groups(P2, solo)  # strength 5: one record moves its group's prior by at most 1/6
    assert np.abs(Q[-1] - P2[-1]).max() < 0.02 and Q[-1].argmax() == 1
    Q0 = adapt_to_groups(P2, solo, strength=0.0)  # plain EM on one record runs away
    assert np.abs(Q0[-1] - P2[-1]).max() > 0.3


def test_rows_without_group_and_calls_without_groups_are_unchanged():
    assert np.array_equal(adapt_to_groups(P), P) and np.array_equal(adapt_to_groups(P, None), P)
    groups = list(GROUPS)
    groups[5] = None
    Q = adapt_to_groups(P, groups)
    assert np.array_equal(Q[5], P[5]) and Q[0, 0] != P[0, 0]
    assert np.array_equal(adapt_to_groups(P, [None] * len(P)), P)
    assert np.allclose(adapt_to_groups(P, GROUPS, shrink=1.0), P)  # full shrinkage: no adaptation
    with pytest.raises(ValueError, match="groups for"):
        adapt_to_groups(P, GROUPS[:3])


def test_probabilities_stay_normalised():
    rng = np.random.default_rng(0)
    R = rng.dirichlet(np.full(7, 0.3), size=200)
    R[3, 2:] = 0.0  # a row with zeros
    R[3] /= R[3].sum()
    groups = [int(g) if g < 12 else None for g in rng.integers(0, 15, size=200)]
    Q = adapt_to_groups(R, groups, strength=2.0, flatten=2.0, shrink=0.3)
    assert Q.shape == R.shape and (Q >= 0).all() and np.allclose(Q.sum(axis=1), 1.0)
    assert (Q[3, 2:] == 0).all()


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_classify_file_group_column_end_to_end_with_shipped_model(tmp_path):
    src = tmp_path / "in.csv"
    _write(src, [["id", "title", "org"],  # invented titles and organizations
                 ["1", "Урожайность пшеницы на черноземе", "Институт почв"],
                 ["2", "Удобрение почвы и посев сорта ячменя", "Институт почв"],
                 ["3", "Модель роста растений", "Институт почв"],
                 ["4", "Доказательство теоремы об операторе", "Институт математики"],
                 ["5", "Уравнение в банаховом пространстве", "Институт математики"],
                 ["6", "Модель роста растений", ""]])
    plain, grouped = tmp_path / "plain.csv", tmp_path / "grouped.csv"
    res = runner.invoke(app, ["classify-file", str(src), "--text-columns", "title", "--out", str(plain)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify-file", str(src), "--text-columns", "title", "--group-column", "org",
                              "--out", str(grouped)])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "6 of 6 rows classified" in said and "collective mode" in said and "org, 2 groups" in said
    a = list(csv.DictReader(plain.open(encoding="utf-8")))
    b = list(csv.DictReader(grouped.open(encoding="utf-8")))
    assert [r["id"] for r in b] == [str(i) for i in range(1, 7)] and all(r["rubric_1"] for r in b)
    assert a[5] == b[5]  # empty organization: classified as without the option
    assert b[0]["rubric_1"] == "68" and b[3]["rubric_1"] == "27"
    assert all(0 < float(r["score_1"]) <= 1 for r in b)


def test_classify_file_missing_group_column_is_an_error(tmp_path):
    src = tmp_path / "in.csv"
    _write(src, [["id", "title"], ["1", "Урожайность пшеницы"]])
    res = runner.invoke(app, ["classify-file", str(src), "--text-columns", "title", "--group-column", "org",
                              "--out", str(tmp_path / "o.csv")])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "in.csv: no group column org" in said and not (tmp_path / "o.csv").exists()
