"""The HTML report of the study folder of conftest.py: sections, values read off by hand, escaping,
no secrets, self-contained, ru texts, and a folder with missing or broken files."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from bibmine.report.build import SECTION_IDS, build_report

from .conftest import HOSTILE_AFFILIATION, HOSTILE_LABEL, HOSTILE_STUDY, SECRET


class Page(HTMLParser):
    """Sections, tag attributes and script elements of a page, as a browser's tokenizer sees them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def _cell(html: str, table: str, row_head: str) -> str:
    """The <tr> of a table whose first cell is ``row_head`` (as in the HTML source)."""
    block = html.split(f'id="tbl-{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", block, re.S)
    return next(r for r in rows if re.match(rf'<th scope="row" class="[^"]*"[^>]*>{re.escape(row_head)}</th>', r))


def test_every_section_once_in_order(built):
    page = Page(built["en"]["report"].read_text(encoding="utf-8"))
    assert page.sections == list(SECTION_IDS)
    assert built["en"]["notes"] == {}


def test_self_contained(built):
    html = built["en"]["report"].read_text(encoding="utf-8")
    page = Page(html)
    assert not [t for t, a in page.tags if t == "link"]
    sources = [a.get("src") for t, a in page.tags if t in ("img", "script", "iframe") and a.get("src")]
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)  # heat maps, confusion
    assert "http://" not in html.split("<main>")[0] and "https://" not in html.split("<main>")[0]
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-inline'" not in csp.split(
        "script-src")[1]


def test_texts_from_data_are_escaped(built):
    html = built["en"]["report"].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Central Black Earth" in html
    assert HOSTILE_AFFILIATION not in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; Unknown Institute" in html
    page = Page(html)
    # one executable script (the viewer) and one JSON island; the hostile label did not close it
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    data = json.loads(page.scripts[0][1])
    assert data["items"][0][0] == HOSTILE_LABEL
    assert HOSTILE_LABEL not in html and HOSTILE_STUDY not in html


def test_map_section_of_the_invented_map(built):
    """tests/fixtures/vosviewer_json/cbe_keywords.json: 12 items, 16 links, 3 clusters, two of them named."""
    html = built["en"]["report"].read_text(encoding="utf-8")
    maps = html.split('<section id="maps">', 1)[1].split("</section>", 1)[0]
    assert "<dt>Items</dt><dd>12</dd>" in maps and "<dt>Links</dt><dd>16</dd>" in maps
    assert "<dt>Clusters</dt><dd>3</dd>" in maps
    assert '<option value="2" selected>Occurrences</option>' in maps  # sized by Occurrences first
    legend = re.findall(r'background:(#[0-9a-f]{6})"></span><span class="v">([^<]+)<', maps)
    assert legend == [("#d62728", "Soils"), ("#2ca02c", "Crops"), ("#1f77b4", "Cluster 3")]
    data = json.loads(Page(html).scripts[0][1])
    assert [i[0] for i in data["items"][1:4]] == ["soil organic carbon", "эрозия почв", "soil moisture"]
    assert data["items"][5] == ["урожайность", -0.18, 0.05, 2, [4.0, 9.0, 7.0]]
    assert len(data["links"]) == 16 and sum(link[2] for link in data["links"]) == 35.0


def test_no_secret_in_the_outputs(built):
    html = built["en"]["report"].read_text(encoding="utf-8")
    assert SECRET not in html
    assert "sources.openalex_api_key" in html and "[redacted]" in html
    assert "/home/analyst" not in html  # file names only
    assert SECRET.encode() not in built["en"]["workbook"].read_bytes()  # xlsx is zip: check the sheet XML too
    from openpyxl import load_workbook

    book = load_workbook(built["en"]["workbook"])
    assert not [c.value for s in book for row in s.iter_rows() for c in row if c.value and SECRET in str(c.value)]


