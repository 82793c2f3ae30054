"""What a different rubric assignment does to the method: S&T ratios and competences side by side.

Given two assignments of the same records (manual and automatic) and the regions of each
record, the S&T ratio of every region x rubric is computed from each (the records
themselves are the reference, as ``count_st(..., country=...)`` does), and compared:
which competences (ratio > threshold) appear or disappear per region, the Spearman rank
correlation of the ratios per region, the Jaccard similarity of the competence sets, and
the records that drive each flip (those whose labels differ on that rubric).

>>> manual = {"a": ["06"], "b": ["34"], "c": ["06"], "d": ["06"]}
>>> auto = {"a": ["06"], "b": ["06"], "c": ["06"], "d": ["06"]}
>>> regions = {"a": ["RU-VOR"], "b": ["RU-VOR"], "c": ["RU-LIP"], "d": ["RU-LIP"]}
>>> [(f.region, f.rubric, f.change) for f in compare_assignments(manual, auto, regions).flips]
[('RU-LIP', '06', 'disappears'), ('RU-VOR', '34', 'disappears')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from scipy.stats import spearmanr

from bibmine.specialization.coefficients import is_competence, location_quotients
from bibmine.specialization.counting import count_st

Labels = dict[str, list[str]]


@dataclass
class Flip:
    region: str
    rubric: str
    manual: float | None
    automatic: float | None
    change: str  # appears | disappears (in the automatic assignment, relative to the manual one)
    gained: list[str] = field(default_factory=list)  # records the automatic side put in the rubric
    lost: list[str] = field(default_factory=list)  # records it took out of the rubric
    note: str = ""


@dataclass
class RegionEffect:
    region: str
    spearman: float | None  # over rubrics where both ratios are defined; None with a reason
    spearman_note: str
    jaccard: float | None  # of the competence sets; None when neither side has a competence
    manual_competences: list[str]
    automatic_competences: list[str]


@dataclass
class Effect:
    ratios: pd.DataFrame  # region, rubric, manual, automatic
    regions: list[RegionEffect]
    flips: list[Flip]
    counting: str
    threshold: float
    n_records: int

    def summary(self) -> dict:
        return {
            "n_records": self.n_records, "counting": self.counting, "threshold": self.threshold,
            "regions": [r.__dict__ for r in self.regions],
            "flips": [f.__dict__ for f in self.flips],
        }


def st_ratios(labels: Labels, regions: dict[str, list[str]], *, counting: str = "whole",
              country: str = "RU") -> pd.DataFrame:
    """S&T ratios (region, rubric, value) of one assignment, the labelled records as the reference."""
    rows = [(rid, region, code) for rid, codes in labels.items() for region in regions.get(rid, ()) if region
            for code in codes]
    if not rows:
        return pd.DataFrame(columns=["region", "rubric", "value"])
    table = pd.DataFrame(rows, columns=["record_id", "region", "rubric"])
    values = count_st(table, counting=counting, country=country).values
    quotients = location_quotients(values, "country")
    return quotients.rename(columns={"category": "rubric"})[["region", "rubric", "value"]]


def _value(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def compare_assignments(manual: Labels, automatic: Labels, regions: dict[str, list[str]], *,
                        counting: str = "whole", threshold: float = 1.0, country: str = "RU") -> Effect:
    """Side-by-side ratios, flips with their driving records, and per-region agreement of the ratios."""
    shared = sorted(r for r in manual if manual[r] and automatic.get(r) and regions.get(r))
    m = {r: manual[r] for r in shared}
    a = {r: automatic[r] for r in shared}
    left = st_ratios(m, regions, counting=counting, country=country).rename(columns={"value": "manual"})
    right = st_ratios(a, regions, counting=counting, country=country).rename(columns={"value": "automatic"})
    ratios = left.merge(right, on=["region", "rubric"], how="outer").sort_values(["region", "rubric"])
    ratios = ratios.reset_index(drop=True)
    flips: list[Flip] = []
    effects: list[RegionEffect] = []
    for region, group in ratios.groupby("region", sort=True):
        mc = sorted(g.rubric for g in group.itertuples() if is_competence(_value(g.manual), threshold))
        ac = sorted(g.rubric for g in group.itertuples() if is_competence(_value(g.automatic), threshold))
        both = group.dropna(subset=["manual", "automatic"])
        if len(both) < 3:
            rho, note = None, f"{len(both)} rubrics with both ratios defined (needs 3)"
        elif both["manual"].nunique() < 2 or both["automatic"].nunique() < 2:
            rho, note = None, "ratios constant on one side"
        else:
            rho, note = float(spearmanr(both["manual"], both["automatic"]).statistic), ""
        union = set(mc) | set(ac)
        jac = len(set(mc) & set(ac)) / len(union) if union else None
        effects.append(RegionEffect(region, rho, note, jac, mc, ac))
        in_region = [r for r in shared if region in regions[r]]
        for rubric in sorted(set(mc) ^ set(ac)):
            row = group[group.rubric == rubric].iloc[0]
            gained = [r for r in in_region if rubric in a[r] and rubric not in m[r]]
            lost = [r for r in in_region if rubric in m[r] and rubric not in a[r]]
            note = "" if gained or lost else "no record of the region changed: the reference shares moved"
            flips.append(Flip(region, rubric, _value(row.manual), _value(row.automatic),
                              "appears" if rubric in ac else "disappears", gained, lost, note))
    return Effect(ratios, effects, flips, counting, threshold, len(shared))
