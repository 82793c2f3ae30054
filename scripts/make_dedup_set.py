"""Render the INVENTED labelled dedup set (tests/fixtures/dedup/works.toml) as vendor files.

Writes wos.txt (WoS plain text), scopus.csv (Scopus CSV), openalex.json (an OpenAlex
/works page), records.ris and records.bib beside works.toml, and labels.csv naming the
group of every record (file, ordinal in file, group).  Each format gets the quirks its
vendor has (see the header of works.toml).  Run it after editing works.toml:

    python scripts/make_dedup_set.py
"""

from __future__ import annotations

import csv
import html
import json
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "dedup"
SCOPUS_HEADER = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume",
                 "Issue", "Art. No.", "Page start", "Page end", "Cited by", "DOI", "Link", "Affiliations",
                 "Authors with affiliations", "Abstract", "Author Keywords", "Index Keywords", "Publisher", "ISSN",
                 "Language of Original Document", "Abbreviated Source Title", "Document Type", "Publication Stage",
                 "Open Access", "Source", "EID"]


def initials(given: str) -> str:
    return "".join(part[0] for part in given.replace("-", " ").split())


def title_of(work: dict, fmt: str) -> str:
    if fmt == "ris" and "ris_title" in work:
        return work["ris_title"]
    if fmt in ("wos", "scopus", "bibtex") and "plain_title" in work:
        return work["plain_title"]
    return work["title"]


def doi_in(work: dict, fmt: str) -> str | None:
    return None if fmt in work.get("no_doi", []) else work.get("doi")


def year_in(work: dict, fmt: str) -> int:
    return work["year"] + (1 if fmt in work.get("print_later", []) else 0)


def latin(work: dict) -> list[list[str]]:
    return work.get("latin_authors", work["authors"])


def wos(works: list[dict]) -> str:
    out = ["FN INVENTED test fixture for bibmine (dedup set), not a Clarivate export", "VR 1.0"]
    for w in works:
        title = title_of(w, "wos")
        names = latin(w)
        lines = ["PT J"]
        if names:
            lines += ["AU " + "\n   ".join(f"{s}, {initials(g)}" for s, g in names),
                      "AF " + "\n   ".join(f"{s}, {g}" for s, g in names)]
        lines += [f"TI {title.upper() if w.get('caps') else title}", f"SO {w['journal'].upper()}",
                  f"J9 {w['wos_abbr']}", f"PY {year_in(w, 'wos')}"]
        if w.get("volume"):
            lines.append(f"VL {w['volume']}")
        if w.get("issue"):
            lines.append(f"IS {w['issue']}")
        lines += [f"BP {w['pages'][0]}", f"EP {w['pages'][1]}"]
        if doi_in(w, "wos"):
            lines.append(f"DI {doi_in(w, 'wos')}")
        if w.get("abstract"):
            lines.append(f"AB {w['abstract']}")
        lines += [f"UT {w['ut']}", "ER", ""]
        out += lines
    out.append("EF")
    return "\n".join(out) + "\n"


def scopus(works: list[dict]) -> list[list[str]]:
    rows = [SCOPUS_HEADER]
    for w in works:
        names = latin(w)
        row = dict.fromkeys(SCOPUS_HEADER, "")
        row.update({
            "Authors": "; ".join(f"{s} {'.'.join(initials(g))}." for s, g in names),
            "Author full names": "; ".join(f"{s}, {g}" for s, g in names),
            "Title": title_of(w, "scopus"), "Year": str(year_in(w, "scopus")), "Source title": w["journal"],
            "Volume": w.get("volume", ""), "Issue": w.get("issue", ""), "Page start": w["pages"][0],
            "Page end": w["pages"][1], "DOI": doi_in(w, "scopus") or "", "Abstract": w.get("abstract", ""),
            "Abbreviated Source Title": w["scopus_abbr"], "Document Type": "Article", "Source": "Scopus",
            "Language of Original Document": "English", "EID": w["eid"],
        })
        rows.append([row[c] for c in SCOPUS_HEADER])
    return rows


