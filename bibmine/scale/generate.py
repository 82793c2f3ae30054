"""An INVENTED corpus of any size, for the equality tests and ``scripts/bench_scale.py``.

Records are made from the shipped vocabularies, deterministically from a seed: titles and
abstracts from GRNTI level-3 rubric names (Russian, with an English title on a share of them),
one to three affiliations from the gazetteer's organizations with their city, authors linked to
affiliations, years 2017-2023, a share of manual GRNTI labels, and a few patents and records
without affiliations.  Nothing here is real; the records only look like what the stages meet.

>>> recs = list(generate_records(3, seed=1))
>>> [r.kind.value for r in recs], all(r.affiliations for r in recs)
(['article', 'patent', 'article'], True)
>>> recs[0].id == list(generate_records(1, seed=1))[0].id
True
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from functools import cache
from importlib import resources

from bibmine.corpus.model import Affiliation, Author, Identifiers, Kind, Record, RubricAssignment, Text, Venue
from bibmine.rubrics.vocabulary import load_vocabulary

SURNAMES = ("Иванов", "Петрова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Козлова", "Новиков",
            "Морозова", "Волков", "Алексеева", "Зайцев", "Павлова", "Семенов", "Голубева")
INITIALS = "АБВГДЕИКЛМНОПРСТ"
OPENINGS = ("Исследование", "Разработка методов", "Моделирование", "Анализ", "Оценка", "Совершенствование")
LINKS = ("В работе рассмотрены", "Предложены подходы к", "Получены результаты по", "Обсуждаются вопросы")


@cache
def _organizations() -> list[tuple[str, str]]:
    with resources.files("bibmine.regions").joinpath("data/organizations.csv").open(encoding="utf-8") as fh:
        return [(row["name_ru"], row["city"]) for row in csv.DictReader(fh) if row["city"]]


@cache
def _rubric_names() -> tuple[list[str], dict[str, list[str]]]:
    voc = load_vocabulary()
    by_parent: dict[str, list[str]] = {}
    codes = voc.codes(level=3)
    for code in codes:
        by_parent.setdefault(code[:2], []).append(voc[code].name_ru)
    return codes, by_parent


def generate_record(i: int, rng: random.Random) -> Record:
    """The ``i``-th invented record, drawn from ``rng``."""
    voc = load_vocabulary()
    codes, by_parent = _rubric_names()
    code = rng.choice(codes)
    section = code[:2]
    names = by_parent[section]
    title = f"{rng.choice(OPENINGS)}: {voc[code].name_ru.lower()}"
    sentences = [f"{rng.choice(LINKS)} {rng.choice(names).lower()}." for _ in range(rng.randint(3, 8))]
    titles = [Text(title, "ru")]
    if rng.random() < 0.3 and voc.name(section, "en"):
        titles.append(Text(f"Study of {voc.name(section, 'en').lower()}: case {i}", "en"))
    orgs = _organizations()
    affs = []
    if rng.random() >= 0.03:  # a few records have no affiliation at all
        for org, city in rng.sample(orgs, rng.randint(1, 3)):
            affs.append(Affiliation(f"{org}, г. {city}, Россия"))
    authors = []
    for _ in range(rng.randint(1, 5)):
        name = f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}.{rng.choice(INITIALS)}."
        links = sorted(rng.sample(range(len(affs)), rng.randint(1, len(affs)))) if affs else []
        authors.append(Author(name, affiliations=links))
    rubrics = []
    if rng.random() < 0.1:
        rubrics.append(RubricAssignment("grnti", code[:5], "manual", "invented-analyst"))
    kind = Kind.PATENT if rng.random() < 0.05 else Kind.ARTICLE
    return Record(
        kind=kind, id=f"gen{i:09d}", titles=titles, abstracts=[Text(" ".join(sentences), "ru")], language="ru",
        year=rng.randint(2017, 2023), venue=Venue(name=f"Вестник {voc.name(section)}".strip()),
        ids=Identifiers(doi=f"10.99999/gen.{i}"), authors=authors, affiliations=affs, rubrics=rubrics,
        source="invented",
    )


def generate_records(n: int, seed: int = 0) -> Iterator[Record]:
    """``n`` invented records; the same ``seed`` gives the same records."""
    rng = random.Random(seed)
    for i in range(n):
        yield generate_record(i, rng)
