"""What a reader sees of a report, and the words in it of the other language.

``foreign_words(html, "ru")`` lists the Latin words of the visible text of a Russian report (and
``"en"``: the Cyrillic words of an English one), leaving out what is not the report's own language by
nature: record content shown as the source printed it (elements of class ``v``: titles, keywords,
journal and author names), codes (``<small class="codes">``, ISO 3166 codes such as RU-VOR, GRNTI
codes, file names and other identifiers with a digit, dot, slash, underscore or hyphen), single letters
(h, g, m, C) and the proper names and standard abbreviations of :data:`ALLOW`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOW = {"bibmine", "bibliometrix", "biblioshiny", "vosviewer", "utc", "doi", "iso", "grnti", "web", "of", "science",
         "scopus", "openalex", "elibrary", "crossref", "rsci", "eid", "ut", "orcid", "ror", "json", "csv", "xlsx",
         "html", "png", "sha", "python", "r²", "okved", "feacn", "nace", "hs", "lens", "fips", "rospatent", "leiden",
         "louvain", "tf", "idf", "use", "minilm", "sentence", "transformers", "torch", "pandas", "numpy", "scipy",
         "scikit", "learn", "msgspec", "rapidfuzz", "networkx", "igraph", "leidenalg", "matplotlib", "openpyxl",
         "pymorphy", "ris", "wos", "medline", "bibtex", "jsonl", "javascript", "natural", "earth", "admin"}
SKIP_TAGS = {"script", "style", "title", "head"}


class Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        hidden = tag in SKIP_TAGS or "v" in classes or "codes" in classes
        if tag in ("meta", "br", "input", "img", "link", "rect", "circle", "line", "path", "polyline"):
            return
        self.stack.append((tag, hidden or any(h for _, h in self.stack)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.texts.append(data)


def visible_text(html: str) -> str:
    page = Visible()
    page.feed(html)
    return " ".join(page.texts)


def _identifier(token: str) -> bool:
    return bool(re.search(r"[\d._/\\=:\[\]-]", token)) or re.fullmatch(r"[A-Z]{2}", token) is not None


def foreign_words(html: str, lang: str) -> list[str]:
    """Words of the other language in the visible text, in order of appearance, each once."""
    text = re.sub(r"\b\w+ = \"[^\"]*\"", " ", visible_text(html))  # a study-file setting quoted as written
    out: list[str] = []
    for token in re.findall(r"[^\s,;()«»\"'“”„!?]+", text):
        word = token.strip(".:*+")
        if not word or _identifier(word):
            continue
        letters = re.sub(r"[^A-Za-zА-Яа-яЁё]", "", word)
        if len(letters) < 2:
            continue
        foreign = re.search(r"[A-Za-z]", word) if lang == "ru" else re.search(r"[А-Яа-яЁё]", word)
        if foreign and word.lower() not in ALLOW and word not in out:
            out.append(word)
    return out
