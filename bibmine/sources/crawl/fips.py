"""FIPS open registers (www1.fips.ru): state registrations of software ("EVM") and of
databases ("DB"), one HTML document page per registration number.

The registers have no open search, so a crawl walks a list of registration numbers
(``--numbers FILE``) or a range (``--range 2021610001-2021610100``), one page per
step, slowly (one page per 5 s by default) and with robots.txt honoured.  A page is
read by its INID codes: (11) registration number, (21)/(22) application number and
date, (54) title, (72) authors, (73) right holders, (57) abstract, plus the dates and the
address for correspondence when printed.  Numbers without a document are quarantined;
a captcha or block page stops the crawl with a resumable job.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from bs4 import BeautifulSoup

from bibmine.record import Affiliation, Identifiers, Kind, PatentNumber, Record, Text, guess_lang
from bibmine.sources.crawl.config import SourceConfig
from bibmine.sources.crawl.elibrary_parse import block_reason
from bibmine.sources.crawl.engine import Page, Reject
from bibmine.sources.http import BadBodyError, BlockedError, PoliteClient, describe, redact
from bibmine.sources.patent_map import applicant_affiliation, inventor

REGISTERS = {"evm": ("EVM", Kind.SOFTWARE), "db": ("DB", Kind.DATABASE)}
_INID = re.compile(r"\((\d\d)\)")
_PARTY = re.compile(r"\s*(.+?)\s*\(([A-Z]{2})\)\s*(?:[,;]|$)")
_NOT_FOUND = ("документ с данным номером отсутствует", "документ не найден", "нет документа")
_BLOCKS = ["p", "div", "tr", "li", "br", "h1", "h2", "h3", "table"]
_DATE_LABELS = {"Дата регистрации": "registration_date", "Дата публикации": "publication_date",
                "Дата поступления": "filing_date"}


def parties(value: str) -> list[tuple[str, str | None]]:
    """``А (RU), Б (RU)`` -> [("А", "RU"), ("Б", "RU")]; names without a country stay whole.

    >>> parties('ООО "Ромашка, и К" (RU), Иванов Иван Иванович (RU)')
    [('ООО "Ромашка, и К"', 'RU'), ('Иванов Иван Иванович', 'RU')]
    """
    found = [(m.group(1).strip(" ,;"), m.group(2)) for m in _PARTY.finditer(value)]
    if found:
        return found
    return [(v.strip(), None) for v in re.split(r"\s*;\s*", value) if v.strip()]


def _fields(text: str) -> dict[str, str]:
    """INID code -> value (the text after the label's colon up to the next code)."""
    out: dict[str, str] = {}
    marks = list(_INID.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        chunk = text[m.end():end]
        if not chunk.strip() and i + 1 < len(marks):
            continue  # "(21)(22)": both codes share the next value
        line = chunk.strip().split("\n", 1)[0]  # a value ends with its paragraph
        _, colon, value = line.partition(":")
        value = " ".join((value if colon else line).split())
        out.setdefault(m.group(1), value)
        j = i - 1
        while j >= 0 and not text[marks[j].end():marks[j + 1].start()].strip():
            out.setdefault(marks[j].group(1), value)
            j -= 1
    return out


def parse_document(html: str, register: str, number: str) -> Record | None:
    """A record from a register document page; None when the number has no document."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):
        tag.insert_after("\n")  # one line per paragraph; inline tags (<b>) join their text
    text = soup.get_text("").replace("\xa0", " ")
    low = text.casefold()
    if any(m in low for m in _NOT_FOUND):
        return None
    fields = _fields(text)
    if "54" not in fields and "11" not in fields:
        raise ValueError("not a register document page (no INID (54) title nor (11) number)")
    code, kind = REGISTERS[register]
    reg_number = re.sub(r"\D", "", fields.get("11", "")) or number
    rec = Record(kind=kind, source=f"fips_{register}",
                 ids=Identifiers(patent=PatentNumber(office="RU", number=reg_number)))
    rec.extra["register"] = code
    title = fields.get("54", "")
    title = re.sub(r"^Название (?:программы для ЭВМ|базы данных)\s*:?\s*", "", title).strip()
    if title:
        rec.titles = [Text(title, guess_lang(title))]
    abstract = fields.get("57")
    if abstract:
        rec.abstracts = [Text(abstract, guess_lang(abstract))]
    if fields.get("21"):
        rec.extra["application_number"] = fields["21"].split(",")[0].strip()
    for label, key in _DATE_LABELS.items():
        m = re.search(rf"{label}[^:\n]*:\s*(\d\d\.\d\d\.\d{{4}})", text)
        if m:
            day, month, year = m.group(1).split(".")
            rec.extra[key] = f"{year}-{month}-{day}"
    date = rec.extra.get("registration_date") or rec.extra.get("publication_date")
    rec.date = date
    rec.year = int(date[:4]) if date and date[:4].isdigit() else None
    for name, _country in parties(fields.get("72", "")):
        rec.authors.append(inventor(name))
    for name, country in parties(fields.get("73", "")):
        rec.affiliations.append(applicant_affiliation(name, country))
    m = re.search(r"Адрес для переписки\s*:\s*([^\n]+)", text)
    if m:
        rec.affiliations.append(Affiliation(raw=" ".join(m.group(1).split()), country="RU"))
        rec.extra["address_kind"] = "correspondence"
    return rec


def read_numbers(path: Path | None, span: str | None) -> list[str]:
    """Registration numbers from a file (one per line) or a range ``A-B`` (inclusive, at most 100,000)."""
    if span:
        a, _, b = span.partition("-")
        if not (a.strip().isdigit() and b.strip().isdigit()) or int(b) < int(a):
            raise ValueError(f"--range must look like 2021610001-2021610100, got {span!r}")
        if int(b) - int(a) >= 100_000:
            raise ValueError("--range spans more than 100,000 numbers; split it")
        return [str(n) for n in range(int(a), int(b) + 1)]
    assert path is not None
    return [line.split()[0] for line in Path(path).read_text("utf-8-sig").splitlines()
            if line.strip() and not line.startswith("#")]


class FipsRegisterCrawler:
    source = "fips"

    def __init__(self, client: PoliteClient, config: SourceConfig, *, register: str,
                 numbers_file: Path | None = None, span: str | None = None):
        if register not in REGISTERS:
            raise ValueError(f"--register must be one of {', '.join(REGISTERS)}")
        if not (numbers_file or span):
            raise ValueError("give --numbers FILE or --range A-B for the FIPS registers")
        self.client = client
        self.config = config
        self.base = config.base_url.rstrip("/")
        self.register = register
        self.numbers_file, self.span = numbers_file, span
        self.numbers = read_numbers(numbers_file, span)
        if config.delay_s > 0:
            host = urlsplit(self.base).netloc
            client.config.rates[host] = min(client.config.rates.get(host, 1e9), 1.0 / config.delay_s)

    def params(self) -> dict[str, Any]:
        digest = hashlib.sha256(Path(self.numbers_file).read_bytes()).hexdigest()[:16] if self.numbers_file else None
        return {"register": self.register, "range": self.span,
                "numbers": str(self.numbers_file) if self.numbers_file else None, "numbers_sha256": digest,
                "base_url": self.base}

    def start(self) -> dict[str, Any]:
        return {"index": 0}

    def _request(self, number: str) -> tuple[str, dict[str, Any]]:
        return f"{self.base}/fips_servl/fips_servlet", {"DB": REGISTERS[self.register][0], "DocNumber": number,
                                                        "TypeFile": "html"}

    def plan(self) -> list[str]:
        url, params = self._request(self.numbers[0] if self.numbers else "N")
        return [describe("GET", url, params), f"# one page per number: {len(self.numbers)} requests"]

    def fetch(self, cursor: dict[str, Any]) -> Page:
        i = cursor["index"]
        if i >= len(self.numbers):
            return Page(cursor={"index": i}, done=True)
        number = self.numbers[i]
        url, params = self._request(number)
        shown = redact(url, params)

        def check(response: requests.Response, text: str) -> None:
            if not text.strip():
                raise BadBodyError("empty page")
            marker = block_reason(text, "fips")
            if marker:
                raise BlockedError(f"FIPS answered {shown} with a captcha or block page (it says {marker!r})")

        html = self.client.get_text(url, params, robots=True, check=check)
        assert html is not None
        records, rejects = [], []
        try:
            rec = parse_document(html, self.register, number)
        except ValueError as exc:
            rejects.append(Reject(f"number {number}", str(exc), html))
        else:
            if rec is None:
                rejects.append(Reject(f"number {number}", "no document with this registration number", None))
            else:
                rec.raw = html
                records.append(rec)
        done = i + 1 >= len(self.numbers)
        return Page(cursor={"index": i + 1}, records=records, rejects=rejects, done=done, total=len(self.numbers),
                    url=shown, note=f"{REGISTERS[self.register][0]} {number}")
