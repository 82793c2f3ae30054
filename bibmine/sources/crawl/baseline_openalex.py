"""National S&T baseline from OpenAlex: a reproducible random sample of a country's works per year.

For each year Y of the window (``bibmine baseline openalex --country RU --from Y1 --to Y2 --sample N``):

1. the country's total: ``GET /works?filter=authorships.countries:RU,publication_year:Y&per_page=1``
   -> ``meta.count`` (the number of works with an author affiliated in the country that year);
2. the sample: ``GET /works?filter=...&sample=N&seed=S&per_page=K&page=P`` (K: ``[openalex] per_page``,
   at most 200) for P = 1, 2, ... until N works came or a page is empty. OpenAlex draws the same
   works for the same seed, so the sample is reproducible; it pages a sample with ``page`` (its
   documentation: cursor paging is not supported with ``sample``, and a seed is required beyond
   the first page);
3. each sampled work is mapped like any OpenAlex work (:func:`bibmine.sources.openalex_map.work_to_record`)
   and classified into GRNTI by the same model and the same text as the corpus
   (:func:`bibmine.rubrics.predict.predict_texts`, :func:`bibmine.rubrics.text.record_text`);
4. a rubric's count is the total scaled by its share of the classified sample, ``count = T x k / n``,
   with the 95% Wilson interval ``T x [lo, hi]`` of ``k / n``; the total row is ``T``, exact.

Everything fetched is stored under ``store/openalex-<CC>-n<N>-seed<S>[-<filter hash>]/``: one JSON
file per page (``<Y>/page-0001.json``), the count (``<Y>/count.json``) and the classification per
model (``<Y>/rubrics.<model>.csv``), so a rerun makes no request and classifies nothing, and an
interrupted run resumes at the first missing page. Requests go through the crawlers' polite
transport (:class:`bibmine.sources.http.PoliteClient`: rate limits, retries, Retry-After, bounds,
secrets redacted).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bibmine.sources.crawl._api import SchemaError, require_list
from bibmine.sources.crawl.config import SourceConfig
from bibmine.sources.http import PoliteClient, describe, redact
from bibmine.sources.openalex_map import short_id, work_to_record

MAX_SAMPLE = 10_000  # OpenAlex's largest sample
PER_PAGE = 200  # OpenAlex's largest page
SELECT = ("id,doi,title,display_name,publication_year,language,type,abstract_inverted_index,keywords,"
          "primary_location")
Classifier = Callable[[list[str]], list[list[tuple[str, float]]]]


class OpenAlexSampler:
    """Fetch (or read back from the store) one country's yearly totals and samples."""

    def __init__(self, client: PoliteClient, config: SourceConfig, *, country: str, sample: int, store: Path,
                 seed: int = 42, mailto: str | None = None, types: list[str] | tuple[str, ...] = (),
                 raw_filter: str | None = None):
        if not re.fullmatch(r"[A-Z]{2}", country or ""):
            raise ValueError(f"--country {country!r} is not a country code (two capital letters, e.g. RU)")
        if not 1 <= sample <= MAX_SAMPLE:
            raise ValueError(f"--sample {sample} must be between 1 and {MAX_SAMPLE:,} (OpenAlex's largest sample)")
        self.client, self.config = client, config
        self.per_page = max(1, min(PER_PAGE, config.per_page or PER_PAGE, sample))
        self.base = config.base_url.rstrip("/")
        self.country, self.sample, self.seed = country, sample, seed
        self.mailto, self.types, self.raw_filter = mailto, sorted(types), raw_filter
        extra = ",".join(self.types) + "|" + (raw_filter or "")
        tag = f"-{hashlib.sha256(extra.encode()).hexdigest()[:8]}" if extra != "|" else ""
        self.folder = Path(store) / f"openalex-{country}-n{sample}-seed{seed}{tag}"
        self.n_requests = 0

    def filter(self, year: int) -> str:
        parts = [f"authorships.countries:{self.country}", f"publication_year:{year}"]
        if self.types:
            parts.append("type:" + "|".join(self.types))
        if self.raw_filter:
            parts.append(self.raw_filter)
        return ",".join(parts)

    def _params(self, params: dict) -> dict:
        if self.mailto:
            params["mailto"] = self.mailto
        if self.config.api_key:
            params["api_key"] = self.config.api_key
        return params

    def _count_params(self, year: int) -> dict:
        return self._params({"filter": self.filter(year), "per_page": 1, "select": "id"})

    def _page_params(self, year: int, page: int) -> dict:
        return self._params({"filter": self.filter(year), "sample": self.sample, "seed": self.seed,
                             "per_page": self.per_page, "page": page, "select": SELECT})

    def plan(self, years: list[int]) -> list[str]:
        """The requests of a run (``--dry-run``), secrets redacted."""
        url = f"{self.base}/works"
        lines = []
        for year in years:
            lines.append(describe("GET", url, self._count_params(year)))
            lines.append(describe("GET", url, self._page_params(year, 1)))
        pages = math.ceil(self.sample / self.per_page)
        lines.append(f"# then page=2..{pages} of each sample; stored under {self.folder}")
        return lines

    def _get(self, params: dict) -> dict:
        url = f"{self.base}/works"
        body = self.client.get_json(url, params)
        self.n_requests += 1
        require_list(body, "results", f"GET {redact(url, params)}", "OpenAlex")
        return body

    def total(self, year: int) -> int:
        """The country's number of works in ``year`` (``meta.count``), stored after the first fetch."""
        path = self.folder / str(year) / "count.json"
        if path.is_file():
            return int(json.loads(path.read_text("utf-8"))["count"])
        params = self._count_params(year)
        body = self._get(params)
        count = (body.get("meta") or {}).get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise SchemaError(f"GET {redact(self.base + '/works', params)}: meta.count is {count!r}, not a count; "
                              "the OpenAlex API may have changed", url=self.base)
        _write_json(path, {"year": year, "count": count, "filter": self.filter(year)})
        return count

    def works(self, year: int) -> list[dict]:
        """The year's sample (distinct works, in OpenAlex's order); pages already stored are not fetched."""
        folder = self.folder / str(year)
        per_page = self.per_page
        seen: dict[str, dict] = {}
        page = 1
        while len(seen) < self.sample and (page - 1) * per_page < self.sample:
            path = folder / f"page-{page:04d}.json"
            if path.is_file():
                results = json.loads(path.read_text("utf-8"))["results"]
            else:
                results = self._get(self._page_params(year, page))["results"]
                _write_json(path, {"year": year, "page": page, "results": results})
            if not results:
                break
            for work in results:
                wid = short_id(work.get("id")) if isinstance(work, dict) else None
                if wid and wid not in seen:
                    seen[wid] = work
            page += 1
        return list(seen.values())[:self.sample]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def model_classifier(model: str) -> Classifier:
    """The corpus's classifier: top 3 rubrics per text with the model's own threshold."""
    from bibmine.rubrics.predict import predict_texts

    return lambda texts: predict_texts(model, texts, top_k=3, level=1)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "model"


