"""What the CLI test files share: running ``align`` in-process, and a work folder of inputs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from align.cli import main


def cli(*args: object, input: str | bytes | None = None) -> Result:
    """``align ARGS...`` in-process (paths may be ``Path``s); unexpected exceptions propagate."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def work_folder(folder: Path, monkeypatch, files: dict[str, str]) -> Path:
    """Make ``folder`` the current directory holding ``files`` (name: UTF-8 text)."""
    monkeypatch.chdir(folder)
    for name, text in files.items():
        Path(name).write_text(text, encoding="utf-8")
    return folder
