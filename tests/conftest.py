"""Suite-wide rules.

Tests that read the real files of ``../shared`` skip, saying why, on a clone without it; where
``../shared`` is present, such a skip is a failure (issue 23.5): CI, which has it, must run them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and SHARED.is_dir()) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if "shared" in reason:
        report.outcome = "failed"
        report.longrepr = f"skipped although {SHARED} exists ({reason}): a real-file test must run here"
