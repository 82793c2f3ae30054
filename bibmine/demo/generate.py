"""The demo corpus: a few thousand INVENTED works that look like a regional study's, as OpenAlex JSON Lines.

``python -m bibmine.demo.generate`` rewrites ``bibmine/demo/data/cbe_generated.jsonl`` and
``labels_generated.csv`` (deterministic: the same seed gives the same bytes). Nothing here is real
except the organizations and cities (bibmine's gazetteer) and the GRNTI rubric names:

- regions (``data/regions.csv``): the five Central Black Earth subjects carry most works, a few other
  subjects the rest; each subject leans to its own rubrics, so that S&T ratios differ between regions;
- one to six authors (surnames, initials and title openings of :mod:`bibmine.scale.generate`), one to
  three organizations, a share of co-authors from another subject or from abroad (invented institutes
  in real foreign cities of the gazetteer);
- titles, abstracts and author keywords in Russian (about two thirds) or English, keywords from
  ``data/keywords.csv`` (invented for the demo; ``trend`` +1 words grow over the years, -1 fade);
- years 2015-2024 with growth; venues per rubric with a Bradford-like spread; citations drawn from a
  skewed distribution that falls with recency; references to other generated works;
- ``labels_generated.csv``: manual GRNTI labels (level 2) of every eighth work by two invented
  analysts, so that the demo shows the agreement of manual and automatic rubrics.
"""

from __future__ import annotations

import csv
import json
import random
from functools import cache
from importlib import resources
from pathlib import Path

from bibmine.scale.generate import INITIALS, LINKS, OPENINGS, SURNAMES

DATA = Path(str(resources.files("bibmine.demo") / "data"))
YEARS = list(range(2015, 2025))
CROSS = ("20", "50", "06", "87")  # rubrics whose keywords also appear in works of other rubrics
FOREIGN_INSTITUTES = ("Institute of Applied Research", "Centre for Materials Science", "Faculty of Agriculture",
                      "Department of Computer Science", "Medical Research Institute")
SURNAMES_EN = ("Ivanov", "Petrova", "Smirnov", "Kuznetsova", "Popov", "Sokolova", "Lebedev", "Kozlova", "Novikov",
               "Morozova", "Volkov", "Alekseeva", "Zaitsev", "Pavlova", "Semenov", "Golubeva")
INITIALS_EN = "ABVGDEIKLMNOPRST"
OPENINGS_EN = ("A study of", "Methods for", "Modelling of", "An analysis of", "Assessment of", "Improving")
LINKS_EN = ("The paper considers", "Approaches are proposed to", "Results are obtained on", "We discuss")


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def _organizations() -> dict[str, list[dict[str, str]]]:
    with resources.files("bibmine.regions").joinpath("data/organizations.csv").open(encoding="utf-8") as fh:
        out: dict[str, list[dict[str, str]]] = {}
        for row in csv.DictReader(fh):
            if row["city"] and row["subject"]:
                out.setdefault(row["subject"], []).append(row)
        return out


