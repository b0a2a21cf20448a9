"""align and argostranslate share one models folder: each lists what the other installed.

Both sides run in subprocesses with HOME and the XDG folders pointed at a temp dir,
because ``argostranslate.settings`` resolves (and creates) its folders at import time.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mt_fixtures import fixture_archives  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]

needs_argos = pytest.mark.skipif(
    importlib.util.find_spec("argostranslate") is None,
    reason="argostranslate (the argos extra, in dev) is not installed",
)


def _env(home: Path, xdg: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_", "SNAP"))}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    if xdg:
        env.update(XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_CACHE_HOME=str(home / "cache"))  # fmt: skip
    return env


def _python(code: str, env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _align(args: list[str], env: dict[str, str], cwd: Path) -> str:
    code = f"import sys; sys.argv = ['align', *{args!r}]; from align.cli import main; main()"
    return _python(code, env, cwd)


@needs_argos
def test_align_lists_what_argostranslate_installed(tmp_path, fixture_archives):  # noqa: F811
    xdg = True  # XDG_DATA_HOME set: both tools use it
    home = tmp_path / "home"
    home.mkdir()
    archive = fixture_archives[("en", "ru")]
    _python(
        "import pathlib, argostranslate.package as p; "
        f"p.install_from_path(pathlib.Path({str(archive)!r}))",
        _env(home, xdg),
        tmp_path,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listing = json.loads(_align(["models", "list", "-f", "json"], _env(home, xdg), elsewhere))
    expected_root = (home / "data" if xdg else home / ".local" / "share") / "argos-translate"
    assert Path(listing["packages_dir"]) == expected_root / "packages"
    assert [(p["name"], p["from"], p["to"]) for p in listing["packages"]] == [
        ("translate-en_ru-fixture", "en", "ru")
    ]


@needs_argos
def test_argostranslate_lists_what_align_installed(tmp_path, fixture_archives):  # noqa: F811
    xdg = False  # no XDG variables: both tools fall back to ~/.local/share
    home = tmp_path / "home"
    home.mkdir()
    workdir = tmp_path / "project"
    workdir.mkdir()
    _align(["models", "install", str(fixture_archives[("ru", "en")])], _env(home, xdg), workdir)
    assert not (workdir / ".models").exists()
    out = _python(
        "from argostranslate.package import get_installed_packages; "
        "print(sorted((p.from_code, p.to_code, p.package_path.name) for p in get_installed_packages()))",
        _env(home, xdg),
        tmp_path,
    )
    assert out.strip() == "[('ru', 'en', 'translate-ru_en-fixture')]"


def test_models_list_old_json_flag_still_works(tmp_path, fixture_archives):  # noqa: F811
    from click.testing import CliRunner

    from align.cli import main

    root = tmp_path / "pk"
    res = CliRunner().invoke(
        main,
        ["models", "--packages-dir", str(root), "install", str(fixture_archives[("en", "ru")])],
    )
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["models", "--packages-dir", str(root), "list", "--json"])
    assert res.exit_code == 0, res.output
    assert "deprecated: --json is now --format json" in res.stderr
    assert [p["name"] for p in json.loads(res.stdout)["packages"]] == ["translate-en_ru-fixture"]
