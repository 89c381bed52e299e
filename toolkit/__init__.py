"""yibao-audit: screen medical-insurance bureau disclosures.

The public Python API (imported on first use, so ``import toolkit`` stays fast)::

    import toolkit
    result = toolkit.screen(["datasets/seeds"], "out")  # what `yibao-audit screen` writes
    result.findings, result.coverage, result.reports["html"]
    frames = toolkit.load_frames("out")                  # the canonical frames back
    toolkit.write_reports("out", mask=True)              # report.html + workpapers.xlsx again

(``toolkit.write_reports`` is :func:`toolkit.pipeline.report`; ``toolkit.report`` is the package
of the reports themselves.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "ingest": "toolkit.pipeline",
    "screen": "toolkit.pipeline",
    "write_reports": "toolkit.pipeline",  # pipeline.report; the name ``toolkit.report`` is the reports package
    "load_frames": "toolkit.pipeline",
    "RunResult": "toolkit.pipeline",
    "ScreenResult": "toolkit.pipeline",
    "RunDir": "toolkit.store",
    "PhaseTimes": "toolkit.batching",
    "Limits": "toolkit.model",
    "SerialExecutor": "toolkit.executor",
    "LocalProcessExecutor": "toolkit.executor",
}

__all__ = [
    "LocalProcessExecutor", "Limits", "PhaseTimes", "RunDir", "RunResult", "ScreenResult", "SerialExecutor",
    "__version__", "ingest", "load_frames", "screen", "write_reports",
]

if TYPE_CHECKING:
    from toolkit.batching import PhaseTimes
    from toolkit.executor import LocalProcessExecutor, SerialExecutor
    from toolkit.model import Limits
    from toolkit.pipeline import RunResult, ScreenResult, ingest, load_frames, screen
    from toolkit.pipeline import report as write_reports
    from toolkit.store import RunDir


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(import_module(module), "report" if name == "write_reports" else name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
