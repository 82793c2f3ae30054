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


@pytest.mark.skipif(not (SAMPLES / "wos_plaintext").is_dir(), reason="../shared/data/samples is not here")
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
    assert not {"vol", "thing", "emphasize", "existence", "logarithmic"} & set(labels)
