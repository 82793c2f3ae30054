"""The shipped gazetteer data: complete, consistent, and overridable by a user file."""

from collections import Counter

import pycountry
import pytest

from bibmine.regions.gazetteer import read_gazetteer
from bibmine.regions.matcher import Matcher


@pytest.fixture(scope="module")
def gaz():
    return read_gazetteer()


def test_all_89_subjects_with_iso_codes_where_iso_defines_them(gaz):
    assert len(gaz.subjects) == 89
    iso = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    assert {c for c, s in gaz.subjects.items() if s.iso_defined} == iso  # the 83 ISO 3166-2:RU codes
    assert sorted(c for c, s in gaz.subjects.items() if not s.iso_defined) == [
        "RU-CR", "RU-DPR", "RU-KHE", "RU-LPR", "RU-SEV", "RU-ZAP"]
    assert len({s.okato for s in gaz.subjects.values()}) == 89
    assert gaz.subjects["RU-VOR"].okato == "20"
    assert gaz.subjects["RU-BEL"].okato == "14"


def test_federal_districts_and_macroregions(gaz):
    districts = Counter(s.federal_district for s in gaz.subjects.values())
    assert districts == {"CFD": 18, "NWFD": 11, "SFD": 12, "NCFD": 7, "VOL": 14, "URFD": 6, "SIB": 10, "FE": 11}
    macro = Counter(s.macroregion for s in gaz.subjects.values() if s.macroregion)
    assert len(macro) == 12 and sum(macro.values()) == 85  # the Strategy (2019) predates the 4 new subjects
    cbe = sorted(c for c, s in gaz.subjects.items() if s.macroregion == "CBE")
    assert cbe == ["RU-BEL", "RU-KRS", "RU-LIP", "RU-TAM", "RU-VOR"]
    assert macro["ANGYEN"] == 2 and gaz.subjects["RU-KYA"].macroregion == "ANGYEN"


def test_every_subject_has_its_capital_and_postal_prefixes(gaz):
    cities = {(c.name_ru, c.subject) for c in gaz.cities}
    for s in gaz.subjects.values():
        assert s.postal, s.code
        if s.capital:
            assert (s.capital, s.code) in cities, s.code
    assert gaz.postal_subject("394018") == "RU-VOR"
    assert gaz.postal_subject("308015") == "RU-BEL"
    assert gaz.postal_subject("305040") == "RU-KRS"
    assert gaz.postal_subject("398055") == "RU-LIP"
    assert gaz.postal_subject("392000") == "RU-TAM"
    assert gaz.postal_subject("662970") == "RU-KYA"
    assert gaz.postal_subject("12345") is None


def test_names_shared_by_several_subjects_are_kept_apart(gaz):
    subjects = {}
    for c in gaz.cities:
        subjects.setdefault(c.name_ru, set()).add(c.subject)
    assert subjects["Железногорск"] == {"RU-KRS", "RU-KYA"}
    assert subjects["Кировск"] == {"RU-MUR", "RU-LEN"}
    assert subjects["Троицк"] == {"RU-MOW", "RU-CHE"}
    assert subjects["Краснознаменск"] == {"RU-MOS", "RU-KGD"}


def test_organizations_include_the_cbe_universities(gaz):
    by_id = {o.id: o for o in gaz.organizations}
    assert (by_id["vsu"].subject, by_id["bsu-bel"].subject, by_id["swsu"].subject) == ("RU-VOR", "RU-BEL", "RU-KRS")
    assert (by_id["lstu"].subject, by_id["tsu-tmb"].subject) == ("RU-LIP", "RU-TAM")
    assert "ЮЗГУ" in by_id["swsu"].acronyms and "ЛГТУ" in by_id["lstu"].acronyms
    assert len(gaz.organizations) >= 250


def test_user_gazetteer_adds_and_overrides_and_reports_bad_rows(tmp_path):
    user = tmp_path / "mine.csv"
    user.write_text(
        "kind,alias,subject,city,organization,country\n"
        "organization,Институт хороших идей,RU-LIP,Липецк,Институт хороших идей,\n"
        "city,Zheleznogorsk,RU-KYA,Железногорск,,\n"
        "city,Nowhere,RU-XXX,,,\n"
        "planet,Mars,,,,\n",
        encoding="utf-8",
    )
    gaz = read_gazetteer(user_file=user)
    assert [(r.line, r.reason) for r in gaz.rejects] == [
        (4, "unknown subject code 'RU-XXX'"),
        (5, "kind 'planet' is not one of city, organization, subject, country, not_place"),
    ]
    m = Matcher(gazetteer=gaz)
    p = m.locate("Институт хороших идей")
    assert (p.region, p.organization) == ("RU-LIP", "Институт хороших идей")
    assert p.evidence[0]["rule"] == "user-organization"
    p = m.locate("Zheleznogorsk, Russia")  # shipped: ambiguous (Kursk or Krasnoyarsk); user: Krasnoyarsk
    assert p.region == "RU-KYA"
