"""Vocabulary package data, record text, label files."""

from __future__ import annotations

import re

import pytest

from bibmine.corpus.model import Record, Text, Venue
from bibmine.rubrics.labels import read_labels
from bibmine.rubrics.text import MAX_CHARS, lemmatize, record_text
from bibmine.rubrics.train import vocabulary_set
from bibmine.rubrics.vocabulary import load_vocabulary, normalize_code

from .conftest import SHARED


def test_vocabulary_counts_and_withdrawn_flag():
    v = load_vocabulary()
    assert len(v.codes(1)) == 69
    assert len(v.codes(2, include_excluded=True)) == 862
    assert len(v.codes(3, include_excluded=True)) == 7047
    withdrawn = [c for c in v.codes(2, include_excluded=True) if v[c].excluded]
    assert len(withdrawn) == 7 and not set(withdrawn) & set(v.codes(2))
    assert v["06"].name_en == "Economics and economic sciences"
    assert v["68.05"].parent == "68" and v["68.05"].level == 2


def test_description_has_sub_rubrics_but_no_boilerplate():
    d = load_vocabulary().description("27", depth=1)
    assert d.startswith("Математика. ")
    assert "Алгебра" in d and "Теория вероятностей и математическая статистика" in d
    assert "Общие вопросы" not in d


def test_every_rubric_has_an_english_name_and_english_descriptions():
    v = load_vocabulary()
    levels23 = [r for r in v.rubrics.values() if r.level > 1]
    assert len(levels23) == 862 + 7047
    assert all(r.name_en and not re.search("[а-яё]", r.name_en, re.I) for r in levels23)
    assert v["27.43"].name_en == "Probability theory and mathematical statistics"
    d = v.description("27", depth=1, lang="en")
    assert d.startswith("Mathematics. ") and "Algebra; Topology" in d
    assert "General issues" not in d


def test_vocabulary_rows_in_both_languages():
    ru = vocabulary_set()
    both = vocabulary_set(langs=("ru", "en"))
    assert len(ru) == 862 - 7 + 7047 - 85 and len(both) == 2 * len(ru)
    i = both.groups.index("vocabulary:en:27.17.19")
    assert both.texts[i] == "Mathematics. Algebra. Rings and modules" and both.labels[i] == "27"


@pytest.mark.parametrize("raw,level,code", [
    ("650000", None, "65"), ("60000", None, "06"), ("271700", None, "27.17"), ("06. экономика", None, "06"),
    ("34.17. Биология / Биофизика", None, "34.17"), ("06.81.23", 1, "06"), ("нет кода", None, None), ("5", None, "05"),
])
def test_normalize_code(raw, level, code):
    assert normalize_code(raw, level=level) == code


def test_record_text_joins_titles_abstract_keywords_venue_and_truncates():
    r = Record(titles=[Text("Почвы Воронежа", "ru"), Text("Soils of Voronezh", "en")],
               abstracts=[Text("Изучены  <b>черноземы</b> &amp; их плодородие.", "ru")],
               author_keywords=["чернозем"], indexed_keywords=["чернозем", "soil"], venue=Venue(name="Почвоведение"))
    assert record_text(r) == ("Почвы Воронежа. Soils of Voronezh. Изучены черноземы & их плодородие. "
                              "Ключевые слова: чернозем; soil. Почвоведение")
    long = Record(titles=[Text("слово " * 2000)])
    assert len(record_text(long)) <= MAX_CHARS
    assert record_text(Record()) == ""


def test_lemmatize_russian_keeps_english():
    assert lemmatize("Черноземы Воронежской области and soils") == "чернозем воронежский область and soils"


@pytest.mark.skipif(not (SHARED / "labeled").is_dir(), reason="needs ../shared/data/grnti/labeled/")
def test_read_shared_label_files():
    valid = read_labels(SHARED / "labeled" / "gisnauka_samples_valid.csv")
    assert len(valid) == 1419 and not valid.rejects
    assert valid.labels[0] == "47" and valid.fine[0] == ("47.14.03",)
    assert valid.label_sets[1] == {"15"}
    rusci = read_labels(SHARED / "labeled" / "rusci_bench_grnti_sample20.jsonl")
    assert len(rusci) == 20 and rusci.labels[0] == "65" and "06" in rusci.labels  # "60000" = 06
    jelly = read_labels(SHARED / "labeled" / "jellywilliam_abstracts_ru_grnti.csv")
    assert len(jelly) == 644 and jelly.labels[0] == "50"


def test_bad_rows_are_rejected_with_row_numbers(tmp_path):
    p = tmp_path / "labels.csv"
    p.write_text("text,code\nхороший текст,27\n,31\nтекст без кода,xx\n", encoding="utf-8")
    data = read_labels(p)
    assert data.texts == ["хороший текст"] and data.labels == ["27"]
    assert data.rejects == [("row 3", "no text"), ("row 4", "no GRNTI code in code='xx'")]
