"""A small study folder written file by file after docs/study-layout.md. INVENTED data, except:

- specialization/: the bundled Central Black Earth case, run by the real specialization stage
  (``run_bundled_case``), with two cells of coefficients.csv changed by hand (see below);
- compare/: the real ``bibmine compare`` outputs of the ten-record set of tests/compare;
- maps/keywords/map.json: a copy (in tmp only) of the INVENTED VOSviewer JSON map
  tests/fixtures/vosviewer_json/cbe_keywords.json (12 items, 16 links, 3 clusters), with its first
  label made hostile;
- indicators/: the real indicators (bibmine.indicators.compute_all) of six INVENTED documents (DOCS),
  one with a hostile title and keyword.

Hostile texts (HTML in a study name, an affiliation, a map label) check the escaping; a fake API
key in the parameters checks that secrets stay out of the outputs.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

MAP_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "vosviewer_json" / "cbe_keywords.json"
MAP_ITEMS, MAP_LINKS = 12, 16  # as tests/fixtures/vosviewer_json/README.md counts them
# a real VOSviewer export, read only as extra coverage (tests/report/test_parts.py)
MAP_SAMPLE = (Path(__file__).resolve().parents[3] / "shared" / "data" / "samples" / "vosviewer_json"
              / "QSS_SM_2020-2021_co-authorship_network.json")
HOSTILE_STUDY = "<script>alert(1)</script> Central Black Earth"
HOSTILE_AFFILIATION = '<img src=x onerror="alert(2)"> Unknown Institute'
HOSTILE_LABEL = "</script><script>alert(3)</script>"
FORMULA = "=HYPERLINK(\"http://example.invalid\",\"click\") Institute"
SECRET = "SECRET-API-KEY-123"

MANUAL = dict(zip([f"r{i}" for i in range(1, 11)], [["06"], ["06"], ["06"], ["34"], ["34"], ["34"], ["50"], ["50"],
                                                     ["06"], ["34"]], strict=True))
AUTO = dict(zip([f"r{i}" for i in range(1, 11)], [["06"], ["06"], ["34"], ["34"], ["34"], ["50"], ["50"], ["06"],
                                                   ["06"], ["34"]], strict=True))


def _json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_specialization(folder: Path) -> None:
    """Real specialization outputs in en and ru, and coefficients.csv with two hand-made cells:
    national / B / RU-TAM undefined ("no output recorded"), and S&T / 00 / RU-KRS (1.64 in the
    case) carrying counts 3 of 400 and an interval 0.55-3.90, not solid."""
    from bibmine.specialization.case import bundled_case, run_bundled_case
    from bibmine.specialization.inputs import write_table

    for lang in ("en", "ru"):
        run_bundled_case(folder / "specialization", lang)
    table, _ = bundled_case()
    table = table.copy()
    for column in ("count", "region_total", "ci_low", "ci_high", "solid", "reason"):
        table[column] = None
    undefined = (table.level == "national") & (table.category == "B") & (table.region == "RU-TAM")
    table.loc[undefined, ["value", "reason"]] = [float("nan"), "no output recorded"]
    weak = (table.level == "st") & (table.category == "00") & (table.region == "RU-KRS")
    table.loc[weak, ["count", "region_total", "ci_low", "ci_high", "solid"]] = [3, 400, 0.55, 3.9, False]
    write_table(table, folder / "specialization" / "coefficients.csv")


def write_compare(folder: Path) -> None:
    from bibmine.report.compare import compare, write_comparison

    result = compare({"a": MANUAL}, AUTO, bootstrap=100)
    write_comparison(result, folder / "compare", manual=MANUAL, automatic=AUTO)


HOSTILE_KEYWORD = "<svg onload=alert(4)>"


def _doc(i, year, source, authors, cites, subjects, keywords, rubrics, countries=("RU",)):
    from bibmine.indicators import Doc

    return Doc(id=f"d{i}", year=year, title=f"Invented work {i}", source=source, authors=list(authors),
               citations=cites, references=2, countries=list(countries), subjects=list(subjects),
               keywords=list(keywords), rubrics=list(rubrics), organizations=["Voronezh State University"])


DOCS = [
    _doc(1, 2019, "J1", ["Ivanov, I."], 10, ["RU-VOR"], ["soil", "wheat"], ["68"]),
    _doc(2, 2020, "J1", ["Ivanov, I.", "Petrova, A."], 4, ["RU-VOR", "RU-LIP"], ["soil", "wheat"], ["68"]),
    _doc(3, 2020, "J2", ["Petrova, A."], 2, ["RU-LIP"], ["soil", HOSTILE_KEYWORD], ["68", "34"], ("RU", "DE")),
    _doc(4, 2021, "J2", ["Sidorov, S."], 0, ["RU-BEL"], ["laser", "optics", HOSTILE_KEYWORD], ["29"]),
    _doc(5, 2021, "J1", ["Sidorov, S.", "Ivanov, I."], 1, ["RU-VOR", "RU-BEL"], ["laser", "optics"], ["29"]),
    _doc(6, 2021, "J3", ["Ivanov, I."], 3, ["RU-VOR"], ["laser", "soil", HOSTILE_KEYWORD], ["29"]),
]
DOCS[2].title = HOSTILE_STUDY


def write_indicators(folder: Path) -> None:
    from bibmine.indicators import compute_all

    _json(folder / "indicators" / "indicators.json", compute_all(DOCS, 2022, min_freq=3))
    _text(folder / "indicators" / "publications.csv",
          "id,doi,wos,scopus,openalex,elibrary,year,kind,title,source,subjects,organizations,rubrics_manual,"
          "rubrics_automatic\nd1,10.5555/x.1,,,,,2019,article,Invented work 1,J1,RU-VOR,Voronezh State University,"
          "68,68 (0.91)\n")


def write_study(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _json(folder / "manifest.json", {
        "study": HOSTILE_STUDY, "written": "2024-05-01T10:00:00Z", "bibmine": "0.1.0",
        "config": {"path": "/home/analyst/cbe/study.toml", "sha256": "ab" * 32},
        "inputs": [{"path": "/home/analyst/cbe/exports/cbe_wos.txt", "sha256": "cd" * 32, "bytes": 2048}],
        "parameters": {"study": {"name": HOSTILE_STUDY, "lang": "en"},
                       "sources": {"files": ["cbe_*"], "openalex_api_key": SECRET},
                       "regions": {"regions": ["RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"],
                                   "share": "affiliation"},
                       "rubrics": {"model": "default"},
                       "specialization": {"counting": "whole", "threshold": 1.0, "st": "coefficients",
                                          "cross_cutting": ["50", "20", "28"]},
                       "maps": {"counting": "full", "min_occurrences": 1}},
        "packages": {"python": "3.11.7", "bibmine": "0.1.0"},
        "stages": [{"name": "corpus", "ran": True, "seconds": 1.25, "key": "k1", "result": "10 works"},
                   {"name": "regions", "ran": False, "seconds": 0.0, "key": "k2", "result": "unchanged: skipped"}]})
    _json(folder / "corpus" / "stats.json", {
        "works": 10, "source_records": 12, "quarantined": 1, "by_kind": {"article": 8, "patent": 2},
        "by_year": {"2020": 4, "2021": 6}, "by_language": {"ru": 6, "en": 4},
        "by_source": {"wos_plaintext": 5, "scopus_csv": 7},
        "completeness": {"wos_plaintext": {"title": 1.0, "abstract": 0.8, "affiliations": 0.6},
                         "scopus_csv": {"title": 1.0, "abstract": 0.5, "affiliations": 1.0}}})
    _text(folder / "corpus" / "imports.csv",
          "file,format,encoding,read,new,merged,duplicate,rejected,error\n"
          "cbe_wos.txt,wos_plaintext,utf-8,5,5,0,0,0,\n"
          "cbe_scopus.csv,scopus_csv,utf-8,7,5,2,0,1,\n")
    _json(folder / "regions" / "stats.json", {
        "placements": {"placed": 14, "country": 3, "unresolved": 2, "ambiguous": 1},
        "by_region": [{"region": "RU-VOR", "name": "Voronezh region", "name_ru": "Воронежская область",
                       "macroregion": "Central Black Earth", "records": 4, "share": 0.5},
                      {"region": "RU-LIP", "name": "Lipetsk region", "name_ru": "Липецкая область",
                       "macroregion": "Central Black Earth", "records": 2, "share": 0.25}],
        "records": 8, "unplaced_records": 2, "unresolved_share": 0.25, "counting": "affiliation",
        "top_unresolved": [{"text": HOSTILE_AFFILIATION, "n": 2}, {"text": FORMULA, "n": 1}]})
    _text(folder / "rubrics" / "distribution.csv",
          "rubric,name,manual,automatic\n06,Economics,4,4\n34,Biology,4,4\n50,Automation,2,2\n")
    _json(folder / "rubrics" / "model.json", {"name": "tfidf-demo", "metrics": {"accuracy": 0.7}})
    write_compare(folder)
    write_specialization(folder)
    write_indicators(folder)
    doc = json.loads(MAP_FIXTURE.read_text(encoding="utf-8"))
    doc["network"]["items"][0]["label"] = HOSTILE_LABEL
    _json(folder / "maps" / "keywords" / "map.json", doc)
    return folder


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver"


@pytest.fixture()
def browser(tmp_path):
    if not CHROMIUM.is_file() or not CHROMEDRIVER.is_file():
        pytest.skip(f"no {CHROMIUM} or {CHROMEDRIVER}: install Debian's browser with `{INSTALL}`")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def study(tmp_path_factory) -> Path:
    return write_study(tmp_path_factory.mktemp("study") / "cbe")


@pytest.fixture(scope="session")
def built(study) -> dict:
    """The report and workbook of the study in both languages: {lang: build_report's result}."""
    from bibmine.report.build import build_report

    return {lang: build_report(study, lang) for lang in ("en", "ru")}


@pytest.fixture()
def copy_of(tmp_path):
    def make(folder: Path) -> Path:
        target = tmp_path / folder.name
        shutil.copytree(folder, target)
        return target

    return make
