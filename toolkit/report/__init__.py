"""Reports for auditors: report.html, workpapers.xlsx and review decisions (``reviews.csv``).

Data flows findings -> :mod:`toolkit.rank` -> here. Everything reads one ``screen`` output
directory; :func:`write_reports` is the single entry point (``yibao-audit report DIR`` and the
end of ``screen``).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)


def write_reports(out_dir: Path | str, *, mask: bool = True) -> dict[str, Path]:
    """Write ``DIR/report.html`` and ``DIR/workpapers.xlsx`` from a screen output directory.

    Personal data is masked unless ``mask=False``. Risk is 0–100 in both, as in the run's
    ``ranking.csv`` (written by the screening job, ``toolkit.job.outputs``).
    Returns {"html": path, "xlsx": path}.
    """
    from toolkit.report.data import load_report_data
    from toolkit.report.html import write_html
    from toolkit.report.workpapers import write_workpapers

    t0 = time.perf_counter()
    log.info("writing reports for %s", out_dir)
    data = load_report_data(out_dir, mask=mask)
    paths = {"html": write_html(data), "xlsx": write_workpapers(data)}
    log.info("reports for %s written in %.1f s", out_dir, time.perf_counter() - t0)
    return paths


__all__ = ["write_reports"]
