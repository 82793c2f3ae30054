"""Managerial matrix cells name their rubrics on hover, not only by code (issue 22)."""

from __future__ import annotations

import re
from html import unescape

from bibmine.specialization.vocab import Names


def test_matrix_cells_carry_rubric_names(built):
    html = built["en"]["report"].read_text(encoding="utf-8")
    names = Names(None, "en")
    cells = re.findall(r'<td class="matrix[^"]*"[^>]*?(?: title="([^"]*)")?>([^<]*)<', html)
    coded = [(unescape(tip), unescape(text)) for tip, text in cells if "S&T:" in unescape(text)]
    assert coded, "no matrix cell with S&T competences"
    for tip, text in coded:
        codes = re.findall(r"\b\d{2}\b", text.partition(";")[2])
        parts = [t.partition(" ") for t in tip.split("; ")]
        assert [code for code, _, _ in parts] == codes, text  # each code of the cell, in its order
        assert all(name and not name.isdigit() for _, _, name in parts), tip  # each with a name
    # names as the study's coefficients give them, else the GRNTI vocabulary's
    assert names.rubric("65") == "Food industry"
    assert "Food industry" in {t.partition(" ")[2] for tip, _ in coded for t in tip.split("; ")}
