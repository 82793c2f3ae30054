"""The matcher on the hand-labelled test set, and the traps with their evidence."""

import csv
from pathlib import Path

import pytest

TEST_SET = Path(__file__).with_name("affiliations.csv")


def _rows():
    with open(TEST_SET, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _rules(p):
    return [e["rule"] for e in p.evidence]


def test_test_set_is_large_and_marked_invented():
    assert TEST_SET.read_text(encoding="utf-8").startswith("# INVENTED")
    rows = _rows()
    assert len(rows) >= 300
    assert sum(1 for r in rows if r["region"]) >= 250
    assert any(not r["text"].isascii() for r in rows) and any(r["text"].isascii() for r in rows)


def test_subject_precision_and_recall(matcher):
    rows = _rows()
    tp = fp = 0
    wrong = []
    for r in rows:
        p = matcher.locate(r["text"])
        if p.region:
            if p.region == r["region"]:
                tp += 1
            else:
                fp += 1
                wrong.append((r["text"], r["region"], p.region))
    expected = sum(1 for r in rows if r["region"])
    precision, recall = tp / (tp + fp), tp / expected
    assert precision >= 0.98, wrong
    assert recall >= 0.95
    print(f"subject level: precision {precision:.4f}, recall {recall:.4f} on {len(rows)} strings")


def test_country_accuracy(matcher):
    rows = [r for r in _rows() if r["country"]]
    right = sum(1 for r in rows if matcher.locate(r["text"]).country == r["country"])
    assert right / len(rows) >= 0.98


@pytest.mark.parametrize("text", ["в г. Воронеже", "Воронежской области", "Voronezh", "Voronež, Russia",
                                  "394018, Russia", "ВГУ"])
def test_inflected_transliterated_postal_acronym_all_reach_voronezh(matcher, text):
    assert matcher.locate(text).region == "RU-VOR"


def test_full_placement_of_a_russian_address(matcher):
    p = matcher.locate("ФГБОУ ВО «Липецкий государственный технический университет», 398055, г. Липецк, "
                       "ул. Московская, 30")
    assert (p.country, p.region, p.city, p.macroregion) == ("RU", "RU-LIP", "Lipetsk", "CBE")
    assert p.organization == "Lipetsk State Technical University"
    assert p.method == "city" and p.match_score == 0.99
    rules = {e["rule"]: e for e in p.evidence}
    assert rules["postal-code"]["text"] == "398055" and rules["postal-code"]["value"] == "RU-LIP"
    assert rules["street-ignored"]["text"] == "Московская"  # ul. Moskovskaya is not Moscow


def test_trap_beth_israel_is_not_israel(matcher):
    p = matcher.locate("Beth Israel Deaconess Medical Center, Harvard Medical School, Boston, MA 02215, USA")
    assert p.country == "US" and p.region is None
    assert {"rule": "trap", "text": "Beth Israel", "value": "not a place"} in p.evidence


def test_trap_palau_street_is_not_palau(matcher):
    p = matcher.locate("Carrer de Palau 5, 08002 Barcelona, Spain")
    assert p.country == "ES"
    assert {"rule": "street-ignored", "text": "Palau", "value": "after/near 'Carrer'"} in p.evidence
    assert matcher.locate("Palau Street 12, Koror, Palau").country == "PW"


def test_trap_georgia_the_state_and_the_country(matcher):
    p = matcher.locate("Emory University, Atlanta, Georgia")
    assert p.country == "US"
    assert {"rule": "country-rule", "text": "Georgia",
            "value": "Georgia read as the US state (the string has a US signal)"} in p.evidence
    p = matcher.locate("Tbilisi State University, Tbilisi, Georgia")
    assert p.country == "GE"
    p = matcher.locate("Georgia Institute of Technology, Atlanta, GA 30332, USA")
    assert p.country == "US"
    assert {"rule": "trap", "text": "Georgia Institute of Technology", "value": "US"} in p.evidence


def test_trap_the_two_congos(matcher):
    assert matcher.locate("University of Kinshasa, Kinshasa, DR Congo").country == "CD"
    assert matcher.locate("Universite Marien Ngouabi, Brazzaville, Republic of the Congo").country == "CG"
    p = matcher.locate("Universite de Kinshasa, Kinshasa, Congo")
    assert p.country == "CD"
    assert {"rule": "country-rule", "text": "Congo", "value": "'Congo' settled as CD by another signal"} in p.evidence
    p = matcher.locate("Institut Pasteur, Congo")
    assert p.country is None
    assert {"rule": "country-rule", "text": None,
            "value": "'Congo' is ambiguous (CD or CG); left undecided"} in p.evidence


def test_trap_the_two_koreas(matcher):
    assert matcher.locate("Seoul National University, Seoul, South Korea").country == "KR"
    assert matcher.locate("Kim Il Sung University, Pyongyang, DPR Korea").country == "KP"
    assert matcher.locate("Department of Physics, Korea").country is None


def test_trap_russian_city_names_abroad(matcher):
    p = matcher.locate("University of Idaho, Moscow, ID 83844, USA")
    assert (p.country, p.region) == ("US", None)
    assert {"rule": "country", "text": "USA", "value": "US"} in p.evidence
    assert {"rule": "russian-place-ignored", "text": "Moscow", "value": "the address names US after it"} in p.evidence
    p = matcher.locate("OAK RIDGE NATL LAB,OAK RIDGE,TN 37830")
    assert {"rule": "us-zip", "text": "TN 37830", "value": "US"} in p.evidence
    p = matcher.locate("Saint Petersburg College, St. Petersburg, FL 33733, USA")
    assert (p.country, p.region) == ("US", None)
    p = matcher.locate("Russian-Armenian University, Yerevan, Armenia")
    assert (p.country, p.region) == ("AM", None)


def test_trap_person_names_are_not_towns(matcher):
    p = matcher.locate("Samara National Research University named after S.P. Korolev, Samara, Russia")
    assert p.region == "RU-SAM"
    p = matcher.locate("Gubkin Russian State University of Oil and Gas, Moscow, Russia")
    assert p.region == "RU-MOW"  # not Gubkin, Belgorod oblast
    p = matcher.locate("ул. Кирова, 5, Тула")
    assert p.region == "RU-TUL"
    assert {"rule": "street-ignored", "text": "Кирова", "value": "after/near 'ул'"} in p.evidence
    p = matcher.locate("Кафедра физики, им. С.П. Королёва")
    assert p.region is None
    assert {"rule": "person-ignored", "text": "Королёва", "value": "after/near 'им'"} in p.evidence


def test_shared_names_are_settled_or_flagged_never_guessed(matcher):
    p = matcher.locate("Zheleznogorsk, Russia")
    assert (p.region, p.status, p.country) == (None, "ambiguous", "RU")
    assert {"rule": "ambiguous", "text": "Zheleznogorsk", "value": ["RU-KRS", "RU-KYA"]} in p.evidence
    p = matcher.locate("307170, г. Железногорск")
    assert p.region == "RU-KRS"
    assert {"rule": "city-settled", "text": "Железногорск", "value": "Zheleznogorsk (RU-KRS)"} in p.evidence
    assert matcher.locate("Железногорск, Красноярский край").region == "RU-KYA"
    p = matcher.locate("Kirov, Russia")
    assert p.region == "RU-KIR" and p.method == "adjective"
    assert p.evidence[-1]["rule"] in ("regional-centre-preferred", "country")


def test_common_words_need_a_marker(matcher):
    assert matcher.locate("Институт мирного атома").region is None
    assert matcher.locate("г. Мирный, Архангельская обл.").region == "RU-ARK"
    assert matcher.locate("Лесной институт, г. Петрозаводск").region == "RU-KR"


def test_misspelling_goes_through_the_fuzzy_fallback(matcher):
    p = matcher.locate("Varonezh, Russia")
    assert (p.region, p.method, p.match_score) == ("RU-VOR", "fuzzy", 0.6)


def test_empty_and_placeless_strings(matcher):
    assert matcher.locate("").status == "unresolved"
    p = matcher.locate("Department of Chemistry, Faculty of Science")
    assert (p.country, p.region, p.status) == (None, None, "unresolved")


def test_match_score_is_a_hand_set_rule_score_and_confidence_its_old_name(matcher):
    """The score ranks how direct the deciding evidence is (docs/regions.md); it is not a calibrated
    probability, so it is named ``match_score``; ``confidence`` still reads it (old code, old JSON)."""
    from bibmine.regions.matcher import BASE_SCORE

    p = matcher.locate("Lipetsk, Russia")
    assert p.match_score == BASE_SCORE["city"] == p.confidence
    d = p.to_dict()
    assert d["match_score"] == d["confidence"] == 0.95
    conflict = matcher.locate("Voronezh State University, Lipetsk")  # two subjects named: the score drops
    assert conflict.match_score < BASE_SCORE[conflict.method]
