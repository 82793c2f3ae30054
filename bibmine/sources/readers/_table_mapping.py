"""Column-mapping files for the generic CSV/XLSX reader (:mod:`.generic_table`).

A mapping is a TOML file; ``table_mapping.example.toml`` beside this module documents
every key with comments.  In short::

    [table]                  # how to read the file (all optional)
    delimiter = ";"          # CSV; default: guessed from the header line
    encoding = "cp1251"      # CSV; default: detected from the bytes
    sheet = "Лист1"          # XLSX; default: the first sheet
    header_row = 1           # line/row with the column names
    source = "elibrary"      # Record.source (default "table")
    rubric_source = "foreign"  # RubricAssignment.source for rubric columns
    rubric_annotator = "elibrary"
    citations_source = "elibrary"  # CitationCount.source for the `citations` column

    [columns]                # record field = "column header in the file"
    title = "Название"
    authors = "Авторы"
    grnti = "ГРНТИ"

    [separators]             # multi-valued cells; default ";" for every list field
    authors = ";"

    [kinds]                  # cell of the `kind` column -> Kind value
    "Статья в журнале" = "article"

    [rubrics]                # more rubric columns: scheme = "column header"
    oecd = "Код OECD"

    [defaults]               # values for fields the file does not have
    kind = "article"
    language = "ru"

Where the registry finds a mapping for ``export.csv`` (first hit wins): ``export.csv.mapping.toml``,
``export.mapping.toml``, then a ``[table_mapping]`` table (same keys as above, plus an
optional ``files = ["*.csv"]`` list of name patterns) in ``bibmine.toml`` in the same folder.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bibmine.record import Kind

# Record fields a column can fill; list fields are split with [separators]
_FIELD_NAMES = (
    "title title_en title_ru abstract abstract_en abstract_ru authors affiliations year date doi journal "
    "journal_abbreviation issn isbn publisher volume issue pages first_page last_page keywords indexed_keywords "
    "kind language url elibrary_id wos_id scopus_id pmid openalex_id grnti citations funding rsci_core"
)
FIELDS = frozenset(_FIELD_NAMES.split())
_TABLE_KEYS = "delimiter encoding sheet header_row source rubric_source rubric_annotator citations_source max_row_lines"
TABLE_KEYS = frozenset(_TABLE_KEYS.split())
RUBRIC_SOURCES = frozenset(("manual", "automatic", "foreign"))
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class TableMapping:
    path: Path
    columns: dict[str, str]
    separators: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    rubrics: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    table: dict[str, object] = field(default_factory=dict)

    def separator(self, name: str) -> str:
        return self.separators.get(name, ";")

    @property
    def source(self) -> str:
        return str(self.table.get("source", "table"))

    @property
    def header_row(self) -> int:
        return int(self.table.get("header_row", 1))  # type: ignore[call-overload]


def load_mapping(path: Path) -> TableMapping:
    """Read and check a mapping file (or the ``[table_mapping]`` of a ``bibmine.toml``)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: cannot read mapping: {exc}") from exc
    if path.name == "bibmine.toml":
        data = data.get("table_mapping")
        if not isinstance(data, dict):
            raise MappingError(f"{path}: no [table_mapping] table")
    return _check(path, data)


def _check(path: Path, data: dict) -> TableMapping:
    def table(name: str) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict) or not all(isinstance(v, str | int | bool) for v in value.values()):
            raise MappingError(f"{path}: [{name}] must be a table of plain values")
        return value

    stray = sorted(set(data) - {"table", "columns", "separators", "kinds", "rubrics", "defaults", "files"})
    if stray:
        raise MappingError(f"{path}: unknown table(s) {', '.join(stray)}; see table_mapping.example.toml")
    columns = table("columns")
    if not columns:
        raise MappingError(f"{path}: [columns] is empty; map at least a title or DOI column")
    unknown = sorted(set(columns) - FIELDS)
    if unknown:
        raise MappingError(
            f"{path}: unknown field(s) in [columns]: {', '.join(unknown)}; known: {', '.join(sorted(FIELDS))}"
        )
    if not ({"title", "title_en", "title_ru", "doi"} & set(columns)):
        raise MappingError(f"{path}: [columns] maps no title (title/title_en/title_ru) or doi column")
    settings = table("table")
    if bad := sorted(set(settings) - TABLE_KEYS):
        raise MappingError(f"{path}: unknown key(s) in [table]: {', '.join(bad)}")
    if settings.get("rubric_source", "manual") not in RUBRIC_SOURCES:
        raise MappingError(f"{path}: [table] rubric_source must be one of {sorted(RUBRIC_SOURCES)}")
    kinds = {str(k).strip().lower(): str(v) for k, v in table("kinds").items()}
    for label, value in kinds.items():
        if value not in Kind._value2member_map_:
            raise MappingError(
                f"{path}: [kinds] {label!r} = {value!r} is not a bibmine kind; "
                f"kinds: {', '.join(k.value for k in Kind)}"
            )
    defaults = {k: str(v) for k, v in table("defaults").items()}
    if "kind" in defaults and defaults["kind"] not in Kind._value2member_map_:
        raise MappingError(f"{path}: [defaults] kind = {defaults['kind']!r} is not a bibmine kind")
    return TableMapping(
        path=path,
        columns={k: str(v) for k, v in columns.items()},
        separators={k: str(v) for k, v in table("separators").items()},
        kinds=kinds,
        rubrics={k: str(v) for k, v in table("rubrics").items()},
        defaults=defaults,
        table=settings,
    )


def find_mapping(path: Path) -> Path | None:
    """The mapping file that applies to ``path``, or None (see the module docstring)."""
    for candidate in (path.with_name(path.name + ".mapping.toml"), path.with_name(path.stem + ".mapping.toml")):
        if candidate.is_file():
            return candidate
    project = path.with_name("bibmine.toml")
    if project.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        try:
            with open(project, "rb") as fh:
                section = tomllib.load(fh).get("table_mapping")
        except (OSError, tomllib.TOMLDecodeError):
            return None  # an unreadable project file names no mapping; the format stays unknown
        if isinstance(section, dict):
            patterns = section.get("files") or ["*"]
            if any(fnmatch.fnmatch(path.name, str(p)) for p in patterns):
                return project
    return None