def sample_rubrics(sampler: OpenAlexSampler, year: int, model: str,
                   classify: Classifier | None = None) -> list[tuple[str, list[str]]]:
    """``(work id, GRNTI codes)`` of each sampled work (no codes: no text to classify), stored per model."""
    from bibmine.rubrics.text import record_text

    path = sampler.folder / str(year) / f"rubrics.{_slug(model)}.csv"
    if path.is_file():
        with open(path, encoding="utf-8", newline="") as fh:
            return [(r["work"], [c for c in r["rubrics"].split(";") if c]) for r in csv.DictReader(fh)]
    works = sampler.works(year)
    texts, ids = [], []
    for work in works:
        try:
            texts.append(record_text(work_to_record(work)))
        except (TypeError, ValueError):
            texts.append("")
        ids.append(short_id(work.get("id")))
    keep = [i for i, t in enumerate(texts) if t]
    ranked = (classify or model_classifier(model))([texts[i] for i in keep]) if keep else []
    codes: dict[int, list[str]] = {i: [c for c, _ in r] for i, r in zip(keep, ranked, strict=True)}
    out = [(str(ids[i]), codes.get(i, [])) for i in range(len(works))]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["work", "rubrics"])
        w.writerows((wid, ";".join(c)) for wid, c in out)
    tmp.replace(path)
    return out


