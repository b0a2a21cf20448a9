"""The package layout follows the data: a stage imports only lower stages and the shared leaves.

Order: text < mt < glossary < aligner < tmx, xliff (export, may use each other) < scoring
< run, review (the two applications) < cli. Two checks:
what importing each stage package actually loads (``sys.modules``, one fresh
interpreter per stage), and every import statement in the source, including those
inside functions, so a deferred import cannot hide a dependency on a later stage.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "align"

LEAVES = {"model", "errors", "fsutil", "xmlsafe", "cachedir", "inlinexml", "langtags", "paths",
          "limits", "interrupts"}  # fmt: skip
LEVEL = {"text": 1, "mt": 2, "glossary": 3, "aligner": 4, "tmx": 5, "xliff": 5, "scoring": 6,
         "run": 7, "review": 7, "cli": 8}  # fmt: skip
# Packages of one stage that may use each other: the export formats share inline-code and
# language-tag handling.
GROUP = {"tmx": "export", "xliff": "export"}
STAGES = [s for s in LEVEL if s != "cli"]


def _part(module: str) -> str | None:
    """The stage or leaf an ``align.*`` module belongs to (None for ``align`` itself)."""
    parts = module.split(".")
    if parts[0] != "align" or len(parts) == 1:
        return None
    return parts[1]


def _allowed(importer: str, imported: str) -> bool:
    if imported == importer or imported in LEAVES:
        return True
    if importer in LEAVES:
        return False
    if GROUP.get(imported, imported) == GROUP.get(importer, importer):
        return True
    return LEVEL[imported] < LEVEL[importer]


def test_every_module_has_a_place():
    top = {p.stem for p in PKG.glob("*.py")} - {"__init__", "__main__"}
    packages = {p.parent.name for p in PKG.glob("*/__init__.py")}
    assert top == LEAVES, "a new top-level module must be placed in a stage or declared a leaf"
    assert packages == set(LEVEL), "a new sub-package must be given a level here"


@pytest.mark.parametrize("stage", [*STAGES, *sorted(LEAVES)])
def test_importing_a_stage_loads_no_later_stage(stage):
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module('align.{stage}')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('align.'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    assert f"align.{stage}" in loaded
    wrong = [m for m in loaded if not _allowed(stage, _part(m))]
    assert wrong == [], f"importing align.{stage} loads later stages: {wrong}"


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute ``align.*`` import in a file, wherever it sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("align")]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            if node.module and node.module.startswith("align"):
                names = [f"{node.module}.{a.name}" for a in node.names]
                found += [(node.lineno, node.module if node.module != "align" else n)
                          for n in names]  # fmt: skip
    return found


def test_no_import_statement_reaches_a_later_stage():
    problems = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.as_posix() in ("align/__init__.py", "align/__main__.py"):
            continue  # the public API facade loads everything lazily, by design
        importer = rel.parts[1] if len(rel.parts) > 2 else rel.stem
        for line, module in _imports(path):
            target = _part(module)
            if target is None or target == "__version__":
                continue
            if not _allowed(importer, target):
                problems.append(f"{rel}:{line} ({importer}) imports {module}")
    assert problems == []


def test_the_static_check_sees_deferred_imports(tmp_path):
    """The scan above must see an import inside a function body (the easy way to cheat)."""
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from align.tmx import write_tmx\n    return write_tmx\n")
    assert _imports(sample) == [(2, "align.tmx")]
    assert not _allowed("aligner", "tmx") and _allowed("tmx", "aligner")
    assert not _allowed("tmx", "scoring") and not _allowed("errors", "text")


def test_import_align_is_cheap():
    """``import align`` loads no stage and no heavy library until a name is used."""
    code = (
        "import json, sys, align\n"
        "before = sorted(m for m in sys.modules if m.startswith('align.') or m in "
        "('numpy', 'lxml', 'click', 'ctranslate2'))\n"
        "align.read_tmx\n"
        "print(json.dumps([before, 'align.tmx' in sys.modules, 'align.mt' in sys.modules]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [[], True, False]
