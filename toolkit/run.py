"""Former home of the orchestrator; its parts now live one job per module.

``ingest``/``screen`` and the result types are in :mod:`toolkit.pipeline`, input walking in
:mod:`toolkit.inputs`, the per-file worker and its deadline in :mod:`toolkit.worker`, the run
directory and Parquet storage in :mod:`toolkit.store`, batching in :mod:`toolkit.batching`, the
batch merge of check results in :mod:`toolkit.checks.merge`. The names below resolve there, so
``from toolkit.run import screen`` keeps working.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_MOVED = {
    "ingest": "toolkit.pipeline",
    "screen": "toolkit.pipeline",
    "load_frames": "toolkit.pipeline",
    "RunResult": "toolkit.pipeline",
    "ScreenResult": "toolkit.pipeline",
    "ProgressCallback": "toolkit.pipeline",
    "collect_files": "toolkit.inputs",
    "COMPANION_SUFFIXES": "toolkit.inputs",
    "FileTask": "toolkit.worker",
    "FileResult": "toolkit.worker",
    "process_file": "toolkit.worker",
    "soft_deadline": "toolkit.worker",
    "hard_budget": "toolkit.worker",
    "file_budget": "toolkit.worker",
    "document_id_for": "toolkit.worker",
    "failure_frames": "toolkit.extract.document_row",
    "ParquetFrames": "toolkit.store",
    "FrameSink": "toolkit.store",
    "RunDir": "toolkit.store",
    "PhaseTimes": "toolkit.batching",
    "CheckAccumulator": "toolkit.checks.merge",
    "merge_check_outputs": "toolkit.checks.merge",
    "BATCH_DOCS": "toolkit.settings",
}

__all__ = sorted(_MOVED)


def __getattr__(name: str) -> Any:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.run' has no attribute {name!r}")
    return getattr(import_module(module), name)
