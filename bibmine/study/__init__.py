"""study stage of bibmine: a whole study from one TOML file, as ``bibmine run`` runs it.

    from rich.console import Console
    from bibmine.study import load_study, run_study
    runs = run_study(load_study("study.toml"), Console())   # each stage run or skipped, with its note

A stage is skipped while its key holds (its parameters, input files, the package data it reads, the
rubric model's files, bibmine's code, the stage before it) and the files it wrote are all there.
Names are imported on first use (``bibmine._exports``).
"""

from bibmine._exports import lazy_exports

_TABLE = {
    "Study": "bibmine.study.config", "ConfigError": "bibmine.study.config", "load_study": "bibmine.study.config",
    "run_study": "bibmine.study.runner", "StageRun": "bibmine.study.runner", "stage_key": "bibmine.study.runner",
}
__all__ = sorted(_TABLE)
__getattr__, __dir__ = lazy_exports(__name__, _TABLE)