def openalex(works: list[dict]) -> dict:
    results = []
    for w in works:
        words = w.get("abstract", "").split()
        inverted: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            inverted.setdefault(word, []).append(i)
        doi = doi_in(w, "openalex")
        results.append({
            "id": f"https://openalex.org/{w['openalex']}",
            "doi": f"https://doi.org/{doi.upper()}" if doi else None,
            "title": title_of(w, "openalex"), "display_name": title_of(w, "openalex"),
            "publication_year": year_in(w, "openalex"), "publication_date": f"{year_in(w, 'openalex')}-03-01",
            "type": w.get("kind", "article"),
            "ids": {"openalex": f"https://openalex.org/{w['openalex']}"},
            "authorships": [{"author_position": "first" if i == 0 else "middle",
                             "author": {"display_name": f"{g} {s}"}, "institutions": []}
                            for i, (s, g) in enumerate(w["authors"])],
            "primary_location": {"source": {"display_name": w["journal"], "type": "journal"}},
            "biblio": {"volume": w.get("volume") or None, "issue": w.get("issue") or None,
                       "first_page": w["pages"][0] or None, "last_page": w["pages"][1] or None},
            "abstract_inverted_index": inverted or None,
        })
    return {"meta": {"count": len(results), "page": 1, "per_page": 25,
                     "_comment": "INVENTED test fixture for bibmine (dedup set), not an OpenAlex response"},
            "results": results}


def ris(works: list[dict]) -> str:
    out = []
    for w in works:
        title = html.escape(title_of(w, "ris"), quote=False).replace("&lt;", "<").replace("&gt;", ">")
        title = title.replace(" - ", " – ")
        lines = ["TY  - JOUR", f"TI  - {title}"]
        lines += [f"AU  - {s}, {g}" for s, g in w["authors"]]
        lines += [f"PY  - {year_in(w, 'ris')}", f"JO  - {w['journal']}"]
        if w.get("volume"):
            lines.append(f"VL  - {w['volume']}")
        if w.get("issue"):
            lines.append(f"IS  - {w['issue']}")
        lines += [f"SP  - {w['pages'][0]}", f"EP  - {w['pages'][1]}"]
        if doi_in(w, "ris"):
            lines.append(f"DO  - {doi_in(w, 'ris')}")
        if w.get("abstract"):
            lines.append(f"AB  - {w['abstract']}")
        lines += ["ER  - ", ""]
        out += lines
    return "\n".join(out)


def bibtex(works: list[dict]) -> str:
    out = ["% INVENTED test fixture for bibmine (dedup set): not an export from any database.", ""]
    for n, w in enumerate(works, 1):
        accents = w.get("accents", {})

        def tex(text: str, accents: dict = accents) -> str:
            for plain, latex in accents.items():
                text = text.replace(plain, latex)
            return text.replace("&", r"\&").replace("–", "--")

        names = " and ".join(tex(f"{s}, {g}") for s, g in w["authors"])
        fields = [f"  title = {{{tex(title_of(w, 'bibtex'))}}}", f"  journal = {{{w['journal']}}}",
                  f"  year = {{{year_in(w, 'bibtex')}}}", f"  pages = {{{w['pages'][0]}--{w['pages'][1]}}}"]
        if names:
            fields.insert(0, f"  author = {{{names}}}")
        if w.get("volume"):
            fields.append(f"  volume = {{{w['volume']}}}")
        if w.get("issue"):
            fields.append(f"  number = {{{w['issue']}}}")
        if doi_in(w, "bibtex"):
            fields.append(f"  doi = {{{doi_in(w, 'bibtex')}}}")
        out += [f"@article{{dedup{n},", ",\n".join(fields), "}", ""]
    return "\n".join(out)


def main() -> None:
    works = tomllib.loads((HERE / "works.toml").read_text("utf-8"))["work"]
    by_fmt = {fmt: [w for w in works if fmt in w["in"]] for fmt in ("wos", "scopus", "openalex", "ris", "bibtex")}
    (HERE / "wos.txt").write_text(wos(by_fmt["wos"]), "utf-8")
    with open(HERE / "scopus.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(scopus(by_fmt["scopus"]))
    (HERE / "openalex.json").write_text(json.dumps(openalex(by_fmt["openalex"]), ensure_ascii=False, indent=1),
                                        "utf-8")
    (HERE / "records.ris").write_text(ris(by_fmt["ris"]), "utf-8")
    (HERE / "records.bib").write_text(bibtex(by_fmt["bibtex"]), "utf-8")
    files = {"wos": "wos.txt", "scopus": "scopus.csv", "openalex": "openalex.json", "ris": "records.ris",
             "bibtex": "records.bib"}
    with open(HERE / "labels.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "ordinal", "group"])
        for fmt, items in by_fmt.items():
            for n, w in enumerate(items):
                writer.writerow([files[fmt], n, w["group"]])
    print(f"{sum(len(v) for v in by_fmt.values())} records of {len(works)} works in {HERE}")


if __name__ == "__main__":
    main()
