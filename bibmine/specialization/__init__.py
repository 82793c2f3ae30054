"""specialization stage of bibmine: coefficients, managerial matrices, scenario models.

See ``../shared/spec/METHOD.md``. Modules: :mod:`.inputs` (tidy CSV/XLSX), :mod:`.counting` (S&T
counts from classified records), :mod:`.coefficients` (location quotients, intervals),
:mod:`.concordance`, :mod:`.matrix` and :mod:`.render` (managerial matrices), :mod:`.scenario`,
:mod:`.relatedness` (possible-to-develop competences), :mod:`.heatmap` (PNG/SVG), :mod:`.case`
(the bundled Central Black Earth case) and :mod:`.cli` (``bibmine specialization``); the national
reference of the S&T ratio: :mod:`.baseline` (one table format), :mod:`.st_ratios` (ratios per year or
pooled, minimum count), :mod:`.study_st` (a study's S&T section) and :mod:`.baseline_cli`
(``bibmine baseline``), see docs/baseline.md.

Names are imported on first use (``bibmine._exports``), so ``bibmine specialization --help`` loads no
pandas.
"""

from bibmine._exports import lazy_exports

_TABLE = {
    "run_bundled_case": "bibmine.specialization.case",
    "is_competence": "bibmine.specialization.coefficients", "location_quotients": "bibmine.specialization.coefficients",
    "read_concordance": "bibmine.specialization.concordance",
    "Weights": "bibmine.specialization.counting", "count_st": "bibmine.specialization.counting",
    "read_coefficients": "bibmine.specialization.inputs", "read_values": "bibmine.specialization.inputs",
    "managerial_matrix": "bibmine.specialization.matrix", "scenario_model": "bibmine.specialization.scenario",
}
__all__ = sorted(_TABLE)
__getattr__, __dir__ = lazy_exports(__name__, _TABLE)
