"""The notebooks run top to bottom (code cells executed in order, headless matplotlib)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_notebook_runs(notebook: Path, tmp_path: Path):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    script = tmp_path / "nb.py"
    # the last expression of each cell is only displayed in Jupyter; here it just has to evaluate
    script.write_text("import matplotlib\nmatplotlib.use('Agg')\n" + code + "\nprint('NOTEBOOK-OK', findings.height)\n")
    # the notebook imports this checkout's toolkit, not whichever one is installed
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT / "notebooks", env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "NOTEBOOK-OK" in proc.stdout
