"""The import graph of ``toolkit/``: no cycle, and no module imports one from a layer above its own.

Read from the source with ``ast`` (nothing is imported), counting every ``import`` -- also those
inside functions, which only delay an import -- except those under ``if TYPE_CHECKING:``.
A module importing its own enclosing package (``toolkit.checks.registry`` importing
``toolkit.checks`` so that every check module registers) is not counted: a package's
``__init__`` is where its parts are gathered, not a layer of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"

# Lowest first. A module may import from its own layer or any layer below, never above.
# The longest matching prefix places a module; every module must be placed.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # declarations and utilities every layer may use (frame schemas are declarations: extraction
    # produces frames, so they sit below it)
    ("core", ("toolkit.model", "toolkit.kinds", "toolkit.settings", "toolkit.schemas", "toolkit.normalize",
              "toolkit.reference", "toolkit.executor", "toolkit.executor_dask")),
    ("loaders", ("toolkit.loaders", "toolkit.render")),  # read formats / write them (parity tests, synth)
    ("extract", ("toolkit.extract",)),
    ("findings", ("toolkit.findings",)),  # hits -> finding rows; the check engine calls it
    ("claims", ("toolkit.claims",)),  # numbers stated in the text, typed and resolved; checks judge them
    ("checks", ("toolkit.checks", "toolkit.peers")),
    ("rank", ("toolkit.rank",)),
    ("store", ("toolkit.store", "toolkit.shareable")),
    ("report", ("toolkit.report",)),
    ("job", ("toolkit.job",)),  # the screening job's config, cache, history, diff and outputs; pipeline uses it
    ("pipeline", ("toolkit.pipeline", "toolkit.inputs", "toolkit.worker", "toolkit.batching")),
    ("tools", ("toolkit.bench", "toolkit.evaluate", "toolkit.synth", "toolkit.ocr_accuracy", "toolkit.mutate",
               "toolkit.fuzz")),
    ("cli", ("toolkit.cli", "toolkit")),  # the package top level is the public API over the pipeline
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(TOOLKIT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(TOOLKIT.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skip.update(id(n) for n in ast.walk(node))
    return skip


def import_graph() -> dict[str, set[str]]:
    """module -> the toolkit modules it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _type_checking_nodes(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                targets.update(_resolve(a.name, modules) for a in node.names if a.name.startswith("toolkit"))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                if not base.startswith("toolkit"):
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else _resolve(base, modules))
        ancestors = {name.rsplit(".", k)[0] for k in range(1, name.count(".") + 1)}
        graph[name] = {t for t in targets if t and t != name and t not in ancestors}
    return graph


# Upward imports allowed by name, each with its reason. Keep this list short: each entry is a debt.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    ("toolkit.loaders.text", "toolkit.extract.text_grid"): (
        "plain text has no table markup: the text loader rebuilds tables printed as text while it still "
        "knows line numbers and blank lines, and needs the title rules of extraction to tell a title from a row"
    ),
}


def layer_of(module: str) -> int | None:
    best, best_len = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


GRAPH = import_graph()


def test_the_graph_is_read_from_the_source() -> None:
    assert "toolkit.pipeline" in GRAPH and "toolkit.store" in GRAPH["toolkit.pipeline"]
    assert "toolkit.extract.document" in GRAPH["toolkit.worker"]


def test_no_import_cycle() -> None:
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH) or [])


def test_cycle_finder_finds_a_planted_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"b"}}) is None


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in GRAPH if layer_of(m) is None)
    assert not unplaced, f"add these modules to LAYERS in {Path(__file__).name}: {unplaced}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_from_a_higher_layer(module: str) -> None:
    own = layer_of(module)
    if own is None:
        pytest.skip("not placed (see test_every_module_has_a_layer)")
    upward = sorted(
        f"{target} ({LAYERS[layer][0]})"
        for target in GRAPH[module]
        if (layer := layer_of(target)) is not None and layer > own and (module, target) not in ALLOWED_UPWARD
    )
    assert not upward, f"{module} ({LAYERS[own][0]}) imports from a higher layer: {upward}"


def test_import_toolkit_is_light() -> None:
    """``import toolkit`` loads no data library: the public names are imported on first use."""
    import subprocess
    import sys

    code = "import sys, toolkit; print(sorted(m for m in ('polars', 'pyarrow', 'toolkit.pipeline') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=TOOLKIT.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
