"""S&T counts per region x rubric from a tidy table of classified records.

Input: one row per record x region x rubric (a record with two regions and three rubrics has six
rows) with the columns

- ``record_id``, ``region`` (ISO 3166-2; empty = an affiliation the regions stage could not place),
  ``rubric`` (GRNTI level-1 code) - required;
- ``year``, ``kind`` (a :class:`bibmine.corpus.model.Kind` value: ``article``, ``patent``,
  ``utility_model``, ``software_registration``, ``database_registration``, ...), ``rsci_core``
  (bool), ``quartile`` (1-4), ``citations`` (int), ``region_share`` (the record's share in the
  region, e.g. the share of its authors there), ``coauthor_scope`` (``region``, ``macroregion``,
  ``country`` or ``international``: how far the co-authors of the region's authors reach) -
  needed only by the options that use them.

Counting (the report says which one was used):

- **whole**: each record adds its weight to every (region, rubric) pair it has;
- **fractional**: it adds weight x region share x 1 / number of its rubrics, where the region
  share is ``region_share`` when given, else 1 / number of the record's regions (unplaced ones
  included).

The output is a values table (``level=st``) for :func:`.coefficients.location_quotients`, with a
``*`` row per region holding its total number of records (whole) or its summed shares
(fractional), and, when ``country`` is given, country rows computed from the same records (use
that only when the records cover the whole country; otherwise append a baseline table). Records
that an option cannot use are left out and listed with the reason, never silently dropped.

>>> table = pd.DataFrame({"record_id": ["a", "a", "a", "a", "b"],
...     "region": ["RU-VOR", "RU-VOR", "RU-LIP", "RU-LIP", "RU-VOR"],
...     "rubric": ["53", "20", "53", "20", "53"]})
>>> whole = count_st(table).values
>>> whole[whole.region == "RU-VOR"][["category", "value"]].to_dict("list")
{'category': ['20', '53', '*'], 'value': [1.0, 2.0, 2.0]}
>>> frac = count_st(table, counting="fractional").values
>>> frac[frac.region == "RU-VOR"][["category", "value"]].to_dict("list")
{'category': ['20', '53', '*'], 'value': [0.25, 1.25, 1.5]}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from bibmine.specialization.inputs import TOTAL

SOURCES = ("publications", "rsci_core", "patents", "utility_models", "software", "databases")
_KIND_SOURCE = {"patent": "patents", "utility_model": "utility_models",
                "software_registration": "software", "database_registration": "databases"}
SCOPES = ("region", "macroregion", "country", "international")


@dataclass(frozen=True)
class Weights:
    """Multiplicative weights of a record (all 1 by default: plain counts).

    ``core``: factor for publications in the RSCI core; ``quartile``: venue quartile -> factor
    (records without a quartile get ``quartile_missing``, or are left out when it is None);
    ``citations``: ``"log1p"`` (1 + ln(1 + c)) or ``"linear"`` (1 + c); ``scope``: co-author scope
    -> factor; ``source``: source (see ``SOURCES``; the core counts as ``publications``) -> factor.
    """

    core: float = 1.0
    quartile: Mapping[int, float] | None = None
    quartile_missing: float | None = None
    citations: str | None = None
    scope: Mapping[str, float] | None = None
    source: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if self.citations not in (None, "log1p", "linear"):
            raise ValueError(f"citations weighting must be None, 'log1p' or 'linear', not {self.citations!r}")
        if self.scope is not None and set(self.scope) - set(SCOPES):
            raise ValueError(f"unknown co-author scope(s) {set(self.scope) - set(SCOPES)}; use {SCOPES}")


@dataclass
class StCounts:
    """A values table of S&T counts, the records left out with their reasons, and the settings."""

    values: pd.DataFrame
    excluded: pd.DataFrame
    settings: dict = field(default_factory=dict)


def count_st(records: pd.DataFrame, *, counting: str = "whole", years: tuple[int, int] | None = None,
             sources: Iterable[str] = ("publications",), weights: Weights | None = None,
             country: str | None = None, year: int | None = None) -> StCounts:
    """Count records per region x rubric; see the module docstring.

    ``years`` is an inclusive window (first, last); ``sources`` any of ``SOURCES`` (together they
    are a union; ``rsci_core`` alone keeps only core publications); ``year`` labels the output
    rows (default: the window's last year, else the latest year of the records, else 0).
    """
    part = count_st_partial(records, counting=counting, years=years, sources=sources, weights=weights,
                            country=country)
    return combine_st([part], counting=counting, years=years, sources=sources, weights=weights, country=country,
                      year=year)


@dataclass
class StPartial:
    """Additive S&T sums of one slice of records (slices must not share a record): see :func:`combine_st`."""

    cells: dict[tuple[str, str], float]  # (region, rubric) -> value
    totals: dict[str, float]  # region -> records (whole) or summed shares (fractional)
    rubrics: set[str]
    country_cells: dict[str, float]
    country_total: float
    latest_year: int | None
    excluded: list[tuple[str, str]]


def count_st_partial(records: pd.DataFrame, *, counting: str = "whole", years: tuple[int, int] | None = None,
                     sources: Iterable[str] = ("publications",), weights: Weights | None = None,
                     country: str | None = None) -> StPartial:
    """The sums :func:`count_st` makes, for one slice of the records table.

    Every record's rows must be in the same slice.  Slices counted apart and combined with
    :func:`combine_st` give the counts of the whole table (fractional sums up to the order of
    floating-point addition), so the slices can be counted on different machines.
    """
    if counting not in ("whole", "fractional"):
        raise ValueError(f"counting must be 'whole' or 'fractional', not {counting!r}")
    sources = tuple(sources)
    unknown = set(sources) - set(SOURCES)
    if unknown or not sources:
        raise ValueError(f"sources must be a non-empty selection of {', '.join(SOURCES)}; got {sources}")
    weights = weights or Weights()
    for column in ("record_id", "region", "rubric"):
        if column not in records.columns:
            raise ValueError(f"the records table has no {column!r} column")
    table = records.copy()
    table["region"] = table["region"].fillna("").astype(str).str.strip()
    table["rubric"] = table["rubric"].astype(str).str.strip()
    if "rsci_core" in table.columns:
        table["rsci_core"] = table["rsci_core"].map(_flag).astype("boolean")
    table = table.drop_duplicates(["record_id", "region", "rubric"])
    kept = _Kept(table)
    if years is not None:
        _require(kept.table, "year", "a year window")
        kept.drop(kept.table["year"].isna(), "year unknown (a year window is set)")
        kept.drop((kept.table["year"] < years[0]) | (kept.table["year"] > years[1]),
                  f"outside {years[0]}-{years[1]}")
    kept.table = kept.table.assign(_source=_source_of(kept.table))
    if "rsci_core" in sources:
        _require(kept.table, "rsci_core", "the RSCI core filter")
        kept.drop((kept.table["_source"] == "publications") & kept.table["rsci_core"].isna(),
                  "RSCI core membership unknown")
        if "publications" not in sources:
            core = kept.table["rsci_core"].fillna(False).astype(bool)
            kept.drop((kept.table["_source"] == "publications") & ~core, "not in the RSCI core")
    selected = set(sources) | ({"publications"} if "rsci_core" in sources else set())
    kept.drop(~kept.table["_source"].isin(selected), "source not selected")
    _apply_weights(kept, weights)
    table = kept.table[kept.table["rubric"] != ""]
    return _tally(table, counting, country, kept.excluded)


def combine_st(parts: Iterable[StPartial], *, counting: str = "whole", years: tuple[int, int] | None = None,
               sources: Iterable[str] = ("publications",), weights: Weights | None = None,
               country: str | None = None, year: int | None = None) -> StCounts:
    """The values table of all slices together, summed in the order given."""
    cells: dict[tuple[str, str], float] = {}
    totals: dict[str, float] = {}
    country_cells: dict[str, float] = {}
    country_total = 0.0
    rubrics: set[str] = set()
    latest: int | None = None
    excluded: list[tuple[str, str]] = []
    for part in parts:
        for key, v in part.cells.items():
            cells[key] = cells.get(key, 0.0) + v
        for key, v in part.totals.items():
            totals[key] = totals.get(key, 0.0) + v
        for key, v in part.country_cells.items():
            country_cells[key] = country_cells.get(key, 0.0) + v
        country_total += part.country_total
        rubrics |= part.rubrics
        if part.latest_year is not None:
            latest = part.latest_year if latest is None else max(latest, part.latest_year)
        excluded += part.excluded
    label = year if year is not None else (years[1] if years else (latest or 0))
    rubric_list = sorted(rubrics)
    out = [("st", label, rubric, region, float(v)) for (region, rubric), v in sorted(cells.items())]
    regions = sorted(totals)
    out += [("st", label, rubric, region, 0.0) for region in regions for rubric in rubric_list
            if (region, rubric) not in cells]
    out += [("st", label, TOTAL, region, float(totals[region])) for region in regions]
    if country is not None:
        out += [("st", label, rubric, country, float(country_cells.get(rubric, 0.0))) for rubric in rubric_list]
        out.append(("st", label, TOTAL, country, float(country_total)))
    frame = pd.DataFrame(out, columns=["level", "year", "category", "region", "value"])
    order = {r: i for i, r in enumerate(rubric_list + [TOTAL])}
    frame["_o"] = frame["category"].map(order)
    values = frame.sort_values(["region", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)
    settings = {"counting": counting, "years": years, "sources": list(sources), "weights": weights or Weights(),
                "country": country, "year": label}
    return StCounts(values, pd.DataFrame(excluded, columns=["record_id", "reason"]), settings)


class _Kept:
    """The rows still in play, and the records left out so far with their reasons."""

    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.excluded: list[tuple[str, str]] = []

    def drop(self, mask: pd.Series, reason: str) -> None:
        bad = list(dict.fromkeys(self.table.loc[mask, "record_id"]))
        self.excluded.extend((record_id, reason) for record_id in bad)
        self.table = self.table[~self.table["record_id"].isin(bad)]


def _flag(value: object) -> bool | None:
    """True/False from a bool, 0/1 or yes/no text; None when unknown (empty, NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().lower()
    if text in ("1", "1.0", "true", "yes", "y", "t"):
        return True
    if text in ("0", "0.0", "false", "no", "n", "f"):
        return False
    if not text:
        return None
    raise ValueError(f"rsci_core value {value!r} is not a yes/no flag")


def _require(table: pd.DataFrame, column: str, option: str) -> None:
    if column not in table.columns:
        raise ValueError(f"{option} needs a {column!r} column in the records table")


def _source_of(table: pd.DataFrame) -> pd.Series:
    if "kind" not in table.columns:
        return pd.Series("publications", index=table.index)
    kinds = table["kind"].fillna("").astype(str).str.strip()
    return kinds.map(lambda k: _KIND_SOURCE.get(k, "publications"))


def _apply_weights(kept: _Kept, weights: Weights) -> None:
    table = kept.table
    if weights.quartile is not None:
        _require(table, "quartile", "quartile weighting")
        if weights.quartile_missing is None:
            known = table["quartile"].map(lambda q: not pd.isna(q) and int(q) in weights.quartile)
            kept.drop(~known, "venue quartile unknown (quartile weighting, no factor for a missing one)")
    if weights.citations is not None:
        _require(kept.table, "citations", "citation weighting")
        kept.drop(kept.table["citations"].isna(), "citation count unknown (citation weighting)")
    if weights.scope is not None:
        _require(kept.table, "coauthor_scope", "co-author scope weighting")
        kept.drop(~kept.table["coauthor_scope"].isin(list(weights.scope)),
                  "co-author scope unknown or not weighted")
    table = kept.table
    weight = pd.Series(1.0, index=table.index)
    if weights.core != 1.0:
        _require(table, "rsci_core", "core weighting")
        core = table["rsci_core"].fillna(False).astype(bool) & (table["_source"] == "publications")
        weight[core] *= weights.core
    if weights.quartile is not None:
        weight *= table["quartile"].map(
            lambda q: weights.quartile_missing if pd.isna(q) or int(q) not in weights.quartile
            else weights.quartile[int(q)])
    if weights.citations is not None:
        cites = table["citations"].astype(float)
        weight *= cites.map(math.log1p) + 1 if weights.citations == "log1p" else cites + 1
    if weights.scope is not None:
        weight *= table["coauthor_scope"].map(weights.scope)
    if weights.source is not None:
        weight *= table["_source"].map(lambda s: weights.source.get(s, 1.0))
    kept.table = table.assign(_weight=weight)


def _tally(table: pd.DataFrame, counting: str, country: str | None, excluded: list) -> StPartial:
    n_rubrics = table.groupby("record_id")["rubric"].transform("nunique")
    n_regions = table.groupby("record_id")["region"].transform("nunique")
    if counting == "whole":
        table = table.assign(_share=1.0, _rubric_share=1.0)
    else:
        share = table["region_share"].astype(float) if "region_share" in table.columns else 1.0 / n_regions
        if "region_share" in table.columns:
            share = share.fillna(1.0 / n_regions)
        table = table.assign(_share=share, _rubric_share=1.0 / n_rubrics)
    placed = table[table["region"] != ""]
    cells = placed.assign(_v=placed["_weight"] * placed["_share"] * placed["_rubric_share"])
    rows = cells.groupby(["region", "rubric"], sort=True)["_v"].sum()
    per_region = placed.drop_duplicates(["record_id", "region"])
    totals = (per_region["_weight"] * per_region["_share"]).groupby(per_region["region"]).sum()
    country_cells: dict[str, float] = {}
    country_total = 0.0
    if country is not None:
        country_cells, country_total = _country_sums(placed, counting, country)
    latest = int(table["year"].max()) if "year" in table.columns and table["year"].notna().any() else None
    return StPartial({k: float(v) for k, v in rows.items()}, {k: float(v) for k, v in totals.items()},
                     set(table["rubric"]), country_cells, country_total, latest, excluded)


def _country_sums(placed: pd.DataFrame, counting: str, country: str) -> tuple[dict[str, float], float]:
    inside = placed[placed["region"].str.startswith(country + "-")]
    if counting == "whole":
        per_rubric = inside.drop_duplicates(["record_id", "rubric"])
        values = per_rubric.groupby("rubric")["_weight"].sum()
        per_record = inside.drop_duplicates("record_id")
        total = float(per_record["_weight"].sum())
    else:
        v = inside["_weight"] * inside["_share"] * inside["_rubric_share"]
        values = v.groupby(inside["rubric"]).sum()
        per_region = inside.drop_duplicates(["record_id", "region"])
        total = float((per_region["_weight"] * per_region["_share"]).sum())
    return {k: float(x) for k, x in values.items()}, total
