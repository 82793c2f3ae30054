"""Terms of issue 21: stop terms, single letters, compounds, adjective endings, markup (INVENTED sentences),
and the terms map of the WoS samples (skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibmine.maps.terms import TermExtractor, stop_terms

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "samples"


def terms(text: str, lang: str = "en") -> list[str]:
    return [k for k, _ in TermExtractor().phrases(text, lang)]


def test_compound_terms_stay_whole():
    assert terms("Security of the Internet of Things devices is studied.") == ["security", "internet of thing device"]
    assert "thing" not in terms("The Internet of Things grows.")


def test_no_single_letters_no_stop_terms_no_lone_adjectives():
    got = terms("Vol. 12, pp. 3-9. The k nearest neighbours of x are logarithmic and longitudinal. "
                "We emphasize the existence of a signal.")
    assert "vol" not in got and "pp" not in got and "existence" not in got
    assert not any(len(t) == 1 for t in got) and "logarithmic" not in got and "longitudinal" not in got
    assert "signal" in got and "nearest neighbour" in got


def test_markup_is_stripped_before_chunking():
    assert terms("Thin films of yba<inf>2</inf>cu<inf>3</inf>o<inf>7</inf> on <i>strontium titanate</i>.") == [
        "thin film", "strontium titanate"]


def test_a_russian_title_tagged_english_is_read_as_russian():
    from bibmine.corpus.model import Record, Text

    record = Record(titles=[Text("Метаболизм эстрогенов в позднем репродуктивном периоде", "en")])
    assert [k for k, _ in TermExtractor().record_terms(record)] == ["метаболизм эстрогенов",
                                                                     "поздний репродуктивный период"]


def test_russian_stop_terms_and_letters():
    assert "статья" in stop_terms("ru")
    got = terms("В статье рассмотрены инновационные кластеры региона, т. е. кластерная политика.", "ru")
    assert "статья" not in got and "т" not in got and "инновационный кластер региона" in got


def test_an_acronym_defined_in_a_record_becomes_its_long_form():
    assert terms("We adopt the Goos-Hanchen (GH) shift. The GH shift of both beams is large.") == [
        "goos-hanchen shift", "goos-hanchen shift", "beam"]
    assert terms("Home-based self-testing (HBST) kits. Users of HBSTs were interviewed.") == [
        "home-based self-testing kit", "user", "home-based self-testing"]
    assert terms("Security of the Internet of Things (IoT) devices. IoT devices are cheap.") == [
        "security", "internet of thing device", "internet of thing device"]


def test_a_title_uses_the_acronym_its_abstract_defines():
    from bibmine.corpus.model import Record, Text

    record = Record(titles=[Text("BLE beacons for indoor positioning", "en")],
                    abstracts=[Text("Bluetooth Low Energy (BLE) beacons are placed in rooms.", "en")])
    assert [k for k, _ in TermExtractor().record_terms(record)] == [
        "bluetooth low energy beacon", "indoor positioning", "bluetooth low energy beacon", "room"]


def test_undefined_acronyms_across_the_corpus():
    """INVENTED titles: UAV defined in one record expands in another; GIS in three records stays; TMN in one goes."""
    from bibmine.corpus.model import Record, Text
    from bibmine.maps.collect import collect

    titles = ["Unmanned aerial vehicle (UAV) imagery of wheat fields", "UAV images and the TMN index of wheat fields",
              "GIS maps of soil", "GIS layers for soil erosion", "A GIS of soil carbon"]
    inc = collect([Record(titles=[Text(t, "en")]) for t in titles], "terms")
    assert {"unmanned aerial vehicle image", "gis map", "gis", "wheat field"} <= set(inc.keys)
    assert not [k for k in inc.keys if "uav" in k.split() or "tmn" in k.split()]
    assert inc.stats["terms_with_rare_acronyms"] == 1
    assert inc.matrix.shape == (5, len(inc.keys))


def test_acronym_detection():
    from bibmine.maps.acronyms import find_definitions, is_acronym, long_form

    assert is_acronym("BLE") and is_acronym("IoT") and is_acronym("mRNA")
    assert not is_acronym("II") and not is_acronym("McDonald") and not is_acronym("A") and not is_acronym("Soil")
    assert long_form("IRT", 'containing the "item response theory"') == "item response theory"
    assert long_form("PCs"[:-1], "weights from pairwise comparisons") == "pairwise comparisons"
    assert find_definitions("carbon dioxide (CO2) and phase (II) of the STUDY (WITH CAPS)") == {}
    assert find_definitions("THE GOOS-HANCHEN (GH) SHIFT IN CAPITALS") == {}
    from bibmine.maps.acronyms import expand_text

    ru = "Валовой региональный продукт (ВРП) растет. Рост ВРП связан с инновациями."
    assert find_definitions(ru) == {"ВРП": "Валовой региональный продукт"}
    assert expand_text(ru, find_definitions(ru)) == ("Валовой региональный продукт растет. "
                                                      "Рост ВРП связан с инновациями.")  # Russian uses stay


def test_ing_and_ed_words():
    got = terms("By measuring the contact tracing app usage, supervised learning and infrared spectroscopy were "
                "compared. Missing values are missing. The matrix is incomplete. Unmanned aerial vehicles fly.")
    assert got[:4] == ["contact tracing app usage", "supervised learning", "infrared spectroscopy", "missing value"]
    assert "unmanned aerial vehicles fly" in got or "unmanned aerial vehicle" in got  # "fly": an unlisted verb
    assert not {"measuring", "missing", "incomplete", "learning"} & set(got)
    assert terms("A home-based self-testing kit was completed.") == ["home-based self-testing kit"]
    assert terms("Completing missing judgments is hard.") == ["missing judgment"]


@pytest.mark.skipif(not (SAMPLES / "wos_plaintext").is_dir(),
                    reason="needs ../shared/data/samples/wos_plaintext (real WoS exports)")
def test_terms_map_of_the_wos_samples(tmp_path):
    from bibmine.corpus.importer import import_files
    from bibmine.corpus.store import Corpus
    from bibmine.maps.build import MapOptions, build_network

    path = tmp_path / "wos.sqlite"
    with Corpus(path) as corpus:
        import_files(corpus, sorted((SAMPLES / "wos_plaintext").glob("*.txt")), processes=1)
        g = build_network(corpus.iter_works(), "terms", MapOptions(min_occurrences=2))
    labels = [d["label"] for _, d in g.nodes(data=True)]
    assert len(labels) > 50
    words = {w for label in labels for w in label.split()}
    assert not any(len(w) == 1 for w in words)
    assert not {"vol", "thing", "emphasize", "existence", "logarithmic", "appear"} & set(labels)
    # acronyms that one abstract uses without defining them are no terms; defined ones became their long forms
    assert not {"bcm", "tmn", "hbst", "pcs", "dgip", "gci", "gh shift"} & set(labels)
    assert {"cerebellum", "neural network", "transverse displacement", "multidimensional scaling"} <= set(labels)


def test_spellings_with_and_without_hyphens_are_one_term():
    """INVENTED titles: "light-beam" twice, "light beam" once: one term, shown as written more often."""
    from bibmine.corpus.model import Record, Text
    from bibmine.maps.collect import collect

    titles = ["Reflection of a light-beam", "A light-beam at an interface", "The light beam of a laser"]
    inc = collect([Record(titles=[Text(t, "en")]) for t in titles], "terms")
    k = inc.keys.index("light beam")
    assert inc.labels[k] == "light-beam" and inc.matrix[:, k].sum() == 3