def estimate_year(year: int, total: int, rubrics: list[tuple[str, list[str]]], *, country: str,
                  counting: str = "whole", confidence: float = 0.95) -> list[dict]:
    """Baseline rows of one year: the total, and each rubric scaled from the classified sample.

    >>> rows = estimate_year(2021, 1000, [("W1", ["53"]), ("W2", ["20"]), ("W3", ["53"]), ("W4", [])], country="RU")
    >>> [(r["rubric"], r["value"], r["sample_count"], r["sample_size"]) for r in rows if r["value"]]
    [('20', 333.333, 1.0, 3), ('53', 666.667, 2.0, 3), ('*', 1000.0, nan, 3)]
    """
    from bibmine.specialization.baseline import TOTAL, grnti_codes
    from bibmine.specialization.coefficients import wilson_interval

    if counting not in ("whole", "fractional"):
        raise ValueError(f"counting must be 'whole' or 'fractional', not {counting!r}")
    classified = [codes for _, codes in rubrics if codes]
    n = len(classified)
    hits: dict[str, float] = {}
    for codes in classified:
        for code in dict.fromkeys(codes):
            hits[code] = hits.get(code, 0.0) + (1.0 if counting == "whole" else 1.0 / len(set(codes)))
    rows = []
    if n:
        for code in sorted(grnti_codes() | set(hits)):
            k = hits.get(code, 0.0)
            low, high = wilson_interval(k, n, confidence)
            rows.append({"level": "st", "year": year, "rubric": code, "region": country,
                         "value": round(total * k / n, 3), "ci_low": round(total * low, 3),
                         "ci_high": round(total * high, 3), "sample_size": n, "sample_count": k,
                         "counting": counting, "source": "openalex-sample"})
    rows.append({"level": "st", "year": year, "rubric": TOTAL, "region": country, "value": float(total),
                 "ci_low": math.nan, "ci_high": math.nan, "sample_size": n, "sample_count": math.nan,
                 "counting": counting, "source": "openalex-meta.count"})
    return rows


def openalex_baseline(sampler: OpenAlexSampler, years: list[int], *, model: str = "default",
                      classify: Classifier | None = None, counting: str = "whole", confidence: float = 0.95,
                      progress: Callable[[int, str], None] | None = None):
    """The :class:`~bibmine.specialization.baseline.Baseline` of the years, fetching only what is not stored."""
    from bibmine.specialization.baseline import Baseline

    rows, sizes = [], {}
    for year in years:
        total = sampler.total(year)
        rubrics = sample_rubrics(sampler, year, model, classify)
        year_rows = estimate_year(year, total, rubrics, country=sampler.country, counting=counting,
                                  confidence=confidence)
        sizes[str(year)] = {"total": total, "sampled": len(rubrics), "classified": int(year_rows[-1]["sample_size"])}
        rows += year_rows
        if progress:
            progress(year, f"{year}: {total:,} works, {len(rubrics)} sampled")
    table = pd.DataFrame(rows)
    details = {"sample": sampler.sample, "seed": sampler.seed, "model": model, "counting": counting,
               "filter": sampler.filter(years[0]) if years else None, "sizes": sizes, "store": str(sampler.folder),
               "requests": sampler.n_requests}
    source = f"OpenAlex random sample of {sampler.sample:,} works per year (seed {sampler.seed}), {sampler.base}"
    return Baseline(table, "openalex", source, [], details)
