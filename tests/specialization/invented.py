"""INVENTED data for the baseline tests: a national table, two regions' records, and an OpenAlex sample.

Everything here is made up so that the ratios can be computed by hand (docs/baseline.md):

national (RU)   2020: 900 works, 53: 90, 20: 45, 68: 765     2021: 1000 works, 53: 100, 20: 50, 68: 850
RU-VOR          2020: 10 records, 53: 5, 68: 5               2021: 40 records, 53: 12, 20: 8, 68: 20
RU-LIP          2020: none                                    2021: 20 records, 53: 4, 20: 1, 68: 15

The OpenAlex sample (shape of real ``/works`` responses; works INVENTED) has 200 works a year:
2021: 22 metallurgy, 9 computer science, 165 agriculture, 4 without a title or abstract (n = 196);
2020: 19 metallurgy, 10 computer science, 171 agriculture (n = 200). The keyword classifier stands
in for the GRNTI model (metallurgy -> 53, computer -> 20, agriculture -> 68).
"""

from __future__ import annotations

import json
from pathlib import Path

NATIONAL = {2020: {"53": 90, "20": 45, "68": 765, "*": 900}, 2021: {"53": 100, "20": 50, "68": 850, "*": 1000}}
REGIONAL = {("RU-VOR", 2020): {"53": 5, "68": 5}, ("RU-VOR", 2021): {"53": 12, "20": 8, "68": 20},
            ("RU-LIP", 2021): {"53": 4, "20": 1, "68": 15}}
AFFILIATION = {"RU-VOR": ("Voronezh State University", "Voronezh State University, Voronezh, Russia"),
               "RU-LIP": ("Lipetsk State Technical University", "Lipetsk State Technical University, Lipetsk, Russia")}
SAMPLE = {2021: {"metallurgy": 22, "computer": 9, "agriculture": 165, "": 4},
          2020: {"metallurgy": 19, "computer": 10, "agriculture": 171}}
KEYWORDS = {"metallurgy": "53", "computer": "20", "agriculture": "68"}


def baseline_csv(path: Path) -> Path:
    lines = ["level,year,rubric,region,value"]
    for year, cells in NATIONAL.items():
        lines += [f"st,{year},{rubric},RU,{value}" for rubric, value in cells.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corpus_files(folder: Path) -> tuple[Path, Path]:
    """An OpenAlex JSON Lines export of the regions' records and the manual labels giving their rubrics."""
    works, labels = [], ["record_id,rubric,annotator"]
    n = 0
    for (region, year), cells in REGIONAL.items():
        name, raw = AFFILIATION[region]
        for rubric, count in cells.items():
            for _ in range(count):
                n += 1
                doi = f"10.5555/bibmine.invented.{n:04d}"
                works.append({"id": f"https://openalex.org/W77{n:06d}", "doi": f"https://doi.org/{doi}",
                              "title": f"Invented record {n} of {name}", "publication_year": year,
                              "type": "article", "authorships": [{
                                  "author_position": "first",
                                  "author": {"id": f"https://openalex.org/A77{n:06d}", "display_name": f"Author {n}"},
                                  "institutions": [{"id": f"https://openalex.org/I77{list(AFFILIATION).index(region)}",
                                                    "display_name": name, "country_code": "RU"}],
                                  "countries": ["RU"], "raw_affiliation_strings": [raw]}]})
                labels.append(f"{doi},{rubric},analyst")
    folder.mkdir(parents=True, exist_ok=True)
    records = folder / "invented_works.jsonl"
    records.write_text("\n".join(json.dumps(w) for w in works) + "\n", encoding="utf-8")
    label_file = folder / "invented_labels.csv"
    label_file.write_text("\n".join(labels) + "\n", encoding="utf-8")
    return records, label_file


def sample_works(year: int) -> list[dict]:
    works = []
    for topic, count in SAMPLE[year].items():
        for _ in range(count):
            n = len(works) + 1
            work = {"id": f"https://openalex.org/W9{year}{n:05d}", "publication_year": year, "type": "article",
                    "language": "en", "abstract_inverted_index": None}
            if topic:
                work["title"] = work["display_name"] = f"Sample work {n} on {topic}"
            works.append(work)
    return works


def keyword_classifier(texts: list[str]) -> list[list[tuple[str, float]]]:
    return [[(code, 0.9) for word, code in KEYWORDS.items() if word in text.lower()] or [("00", 0.1)]
            for text in texts]


def openalex_handler(calls: list[dict], *, per_page_seen: list | None = None):
    """A request handler serving ``/works`` counts and sample pages in OpenAlex's response shape."""
    from werkzeug.wrappers import Response

    def handle(request):
        args = request.args.to_dict()
        calls.append(args)
        year = int(args["filter"].split("publication_year:")[1].split(",")[0])
        per_page = int(args["per_page"])
        if "sample" not in args:  # the country's total
            body = {"meta": {"count": NATIONAL[year]["*"], "db_response_time_ms": 24, "page": 1, "per_page": 1,
                             "groups_count": None}, "results": [{"id": "https://openalex.org/W1"}], "group_by": []}
        else:
            page = int(args.get("page", 1))
            works = sample_works(year)
            body = {"meta": {"count": int(args["sample"]), "db_response_time_ms": 31, "page": page,
                             "per_page": per_page, "groups_count": None},
                    "results": works[(page - 1) * per_page:page * per_page], "group_by": []}
        return Response(json.dumps(body), status=200, content_type="application/json")

    return handle
