"""specialization stage of bibmine: coefficients, managerial matrices, scenario models.

See ``../shared/spec/METHOD.md``. Modules: :mod:`.inputs` (tidy CSV/XLSX), :mod:`.counting` (S&T
counts from classified records), :mod:`.coefficients` (location quotients, intervals),
:mod:`.concordance`, :mod:`.matrix` and :mod:`.render` (managerial matrices), :mod:`.scenario`,
:mod:`.relatedness` (possible-to-develop competences), :mod:`.heatmap` (PNG/SVG), :mod:`.case`
(the bundled Central Black Earth case) and :mod:`.cli` (``bibmine specialization``); the national
reference of the S&T ratio: :mod:`.baseline` (one table format), :mod:`.st_ratios` (ratios per year or
pooled, minimum count), :mod:`.study_st` (a study's S&T section) and :mod:`.baseline_cli`
(``bibmine baseline``), see docs/baseline.md.
"""

from bibmine.specialization.case import run_bundled_case
from bibmine.specialization.coefficients import is_competence, location_quotients
from bibmine.specialization.concordance import read_concordance
from bibmine.specialization.counting import Weights, count_st
from bibmine.specialization.inputs import read_coefficients, read_values
from bibmine.specialization.matrix import managerial_matrix
from bibmine.specialization.scenario import scenario_model

__all__ = ["Weights", "count_st", "is_competence", "location_quotients", "managerial_matrix",
           "read_coefficients", "read_concordance", "read_values", "run_bundled_case", "scenario_model"]
