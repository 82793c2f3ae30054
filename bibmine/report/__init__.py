"""report stage of bibmine: a study folder into one self-contained HTML report and an Excel workbook.

    from bibmine.report import build_report
    paths = build_report("bibmine-demo", lang="ru")   # {"report": Path, "workbook": Path}

``write_comparison`` writes the files of a manual-vs-automatic rubric comparison (the analysis
itself is ``bibmine.rubrics.compare``). Names are imported on first use (``bibmine._exports``).
"""

from bibmine._exports import lazy_exports

_TABLE = {
    "build_report": "bibmine.report.build", "write_workbook": "bibmine.report.workbook",
    "StudyFolder": "bibmine.report.folder",
}
__all__ = sorted([*_TABLE, "write_comparison"])
_getattr, _ = lazy_exports(__name__, _TABLE)


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> object:
    if name == "write_comparison":
        from bibmine.report.compare import write_outputs

        return write_outputs
    return _getattr(name)