@cache
def _foreign() -> list[tuple[str, str]]:
    import pycountry

    with resources.files("bibmine.regions").joinpath("data/foreign_cities.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        country = pycountry.countries.get(alpha_2=r["alpha2"])
        if country is not None:
            out.append((r["name"], country.name))
    return out


@cache
def _level3() -> dict[str, list[str]]:
    from bibmine.rubrics.vocabulary import load_vocabulary

    voc = load_vocabulary()
    out: dict[str, list[str]] = {}
    for code in voc.codes(level=3):
        out.setdefault(code[:2], []).append(code)
    return out


def _name(rng: random.Random, lang: str) -> str:
    if lang == "ru":
        return f"{rng.choice(INITIALS)}. {rng.choice(INITIALS)}. {rng.choice(SURNAMES)}"
    return f"{rng.choice(INITIALS_EN)}. {rng.choice(INITIALS_EN)}. {rng.choice(SURNAMES_EN)}"


def _keywords(rng: random.Random, rubric: str, year: int, lang: str, vocab: list[dict[str, str]]) -> list[str]:
    pool = [k for k in vocab if k["rubric"] == rubric]
    weights = []
    for k in pool:
        trend = int(k["trend"])
        t = (year - YEARS[0]) / (YEARS[-1] - YEARS[0])
        weights.append(max(0.05, 1 + 1.6 * trend * (t - 0.5)))
    n = min(len(pool), rng.randint(2, 4))
    chosen: list[str] = []
    while len(chosen) < n:
        k = rng.choices(pool, weights)[0][lang]
        if k not in chosen:
            chosen.append(k)
    return chosen


def generate_works(n: int = 3000, seed: int = 22) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """``n`` OpenAlex-like work dicts and the manual labels ``(doi, rubric, annotator)``."""
    from bibmine.rubrics.vocabulary import load_vocabulary

    rng = random.Random(seed)
    voc = load_vocabulary()
    regions = [r for r in _csv("regions.csv") if r["subject"] in _organizations()]
    vocab = _csv("keywords.csv")
    rubric_pool = sorted({k["rubric"] for k in vocab})
    year_weights = [1 + 0.12 * i for i in range(len(YEARS))]
    works, labels = [], []
    for i in range(n):
        region = rng.choices(regions, [float(r["weight"]) for r in regions])[0]
        own = region["rubrics"].split()
        rubric = rng.choice(own) if rng.random() < 0.7 else rng.choice(rubric_pool)
        year = rng.choices(YEARS, year_weights)[0]
        lang = "ru" if rng.random() < 0.65 else "en"
        code = rng.choice(_level3()[rubric])
        topic = voc.name(code, lang) or voc.name(code, "ru") or ""
        opening = rng.choice(OPENINGS if lang == "ru" else OPENINGS_EN)
        title = f"{opening} {topic.lower()}" if lang == "en" else f"{opening}: {topic.lower()}"
        sibling = rng.choice(_level3()[rubric])
        sentences = [f"{rng.choice(LINKS if lang == 'ru' else LINKS_EN)} "
                     f"{(voc.name(sibling, lang) or topic).lower()}." for _ in range(rng.randint(2, 4))]
        keywords = _keywords(rng, rubric, year, lang, vocab)
        if rng.random() < 0.35:  # a cross-cutting theme links the topics (digital, economy, environment)
            extra = _keywords(rng, rng.choice(CROSS), year, lang, vocab)[0]
            keywords += [extra] if extra not in keywords else []
        authorships = []
        home = rng.choice(_organizations()[region["subject"]])
        sites: list[tuple[str, str]] = [(home[f"name_{'ru' if lang == 'ru' else 'en'}"] or home["name_ru"],
                                         home["city"] + (", Россия" if lang == "ru" else ", Russia"))]
        roll = rng.random()
        if roll < 0.18:  # another subject
            other = rng.choice([r for r in regions if r["subject"] != region["subject"]])
            org = rng.choice(_organizations()[other["subject"]])
            sites.append((org["name_ru"] if lang == "ru" else org["name_en"] or org["name_ru"],
                          org["city"] + (", Россия" if lang == "ru" else ", Russia")))
        elif roll < 0.26:  # abroad
            city, country = rng.choice(_foreign())
            sites.append((rng.choice(FOREIGN_INSTITUTES), f"{city}, {country}"))
        n_authors = rng.choices([1, 2, 3, 4, 5, 6], [18, 30, 24, 14, 8, 6])[0]
        for a in range(n_authors):
            org, place = sites[0] if a == 0 or len(sites) == 1 else sites[a % len(sites)]
            authorships.append({"author_position": "first" if a == 0 else "middle",
                                "author": {"display_name": _name(rng, lang)},
                                "institutions": [{"display_name": org}],
                                "raw_affiliation_strings": [f"{org}, {place}"]})
        venue_rank = min(int(rng.paretovariate(1.1)), 12)
        venue = (f"Вестник: {voc.name(rubric, 'ru').lower()}, серия {venue_rank}" if lang == "ru"
                 else f"Journal of {voc.name(rubric, 'en') or rubric} {venue_rank}")
        age = 2025 - year
        cited = min(int(rng.paretovariate(1.8) * age * 0.7), 40 + 6 * age) if rng.random() < 0.85 else 0
        doi = f"10.5555/bibmine.gen.{i:05d}"
        refs = [f"https://openalex.org/W95{j:08d}" for j in sorted(rng.sample(range(max(i, 1)), min(i, rng.randint(0,
                                                                                                                 6))))]
        words = " ".join(sentences).split()
        index: dict[str, list[int]] = {}
        for pos, w in enumerate(words):
            index.setdefault(w, []).append(pos)
        works.append({
            "id": f"https://openalex.org/W95{i:08d}", "doi": f"https://doi.org/{doi}", "title": title,
            "display_name": title, "publication_year": year, "publication_date": f"{year}-{rng.randint(1, 12):02d}-15",
            "language": lang, "type": "article",
            "primary_location": {"source": {"display_name": venue, "type": "journal"}},
            "authorships": authorships, "keywords": [{"display_name": k} for k in keywords],
            "cited_by_count": cited, "referenced_works": refs, "abstract_inverted_index": index,
            "updated_date": "2025-01-15T00:00:00"})
        if i % 8 == 0:
            labels.append((doi, code[:5], "analyst1"))
            if i % 16 == 0:
                second = code[:5] if rng.random() < 0.8 else rng.choice(_level3()[rng.choice(rubric_pool)])[:5]
                labels.append((doi, second, "analyst2"))
    return works, labels


def write_demo_files(folder: Path = DATA, n: int = 3000, seed: int = 22) -> tuple[Path, Path]:
    works, labels = generate_works(n, seed)
    corpus = Path(folder) / "cbe_generated.jsonl"
    with open(corpus, "w", encoding="utf-8", newline="\n") as fh:
        for w in works:
            fh.write(json.dumps(w, ensure_ascii=False, separators=(",", ":")) + "\n")
    label_path = Path(folder) / "labels_generated.csv"
    with open(label_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["record_id", "rubric", "annotator"])
        w.writerows(labels)
    return corpus, label_path


if __name__ == "__main__":  # pragma: no cover
    for path in write_demo_files():
        print(path)