def test_values_read_off_by_hand(built):
    html = built["en"]["report"].read_text(encoding="utf-8")
    # compare: 7 of 10 first rubrics agree, kappa 0.53125 (tests/compare)
    assert ">0.700<" in _cell(html, "agreement-headline", "Accuracy")
    assert ">0.531<" in _cell(html, "agreement-headline", "Cohen&#39;s kappa")
    # export 01-24: Belgorod 2.35 (a competence: class c), Lipetsk 1.89
    row = _cell(html, "coef-export", "01-24")
    assert re.search(r'class="num coef c"[^>]*>2.35<', row) and ">1.89<" in row
    # the hand-made cells: national B Tambov undefined with its reason; S&T 00 Kursk 1.64 not solid
    row = _cell(html, "coef-national", "B")
    assert re.search(r'class="num na"[^>]*title="Tambov region; undefined: no output recorded"[^>]*>—<', row)
    row = _cell(html, "coef-st", "00")
    assert re.search(r'class="num coef c weak"[^>]*title="Kursk region; 3 of 400 publications; '
                     r'95% interval of the ratio 0.55–3.90"[^>]*>1.64\*<', row)
    assert "1 of the 84 S&amp;T competences carry their counts" in html  # 84 ratios > 1 in Table 5
    # the scenario of Belgorod, national level, as the specialization stage wrote it
    scenario = html.split('id="scenario-RU-BEL"', 1)[1].split("</article>", 1)[0]
    assert "Manufacturing industries</span> <small class=\"codes\">(C, 1.16)</small>" in scenario
    assert "S&amp;T competences of the region in Metallurgy, Chemical technology. Chemical industry" in scenario
    # scenarios follow the study's region order
    assert [html.index(f'id="scenario-{r}"') for r in ("RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM")] == sorted(
        html.index(f'id="scenario-{r}"') for r in ("RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"))
    # the run: one stage ran, one skipped
    assert ">skipped (inputs unchanged)<" in html and "study.toml" in html


def test_russian_report(built):
    html = built["ru"]["report"].read_text(encoding="utf-8")
    assert '<html lang="ru">' in html
    for text in ("Отчёт об исследовании умной специализации", "Управленческие матрицы", "Сценарная модель:",
                 "Методология и ограничения", "Карты совместной встречаемости", "Белгородская область",
                 "Экономика и экономические науки", "Сбросить вид"):
        assert text in html, text
    assert "Managerial matrices" not in html and "Reset view" not in html


def test_missing_inputs_say_why(tmp_path):
    folder = tmp_path / "empty-study"
    folder.mkdir()
    result = build_report(folder, "en")
    html = result["report"].read_text(encoding="utf-8")
    assert Page(html).sections == list(SECTION_IDS)
    notes = result["notes"]
    assert set(notes) == {"summary", "indicators", "topics", "russia", "corpus", "regions", "rubrics", "agreement",
                          "heatmaps", "matrices", "scenarios", "maps"}
    assert notes["indicators"] == ["indicators/indicators.json is not in the study folder, so this part is empty "
                                   "(the report stage has not run or wrote nothing)."]
    assert notes["corpus"][0] == ("corpus/stats.json is not in the study folder, so this part is empty "
                                  "(the corpus stage has not run or wrote nothing).")
    assert notes["agreement"][0].startswith("No manual labels in this study")
    assert "maps/ is not in the study folder" in notes["maps"][0]
    assert "The S&amp;T ratios of this study carry no counts" in html
    assert result["workbook"].is_file()


def test_broken_files_are_named(tmp_path, study, copy_of):
    folder = copy_of(study)
    (folder / "corpus" / "stats.json").write_text("{not json", encoding="utf-8")
    (folder / "regions" / "stats.json").write_text("[1, 2]", encoding="utf-8")
    (folder / "maps" / "orgs").mkdir()
    (folder / "maps" / "orgs" / "map.json").write_text('{"network": {"items": [{"id": 1}]}}', encoding="utf-8")
    for path in (folder / "specialization" / "matrices").glob("matrix_export.*"):
        path.unlink()
    result = build_report(folder, "en")
    notes = result["notes"]
    assert notes["corpus"][0].startswith("corpus/stats.json could not be read: JSONDecodeError")
    assert notes["regions"] == ["regions/stats.json could not be read: expected a JSON dict, found list"]
    html = result["report"].read_text(encoding="utf-8")
    assert "maps/orgs/map.json has no item with coordinates to draw." in html
    assert "1 item(s) without id or numeric x, y left out" in html
    assert "specialization/matrices/matrix_export.en.csv is not in the study folder" in html
    assert 'id="tbl-matrix-national"' in html  # the other matrices are still there


def test_other_language_files_stand_in(tmp_path, study, copy_of):
    folder = copy_of(study)
    for path in (folder / "specialization").rglob("*.ru.*"):
        path.unlink()
    html = build_report(folder, "ru")["report"].read_text(encoding="utf-8")
    assert "Файла specialization/matrices/matrix_national.ru.csv нет; вместо него показана версия на языке «en»." \
        in html
    assert 'id="tbl-matrix-national"' in html


def test_manual_labels_without_automatic_rubrics(study, copy_of):
    import shutil

    folder = copy_of(study)
    shutil.rmtree(folder / "compare")
    (folder / "rubrics" / "distribution.csv").write_text("rubric,name,manual,automatic\n06,Economics,4,0\n",
                                                         encoding="utf-8")
    notes = build_report(folder, "en")["notes"]
    assert notes["agreement"] == ["The study has manual labels but no automatic rubrics to compare them with "
                                  "(compare/metrics.json is absent): set a classifier model in [rubrics] model."]
