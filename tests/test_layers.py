"""The package's layering (pyproject's [tool.importlinter]) holds, catches a violation, and the facade type-checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "thematic"
#: import-linter and mypy come with the dev extra; these tests fail (not skip) without them.
LINT = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the contract in ``cwd``'s pyproject.toml, importing thematic from ``src``."""
    env = {"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(src), "NO_COLOR": "1"}
    return subprocess.run([LINT, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_layers_contract_is_kept() -> None:
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _copy(tmp_path: Path) -> Path:
    """A copy of the package and of pyproject.toml (with its contract) under ``tmp_path``."""
    shutil.copytree(SRC, tmp_path / "src" / "thematic", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(("module", "line", "broken"), [
    # a lower layer importing a higher one: the store reaching up to the facade
    ("store/_reach_up.py", "from ..study import Study\n", "thematic.store._reach_up"),
    # a stage of `thematic code` calling back up its pipeline: planning importing the store stage
    ("coding/plan.py", "from .write import write_jobs\n", "thematic.coding.plan"),
    # even under TYPE_CHECKING an upward import counts (it is still a cycle for the type checker)
    ("context.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .study import Study\n",
     "thematic.context"),
])
def test_the_contract_fails_when_a_lower_layer_imports_a_higher_one(tmp_path: Path, module: str, line: str,
                                                                     broken: str) -> None:
    root = _copy(tmp_path)
    target = root / "src" / "thematic" / module
    target.write_text((target.read_text(encoding="utf-8") if target.exists() else "") + "\n" + line, encoding="utf-8")
    result = _lint(root, root / "src")
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout and broken in result.stdout, result.stdout


def test_no_module_of_thematic_is_part_of_an_import_cycle() -> None:
    import grimp
    graph = grimp.build_graph("thematic", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert not cycles, "import cycles: " + "; ".join(cycles)


def test_the_study_facade_type_checks() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "src/thematic/study.py"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
