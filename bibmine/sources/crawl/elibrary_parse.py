"""eLIBRARY.RU pages -> records: item pages, publication lists, and block pages.

Works on live pages and on pages analysts saved by hand (re-saved as UTF-8, CR/LF
mixed).  An item page (``item.asp?id=``) gives the full record: titles, authors
with their full names and affiliations, journal, year, volume/issue/pages, keywords,
abstract, DOI and EDN, the RINC citation count, whether it is in the RINC core
(``Venue.rsci_core``), and the rubrics the page shows: GRNTI as a *manual* rubric
(the assignment analysts compare automatic ones with), OECD/ASJC/VAK as foreign ones.
A list page (``author_items.asp``, ``org_items.asp``, ``query_results.asp``) gives
one short record per row and the item ids to fetch.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from bs4 import BeautifulSoup, Tag

from bibmine.record import (
    Affiliation,
    Author,
    CitationCount,
    Identifiers,
    Kind,
    Record,
    RubricAssignment,
    Text,
    Venue,
    guess_lang,
    normalize_doi,
    normalize_person,
)
from bibmine.sources.readers._fieldnorm import kind_for, language_code, normalize_issn
from bibmine.sources.readers.base import parse_year

_ITEM_ID = re.compile(r"item\.asp\?id=(\d+)")
_ROW_ID = re.compile(r"^(?:arw|brw|a)(\d+)$")
_CODE = re.compile(r"^\s*(\d+(?:\.\d+){1,2})\.?\s*[:\-–]?\s*(.*)$")  # GRNTI 06.61.33, VAK 5.2.3.


@cache
def block_markers(site: str) -> tuple[str, ...]:
    text = (resources.files("bibmine.sources.crawl") / "data" / "block_markers.toml").read_text("utf-8")
    return tuple(m.casefold() for m in tomllib.loads(text).get(site, {}).get("markers", ()))


def block_reason(html: str, site: str = "elibrary") -> str | None:
    """The marker phrase when the page is a captcha/block page, else None."""
    low = html.casefold()
    for marker in block_markers(site):
        if marker in low:
            return marker
    return None


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ", strip=True).replace("\xa0", " ").split()) if node else ""


def page_type(html: str) -> str | None:
    """'item', 'list' or None (neither: a block, maintenance or login page)."""
    if re.search(r"eLIBRARY ID:", html) and "bigtext" in html:
        return "item"
    if 'id="restab"' in html or "id=restab" in html or re.search(r"Всего найдено|ВСЕГО НАЙДЕНО", html):
        return "list"
    return None


# ------------------------------------------------------------------ item pages


def _labelled(root: Tag, label: str) -> str | None:
    """Value printed after ``Label:`` (the next element after the text node)."""
    pattern = re.compile(rf"(?:^|\s){re.escape(label)}\s*:\s*$")
    for node in root.find_all(string=lambda s: s and label in s.replace("\xa0", " ")):
        if pattern.search(node.replace("\xa0", " ")):
            sib = node.find_next_sibling()
            if sib is not None:
                value = _text(sib)
                if value:
                    return value
    return None


def _section(root: Tag, header: str) -> Tag | None:
    """The content cell under a block header such as ``КЛЮЧЕВЫЕ СЛОВА:``."""
    for font in root.find_all("font"):
        if _text(font) == header:
            table = font.find_parent("table")
            rows = table.find_all("tr", recursive=False) if table else []
            if not rows and table is not None:
                body = table.find("tbody")
                rows = body.find_all("tr", recursive=False) if body else []
            if len(rows) > 1:
                cells = rows[1].find_all("td", recursive=False)
                return cells[-1] if cells else None
    return None


def _tooltip(node: Tag) -> BeautifulSoup | None:
    title = node.get("title")
    return _soup(title) if title else None


def parse_item(html: str, url: str | None = None) -> Record:
    """A record from an ``item.asp`` page; ValueError when the page is not one."""
    soup = _soup(html)
    main = soup.find("form", attrs={"name": "results"}) or soup
    text = _text(main)
    m = re.search(r"eLIBRARY ID:\s*(\d+)", text)
    if not m:
        raise ValueError("not an eLIBRARY item page (no 'eLIBRARY ID')")
    eid = m.group(1)
    meta_doi = soup.find("meta", attrs={"name": "doi"})
    doi_m = re.search(r"DOI:\s*(10\.\S+)", text)
    doi = normalize_doi(meta_doi.get("content") if meta_doi else None) or normalize_doi(
        doi_m.group(1) if doi_m else None)
    rec = Record(ids=Identifiers(elibrary=eid, doi=doi), source="elibrary_html", url=url or _item_url(eid))
    edn = re.search(r"EDN:\s*([A-Z]{6})\b", text)
    if edn:
        rec.extra["edn"] = edn.group(1)
    rec.titles = _titles(soup, main)
    _authors(main, rec)
    _details(main, rec)
    rec.author_keywords = [_text(a) for a in (_section(main, "КЛЮЧЕВЫЕ СЛОВА:") or main).find_all(
        "a", href=re.compile(r"keyword_items\.asp"))]
    for div in main.find_all("div", id=re.compile(r"^abstract\d*$")):
        abstract = _text(div)
        if abstract and all(abstract != a.text for a in rec.abstracts):
            rec.abstracts.append(Text(abstract, guess_lang(abstract)))
    _metrics(main, rec)
    _rubrics(main, rec)
    return rec


def _item_url(eid: str) -> str:
    return f"https://www.elibrary.ru/item.asp?id={eid}"


def _titles(soup: BeautifulSoup, main: Tag) -> list[Text]:
    shown = [_text(p) for p in main.find_all("p", class_="bigtext")]
    head = _text(soup.find("title"))
    out: list[Text] = []
    for t in shown:
        if not t:
            continue
        if head and head.casefold() == t.casefold():
            t = head  # the <title> has the real letter case; the page shows capitals
        if all(t != o.text for o in out):
            out.append(Text(t, guess_lang(t)))
    return out


def _author_boxes(cell: Tag) -> list[Tag]:
    """The byline entries: inline blocks holding a bold name (not the "Страницы" block)."""
    return [d for d in cell.find_all("div", style=re.compile(r"inline-block")) if d.find("b")]


def _authors(main: Tag, rec: Record) -> None:
    first = next((d for d in main.find_all("div", style=re.compile(r"inline-block")) if d.find("b")), None)
    cell = first.find_parent("td") if first is not None else None
    if cell is None:
        return
    numbers: dict[str, int] = {}
    for sup in cell.find_all("sup"):
        org = sup.find_parent("font")
        nxt = (org or sup).find_next_sibling()
        if nxt is None or nxt.name != "span" or "help1" not in (nxt.get("class") or []):
            continue
        tip = _tooltip(nxt)
        org_name = _text(tip.find("font")) if tip else None
        city = None
        if tip is not None:
            cm = re.search(r"</font>\s*</b>\s*\(([^)]+)\)", nxt.get("title", ""))
            city = cm.group(1).strip() if cm else None
        raw = _text(nxt) or org_name
        if raw:
            numbers[_text(sup)] = len(rec.affiliations)
            rec.affiliations.append(Affiliation(raw=raw, organization=org_name or None, city=city))
    for box in _author_boxes(cell):
        span = box.find("span", class_="help")
        tip = _tooltip(span) if span else None
        full = _text(tip.find("font")) if tip else ""
        shown = _text(box.find("b"))
        name = full or shown
        if not name:
            continue
        author = Author(name=name, normalized=normalize_person(name))
        link = re.search(r"authorid=(\d+)", span.get("title", "")) if span else None
        if link:
            author.ids = {"elibrary": link.group(1)}
        for sup in box.find_all("sup"):
            for num in re.split(r"[,\s]+", _text(sup)):
                if num in numbers:
                    author.affiliations.append(numbers[num])
        if not author.affiliations and len(rec.affiliations) == 1:
            author.affiliations = [0]
        rec.authors.append(author)


def _details(main: Tag, rec: Record) -> None:
    doc_type = _labelled(main, "Тип")
    if doc_type:
        rec.extra["elibrary_type"] = doc_type
        rec.kind = kind_for("elibrary", doc_type) or kind_for("elibrary", doc_type.split(" - ")[0]) or Kind.OTHER
    lang = _labelled(main, "Язык")
    rec.language = language_code(lang) if lang else None
    year = _labelled(main, "Год") or _labelled(main, "Год издания")
    rec.year = parse_year(year)
    rec.date = str(rec.year) if rec.year else None
    venue = Venue(volume=_labelled(main, "Том"), issue=_labelled(main, "Номер"),
                  pages=_labelled(main, "Страницы") or _labelled(main, "Число страниц"),
                  publisher=_labelled(main, "Издательство"))
    for header in ("ЖУРНАЛ:", "ИСТОЧНИК:", "КНИГА:", "КОНФЕРЕНЦИЯ:"):
        cell = _section(main, header)
        if cell is not None:
            link = cell.find("a")
            venue.name = _text(link) if link else _text(cell).split(" Учредители")[0] or None
            if header == "КОНФЕРЕНЦИЯ:":
                rec.extra["conference"] = venue.name or ""
            break
    issns = [normalize_issn(v) for v in (_labelled(main, "ISSN"), _labelled(main, "eISSN"))]
    venue.issn = [i for i in dict.fromkeys(issns) if i]
    rec.venue = venue


def _metrics(main: Tag, rec: Record) -> None:
    cited = _labelled(main, "Цитирований в РИНЦ")
    if cited and cited.isdigit():
        rec.citations = [CitationCount(int(cited), "elibrary_rinc")]
    core_cited = _labelled(main, "Цитирований из ядра РИНЦ")
    if core_cited and core_cited.isdigit():
        rec.extra["rinc_core_citations"] = core_cited
    core = _labelled(main, "Входит в ядро РИНЦ")
    if core in ("да", "нет"):
        rec.venue.rsci_core = core == "да"
    in_rinc = _labelled(main, "Входит в РИНЦ")
    if in_rinc:
        rec.extra["in_rinc"] = in_rinc


_RUBRIC_SPANS = (("rubric_grnti", "grnti", "manual"), ("rubric_oecd", "oecd", "foreign"),
                 ("rubric_asjc", "asjc", "foreign"), ("rubric_vak", "vak", "foreign"))


def _rubrics(main: Tag, rec: Record) -> None:
    for span_id, scheme, source in _RUBRIC_SPANS:
        span = main.find("span", id=span_id)
        value = _text(span)
        if not value or value.casefold() in ("нет", "-"):
            continue
        for part in re.split(r"\s*;\s*", value):
            m = _CODE.match(part) if scheme in ("grnti", "vak") else None
            code, label = (m.group(1), m.group(2) or None) if m else (part, part)
            rec.rubrics.append(RubricAssignment(scheme=scheme, code=code, source=source, annotator="elibrary",
                                                label=label))


# ------------------------------------------------------------------ list pages


@dataclass
class ListRow:
    elibrary_id: str
    record: Record
    raw: str


@dataclass
class ListPage:
    rows: list[ListRow] = field(default_factory=list)
    total: int | None = None  # publications found in all pages
    shown_to: int | None = None  # last row number on this page
    rejects: list[tuple[str, str, str]] = field(default_factory=list)  # (location, reason, raw)

    def has_next(self, page_size: int) -> bool:
        if self.total is not None and self.shown_to is not None:
            return self.shown_to < self.total
        return len(self.rows) >= page_size


def parse_list(html: str) -> ListPage:
    """Rows of an eLIBRARY publication list (author, organization or search results)."""
    soup = _soup(html)
    page = ListPage()
    text = _text(soup)
    m = re.search(r"(?:Всего найдено|ВСЕГО НАЙДЕНО ПУБЛИКАЦИЙ:)\s*(\d+)", text)
    page.total = int(m.group(1)) if m else None
    m = re.search(r"Показано на данной странице: с (\d+) по (\d+)", text)
    page.shown_to = int(m.group(2)) if m else None
    table = soup.find("table", id="restab")
    if table is None:
        return page
    for n, tr in enumerate(table.find_all("tr", id=_ROW_ID), 1):
        try:
            page.rows.append(_list_row(tr))
        except ValueError as exc:
            page.rejects.append((f"row {n} ({tr.get('id')})", str(exc), str(tr)))
    if page.shown_to is None and page.total is not None and len(page.rows) == page.total:
        page.shown_to = page.total
    return page


def _list_row(tr: Tag) -> ListRow:
    cells = tr.find_all("td", recursive=False)
    if len(cells) < 2:
        raise ValueError("list row without a publication cell")
    cell = cells[1]
    link = cell.find("a", href=_ITEM_ID)
    if link is None:
        raise ValueError("list row without an item.asp link")
    eid = _ITEM_ID.search(link["href"]).group(1)
    title = _text(link)
    if not title:
        raise ValueError(f"list row for item {eid} has no title")
    rec = Record(ids=Identifiers(elibrary=eid), titles=[Text(title, guess_lang(title))],
                 source="elibrary_list", url=_item_url(eid))
    names = _text(cell.find("i"))
    for name in (n.strip() for n in names.split(",")):
        if name:
            rec.authors.append(Author(name=name, normalized=normalize_person(name)))
    venue_text = _text(cell)
    for part in (title, names):
        venue_text = venue_text.replace(part, "", 1)
    venue_text = venue_text.strip(" .")
    rec.extra["elibrary_source_line"] = venue_text
    rec.venue, rec.kind = _list_venue(cell, venue_text)
    ym = re.search(r"(?:^|[\s.])((?:19|20)\d\d)\.(?:\s|$)", venue_text + " ")
    rec.year = int(ym.group(1)) if ym else parse_year(venue_text)
    rec.date = str(rec.year) if rec.year else None
    if len(cells) > 2:
        cited = _text(cells[2])
        if cited.isdigit():
            rec.citations = [CitationCount(int(cited), "elibrary_rinc")]
    return ListRow(eid, rec, str(tr))


def _list_venue(cell: Tag, line: str) -> tuple[Venue, Kind]:
    venue = Venue()
    journal = cell.find("a", href=re.compile(r"contents\.asp\?id=\d+$"))
    vol = re.search(r"Т\.\s*([^.\s]+)", line)
    num = re.search(r"№\s*([^.\s]+)", line)
    pages = re.search(r"С\.\s*([\d\-–]+)", line)
    venue.volume = vol.group(1) if vol else None
    venue.issue = num.group(1) if num else None
    venue.pages = pages.group(1) if pages else None
    book = re.match(r"В (книге|сборнике):\s*(.+?)(?:\.\s+(?:19|20)\d\d\.|$)", line)
    if book:
        venue.name = book.group(2).strip()
        return venue, Kind.CHAPTER
    if journal is not None:
        venue.name = _text(journal)
        return venue, Kind.ARTICLE
    name = re.split(r"\s*\.\s*(?:19|20)\d\d\.", line)[0].strip(" .")
    venue.name = name or None
    return venue, Kind.ARTICLE if (vol or num) else Kind.OTHER
