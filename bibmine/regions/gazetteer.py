"""The gazetteer: federal subjects, districts, macroregions, cities, organizations.

All of it is read from the CSV files in ``bibmine/regions/data`` (see SOURCES.md
there); a user gazetteer file (same idea, one alias per row) is read after them and
its entries override shipped entries with the same alias.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

SUBJECT_TYPES = ("republic", "krai", "oblast", "federal_city", "autonomous_oblast", "autonomous_okrug")
USER_KINDS = ("city", "organization", "subject", "country", "not_place")


class GazetteerError(ValueError):
    """A shipped gazetteer file is malformed (names the file and the line)."""


@dataclass(frozen=True)
class Subject:
    code: str  # ISO 3166-2 where ISO defines one (iso_defined), else bibmine's own code
    iso_defined: bool
    okato: str
    type: str
    name_ru: str
    name_en: str
    stem_ru: str
    stem_en: str
    federal_district: str
    macroregion: str | None
    capital: str | None
    postal: tuple[tuple[int, int], ...]  # ranges of 3-digit postal-code prefixes
    aliases_ru: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    name_ru: str
    name_en: str
    subject: str
    kind: str
    adj_ru: str | None
    common_word: bool  # also an ordinary word or a surname: needs a marker (г., city) or support
    aliases_ru: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.name_ru, self.subject)


@dataclass(frozen=True)
class Organization:
    id: str
    name_ru: str
    name_en: str
    city: str | None
    subject: str | None
    kind: str
    aliases_ru: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ror: str | None = None
    country: str = "RU"


@dataclass(frozen=True)
class UserEntry:
    kind: str
    alias: str
    subject: str | None
    city: str | None
    organization: str | None
    country: str | None
    line: int


@dataclass(frozen=True)
class Reject:
    """A row of a user gazetteer that could not be used."""

    file: str
    line: int
    reason: str


@dataclass
class Gazetteer:
    subjects: dict[str, Subject]
    districts: dict[str, dict[str, str]]
    macroregions: dict[str, dict[str, str]]
    cities: list[City]
    organizations: list[Organization]
    vocabulary: list[dict[str, str]]
    countries_extra: list[dict[str, str]]
    foreign_cities: list[dict[str, str]]
    traps: list[dict[str, str]]
    user: list[UserEntry] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    def postal_subject(self, code: str) -> str | None:
        """Subject whose postal-code prefixes cover a 6-digit Russian postal code."""
        if len(code) != 6 or not code.isdigit():
            return None
        return self._postal_index().get(int(code[:3]))

    def _postal_index(self) -> dict[int, str]:
        index = getattr(self, "_postal", None)
        if index is None:
            index = {}
            for s in self.subjects.values():
                for lo, hi in s.postal:
                    for p in range(lo, hi + 1):
                        index[p] = s.code
            self._postal = index
        return index

    def macroregion_of(self, subject: str | None) -> str | None:
        s = self.subjects.get(subject) if subject else None
        return s.macroregion if s else None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _read_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise GazetteerError(f"{path}: missing columns {missing}")
        rows = []
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise GazetteerError(f"{path}: line {reader.line_num}: wrong number of fields")
            rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
        return rows


def _postal_ranges(value: str, where: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            out.append((int(lo), int(hi or lo)))
        except ValueError as exc:
            raise GazetteerError(f"{where}: bad postal range {part!r}") from exc
    return tuple(out)


def read_gazetteer(data_dir: Path | None = None, user_file: Path | str | None = None) -> Gazetteer:
    """Read the shipped gazetteer (and a user file, whose entries override shipped ones)."""
    d = Path(data_dir) if data_dir else DATA_DIR
    subjects: dict[str, Subject] = {}
    for line, r in _read_rows(d / "subjects.csv", ("code", "okato", "type", "name_ru", "name_en", "postal")):
        where = f"{d / 'subjects.csv'}: line {line}"
        if r["type"] not in SUBJECT_TYPES:
            raise GazetteerError(f"{where}: unknown subject type {r['type']!r}")
        subjects[r["code"]] = Subject(
            code=r["code"], iso_defined=r["iso_defined"] == "1", okato=r["okato"], type=r["type"],
            name_ru=r["name_ru"], name_en=r["name_en"], stem_ru=r["stem_ru"], stem_en=r["stem_en"],
            federal_district=r["federal_district"], macroregion=r["macroregion"] or None,
            capital=r["capital"] or None, postal=_postal_ranges(r["postal"], where),
            aliases_ru=_split(r["aliases_ru"]), aliases_en=_split(r["aliases_en"]),
        )
    districts = {r["code"]: r for _, r in _read_rows(d / "federal_districts.csv", ("code", "name_ru", "name_en"))}
    macros = {r["code"]: r for _, r in _read_rows(d / "macroregions.csv", ("code", "name_ru", "name_en"))}
    cities = []
    for line, r in _read_rows(d / "cities.csv", ("name_ru", "name_en", "subject", "kind")):
        if r["subject"] not in subjects:
            raise GazetteerError(f"{d / 'cities.csv'}: line {line}: unknown subject {r['subject']!r}")
        cities.append(City(
            name_ru=r["name_ru"], name_en=r["name_en"], subject=r["subject"], kind=r["kind"],
            adj_ru=r["adj_ru"] or None, common_word=r["common_word"] == "1",
            aliases_ru=_split(r["aliases_ru"]), aliases_en=_split(r["aliases_en"]),
        ))
    city_keys = {c.key for c in cities}
    orgs = []
    for line, r in _read_rows(d / "organizations.csv", ("id", "name_ru", "name_en", "city", "subject")):
        if r["subject"] and r["subject"] not in subjects:
            raise GazetteerError(f"{d / 'organizations.csv'}: line {line}: unknown subject {r['subject']!r}")
        if r["city"] and (r["city"], r["subject"]) not in city_keys:
            raise GazetteerError(f"{d / 'organizations.csv'}: line {line}: city {r['city']!r} not in cities.csv")
        orgs.append(Organization(
            id=r["id"], name_ru=r["name_ru"], name_en=r["name_en"], city=r["city"] or None,
            subject=r["subject"] or None, kind=r["kind"], aliases_ru=_split(r["aliases_ru"]),
            aliases_en=_split(r["aliases_en"]), acronyms=_split(r["acronyms"]), ror=r["ror"] or None,
        ))
    gaz = Gazetteer(
        subjects=subjects, districts=districts, macroregions=macros, cities=cities, organizations=orgs,
        vocabulary=[r for _, r in _read_rows(d / "vocabulary.csv", ("token", "kind", "value"))],
        countries_extra=[r for _, r in _read_rows(d / "countries_extra.csv", ("alias", "alpha2"))],
        foreign_cities=[r for _, r in _read_rows(d / "foreign_cities.csv", ("name", "alpha2", "aliases"))],
        traps=[r for _, r in _read_rows(d / "traps.csv", ("phrase", "action", "value"))],
    )
    for s in subjects.values():
        if s.macroregion and s.macroregion not in macros:
            raise GazetteerError(f"subjects.csv: {s.code}: unknown macroregion {s.macroregion!r}")
        if s.federal_district not in districts:
            raise GazetteerError(f"subjects.csv: {s.code}: unknown federal district {s.federal_district!r}")
    if user_file is not None:
        gaz.user, gaz.rejects = read_user_gazetteer(Path(user_file), gaz)
    return gaz


def read_user_gazetteer(path: Path, gaz: Gazetteer) -> tuple[list[UserEntry], list[Reject]]:
    """Rows ``kind,alias,subject,city,organization,country``; bad rows are returned as rejects.

    kind is one of city, organization, subject, country, not_place.  Example::

        kind,alias,subject,city,organization,country
        organization,ВИВТ,RU-VOR,Воронеж,Воронежский институт высоких технологий,
        city,Voronezh-45,RU-VOR,Воронеж,,
        not_place,Palau Reial,,,,
    """
    entries: list[UserEntry] = []
    rejects: list[Reject] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "kind" not in reader.fieldnames or "alias" not in reader.fieldnames:
            return [], [Reject(str(path), 1, "header must name at least the columns kind and alias")]
        for row in reader:
            line = reader.line_num
            get = lambda k, row=row: (row.get(k) or "").strip() or None  # noqa: E731
            kind, alias, subject = get("kind"), get("alias"), get("subject")
            if kind not in USER_KINDS:
                rejects.append(Reject(str(path), line, f"kind {kind!r} is not one of {', '.join(USER_KINDS)}"))
            elif not alias:
                rejects.append(Reject(str(path), line, "empty alias"))
            elif subject and subject not in gaz.subjects:
                rejects.append(Reject(str(path), line, f"unknown subject code {subject!r}"))
            elif kind in ("city", "organization", "subject") and not subject:
                rejects.append(Reject(str(path), line, f"a {kind} entry needs a subject code"))
            elif kind == "country" and not get("country"):
                rejects.append(Reject(str(path), line, "a country entry needs an ISO alpha-2 code"))
            else:
                entries.append(UserEntry(kind, alias, subject, get("city"), get("organization"), get("country"), line))
    return entries, rejects
