"""report stage of bibmine: a study folder into one self-contained HTML report and an Excel workbook.

    from bibmine.report import build_report
    paths = build_report("bibmine-demo", lang="ru")   # {"report": Path, "workbook": Path}

``write_comparison`` writes the files of a manual-vs-automatic rubric comparison (the analysis
itself is ``bibmine.rubrics.compare``). Names are imported on first use (``bibmine._exports``).
"""

from bibmine._exports import lazy_exports

_TABLE = {
    "build_report": "bibmine.report.build", "write_workbook": "bibmine.report.workbook",
    "StudyFolder": "bibmine.report.folder", "write_comparison": "bibmine.report.compare",
}
__all__ = sorted(_TABLE)
__getattr__, __dir__ = lazy_exports(__name__, _TABLE)
