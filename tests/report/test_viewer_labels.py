"""The report's map viewer shows a label as VOSviewer does, without bibmine's invisible WORD JOINER."""

from __future__ import annotations

from bibmine.report.viewer import viewer_data


def test_number_like_label_loses_the_word_joiner():
    doc = {"network": {"items": [{"id": 1, "label": "1e3\u2060", "x": 0.1, "y": 0.2, "cluster": 1,
                                  "weights": {"Occurrences": 3}},
                                 {"id": 2, "label": "soil", "x": 0.3, "y": 0.4, "cluster": 1,
                                  "weights": {"Occurrences": 2}}],
                       "links": [{"source_id": 1, "target_id": 2, "strength": 1}]}}
    data, problems = viewer_data(doc)
    assert [item[0] for item in data["items"]] == ["1e3", "soil"] and problems == []
