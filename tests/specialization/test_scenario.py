"""Scenario models: METHOD.md's worked example (INVENTED numbers) and the bundled case's five regions."""

import json

import pandas as pd
import pytest

from bibmine.specialization.coefficients import location_quotients
from bibmine.specialization.concordance import read_concordance
from bibmine.specialization.scenario import scenario_model

EN_CC = "cross-cutting S&T competences in Automation. Computer engineering, Computer science, Cybernetics"


@pytest.fixture
def worked_example(tmp_path):
    st = location_quotients(pd.DataFrame(
        [("st", 2021, "53", "RU-ALP", 24), ("st", 2021, "20", "RU-ALP", 5), ("st", 2021, "*", "RU-ALP", 80),
         ("st", 2021, "53", "RU", 100), ("st", 2021, "20", "RU", 50), ("st", 2021, "*", "RU", 1000)],
        columns=["level", "year", "category", "region", "value"]))
    st["category_name"] = st["category"].map({"53": "Metallurgy", "20": "Computer science"})
    sectors = pd.DataFrame({"level": "national", "year": 2020, "category": ["C", "F", "G"],
                            "region": "RU-ALP", "value": [1.40, 1.10, 0.90]})
    path = tmp_path / "concordance.csv"
    path.write_text("level,category,rubric\nsection,C,53\nsection,F,67\n", encoding="utf-8")
    return pd.concat([st, sectors], ignore_index=True), read_concordance(path)


def test_worked_example_scenario_line(worked_example):
    table, concordance = worked_example
    model = scenario_model(table, concordance, "RU-ALP", related_top=0)
    lines = model.levels["national"]
    assert lines[0].text("en") == ("Manufacturing + S&T competences of the region in Metallurgy"
                                   " + cross-cutting S&T competences in Computer science")
    # F has no linked competent rubric (67 is not in Alpha's table): the line keeps the cross-cutting part
    assert lines[1].text("en") == "Construction + cross-cutting S&T competences in Computer science"
    assert len(lines) == 2  # G 0.90 is no specialization
    assert model.to_dict() == {"region": "RU-ALP", "levels": {
        "global": [],
        "national": [
            {"category": "C", "name": "Manufacturing", "value": 1.4, "competences": ["53"], "cross_cutting": ["20"]},
            {"category": "F", "name": "Construction", "value": 1.1, "competences": [], "cross_cutting": ["20"]}],
        "macroregional": []}}


def test_worked_example_in_russian(worked_example):
    table, concordance = worked_example
    model = scenario_model(table, concordance, "RU-ALP", lang="ru", related_top=0)
    assert model.levels["national"][0].text("ru") == (
        "Обрабатывающие производства + научно-технологические компетенции региона: Металлургия"
        " + сквозные научно-технологические компетенции: Информатика")


def test_five_regions_json(case, default, specialized, regions):
    keys = {"export": "global", "national": "national", "macroregional": "macroregional"}
    for region in regions:
        model = json.loads(scenario_model(case, default, region).to_json())
        assert model["region"] == region
        assert list(model["levels"]) == ["global", "national", "macroregional"]
        for level, key in keys.items():
            assert [item["category"] for item in model["levels"][key]] == specialized[level][region]
            for item in model["levels"][key]:
                assert set(item) == {"category", "name", "value", "competences", "cross_cutting"}
                assert item["value"] > 1


def test_lipetsk_scenario_by_hand(case, default):
    model = scenario_model(case, default, "RU-LIP").to_dict()
    metals = model["levels"]["global"][1]
    assert metals == {"category": "72-83", "name": "Metals and metal handicrafts (FEACN groups 72-83)",
                      "value": 7.53, "competences": ["53", "55"], "cross_cutting": ["50", "20", "28"]}
    manufacturing = model["levels"]["national"][1]
    assert (manufacturing["category"], manufacturing["competences"]) == ("C", ["55", "53", "61", "31", "45", "81"])
    construction = model["levels"]["national"][2]
    assert (construction["category"], construction["competences"]) == ("F", ["67"])  # 67 is 1.84
    assert [item["value"] for item in model["levels"]["macroregional"]] == [1.10, 1.12, 1.05, 1.16]


def test_belgorod_has_two_cross_cutting_competences(case, default):
    model = scenario_model(case, default, "RU-BEL")
    # 50 1.16 and 28 1.95 are competences, 20 0.83 is not
    assert all(line.cross_cutting == ["50", "28"] for lines in model.levels.values() for line in lines)
    text = model.to_text()
    assert ("  - Mining + S&T competences of the region in Mining + cross-cutting S&T competences in "
            "Automation. Computer engineering, Cybernetics") in text  # national B 1.45, rubric 52 1.17


def test_lipetsk_text_and_related_competences(case, default):
    model = scenario_model(case, default, "RU-LIP")
    text = model.to_text()
    assert text.startswith("Scenario model: Lipetsk region (RU-LIP)\n"
                           "competence: coefficient > 1.00; cross-cutting rubrics: 50, 20, 28\n")
    assert f"  - Metals and metal handicrafts (FEACN groups 72-83) + S&T competences of the region in " \
           f"Metallurgy, Mechanical engineering + {EN_CC}\n" in text
    assert f"  - Real estate activities + {EN_CC}\n" in text
    # Possible-to-develop: 90 Metrology first. Only Tambov has it (ubiquity 1), so its proximity to a
    # rubric j is 1 / k_j for Tambov's other 15 competences and 0 elsewhere; Lipetsk shares 9 of them:
    # 100 * (1/4 + 1/3 + 1/5 + 1/3 + 1/2 + 1/5 + 1/3 + 1/4 + 1/5) / 5.01667 = 100 * 2.6 / 5.01667 = 51.83
    code, density = model.related.top[0]
    assert code == "90" and density == pytest.approx(100 * 2.6 / (301 / 60))
    assert [c for c, _ in model.related.top] == ["90", "29", "30", "49", "59"]
    table = model.related.table.set_index("rubric")
    assert not table.loc[[c for c, _ in model.related.top], "competence"].any()
    assert "  - Metrology (relatedness density 51.8)\n" in text


def test_unknown_region_is_refused(case, default):
    with pytest.raises(ValueError, match="region 'RU-XXX' is not in the coefficients; known: RU-BEL"):
        scenario_model(case, default, "RU-XXX")
