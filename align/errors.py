"""Errors that the CLI turns into one line on stderr and exit code 2."""

from __future__ import annotations

from pathlib import Path


class AlignError(Exception):
    """A user-facing problem: bad input, missing model, unwritable output.

    ``path`` names the file the problem is about, so the message can always
    start with it; library callers can inspect both parts.
    """

    exit_code = 2

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = None if path is None else str(path)
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem


class InputError(AlignError):
    """The input file is missing, unreadable, empty or not in the expected format."""


class OutputError(AlignError):
    """An output cannot be written (no permission, disk full, a folder in the way); the
    existing file, if any, is left as it was (outputs are written atomically)."""


class InvalidXmlCharError(OutputError):
    """Text holds a character XML 1.0 cannot store (most C0 controls, U+FFFE/U+FFFF).

    The library does not know the command it runs under, so its message names
    no option; a command that has ``--replace-invalid-chars`` re-raises
    :meth:`with_hint` so the hint only ever names an option that exists there.
    """

    def __init__(self, path: str | Path | None, problem: str) -> None:
        super().__init__(path, problem)
        self.base_problem = problem

    def with_hint(self, option: str = "--replace-invalid-chars") -> InvalidXmlCharError:
        hinted = InvalidXmlCharError(self.path, f"{self.base_problem} or rerun with {option}")
        hinted.base_problem = self.base_problem
        return hinted


def warn(path: str | Path | None, problem: str) -> None:
    """One warning line on standard error, ``align: warning: PATH: PROBLEM``; work goes on."""
    import sys

    where = f"{path}: " if path else ""
    print(f"align: warning: {where}{problem}", file=sys.stderr, flush=True)
