"""Checks on a command's input and output paths, made before any work is done.

Every command that writes calls :func:`check_outputs` first, so a mistyped
``-o`` never replaces an input (compared by inode, so symbolic and hard links
count too), never fails with a traceback after minutes of work because the
output is a folder, and two inputs never silently write the same output.
Inputs must be regular files (or ``-``): a device or a FIFO would be read
forever (``/dev/zero``) or block.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from align.errors import InputError, OutputError
from align.fsutil import file_kind, is_null_device, refuse_special, writes_in_place
from align.limits import check_input_size

PathLike = str | Path
T = TypeVar("T")


def _is_stdio(path: PathLike | None) -> bool:
    return path is None or str(path) == "-"


def check_input_file(path: PathLike) -> None:
    """Raise InputError unless ``path`` is ``-`` or an existing regular file.

    Folders, devices (``/dev/zero``), FIFOs and sockets are refused with one line.
    """
    if _is_stdio(path):
        return
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except OSError as exc:
        raise InputError(p, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(p, "is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(p, f"is not a regular file (it is a {file_kind(st.st_mode)}); give a file")


def check_inputs(paths: Iterable[PathLike | None]) -> None:
    """:func:`check_input_file` for each of ``paths`` that is given (``None`` is skipped)."""
    for path in paths:
        if path is not None:
            check_input_file(path)


def check_folder(path: PathLike | None, what: str) -> None:
    """Raise InputError when ``path`` exists but is not a folder (``what``: which one).

    A folder that does not exist yet passes: it is created when first written.
    """
    if path is not None and Path(path).exists() and not Path(path).is_dir():
        raise InputError(path, f"is a file; the {what} must be a folder")


def same_file(a: PathLike, b: PathLike) -> bool:
    """True when ``a`` and ``b`` name one file (same inode), through any links.

    A path that does not exist yet is compared by its resolved absolute name.
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _check_parent(out: Path, folder: Path, what: str = "cannot be") -> None:
    """The nearest existing ancestor of ``folder`` must be a writable folder."""
    probe = folder if str(folder) else Path(".")
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise OutputError(out, f"{what} created: {probe} is a file, not a folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(out, f"{what} written: folder {probe} is not writable")


def check_output_file(output: PathLike | None, inputs: Iterable[PathLike | None] = ()) -> None:
    """Raise OutputError when ``output`` cannot be written as a file, or is an input.

    ``None`` and ``-`` (standard output) always pass, and so do a character device
    or a FIFO (``-o /dev/null`` to time a run): they are written in place
    (:func:`align.fsutil.writes_in_place`). Refused: an existing folder, a block
    device or socket, a path under a file, a folder that is not writable, and any
    of ``inputs`` (same inode, so links count).
    """
    if _is_stdio(output):
        return
    out = Path(output)  # type: ignore[arg-type]
    refuse_special(out)
    if not writes_in_place(out):  # else nothing is created beside it
        _check_parent(out, out.parent)
    for inp in inputs:
        if _is_stdio(inp) or not Path(inp).exists():  # type: ignore[arg-type]
            continue
        if out.exists() and same_file(out, inp):  # type: ignore[arg-type]
            what = (
                "is the input" if str(inp) == str(out) else f"is the same file as the input {inp}"
            )
            raise OutputError(out, f"{what}; the output would overwrite the input, choose another")


def check_outputs(inputs: Iterable[PathLike | None], outputs: Iterable[PathLike | None]) -> None:
    """:func:`check_output_file` for each output, and no two outputs the same file.

    Only the null device is exempt (:func:`align.fsutil.is_null_device`): ``/dev/null``
    may take every output of a run. Two outputs to ``/dev/stdout`` are refused, on
    a terminal as through a pipe: their lines would interleave.
    """
    inputs = [i for i in inputs if not _is_stdio(i)]
    seen: list[Path] = []
    for output in outputs:
        if _is_stdio(output):
            continue
        check_output_file(output, inputs)
        out = Path(output)  # type: ignore[arg-type]
        if is_null_device(out):
            continue  # /dev/null takes any number of outputs
        for other in seen:
            if same_file(out, other):
                spelt = "" if str(other) == str(out) else f" (also as {other})"
                raise OutputError(out, f"is given twice as an output{spelt}")
        seen.append(out)


def check_output_dir(out_dir: PathLike) -> None:
    """Raise OutputError when ``out_dir`` exists as a file or cannot be created."""
    d = Path(out_dir)
    if d.exists() and not d.is_dir():
        what = "a file" if d.is_file() else f"a {file_kind(d.stat().st_mode)}"
        raise OutputError(d, f"is {what}; the output must be a folder")
    _check_parent(d, d, "output folder is not writable: it cannot be")


def check_distinct(pairs: Iterable[tuple[PathLike, PathLike]]) -> None:
    """Raise OutputError when two inputs would be written to the same output.

    ``pairs`` are (input, output), each input once (a file named twice is the
    caller's to merge, see :func:`once_each`); the message
    names both inputs, before any work.
    """
    owner: dict[str, PathLike] = {}
    for inp, out in pairs:
        key = os.path.normcase(os.path.abspath(out))
        if key in owner:
            raise OutputError(
                out,
                f"both {owner[key]} and {inp} would be written here; rename one of them "
                "or translate them separately",
            )
        owner.setdefault(key, inp)


def check_readable(path: PathLike) -> None:
    """:func:`check_input_file`, and the file is within the input size limit.

    For readers that load a whole file; streamed inputs (TMX) need only the first check.
    """
    check_input_file(path)
    if not _is_stdio(path):
        check_input_size(path, Path(path).stat().st_size)


def file_identity(path: PathLike) -> tuple[int, int] | str:
    """What makes two names one file: device and inode, so links and ``a/../b`` count.

    A path that cannot be looked at (missing: reported later by its reader) is
    compared by its normalised absolute name.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return os.path.normcase(os.path.abspath(path))
    return st.st_dev, st.st_ino


def once_each(
    items: Sequence[T], path: Callable[[T], PathLike] | None = None
) -> tuple[list[T], list[tuple[T, T]]]:
    """``items`` with every file once, at its first mention, and each repeat with that first.

    ``path(item)`` is the file an item reads (the item itself by default). A file
    named twice -- by two spellings (``a.tmx``, ``./a.tmx``), through a link, or
    directly and through a folder given -- would otherwise be read, merged,
    installed or counted twice. Standard input (``-``) named twice is one input too.
    """
    first: dict[tuple[int, int] | str, T] = {}
    kept: list[T] = []
    repeats: list[tuple[T, T]] = []
    for item in items:
        name = item if path is None else path(item)
        key = "-" if str(name) == "-" else file_identity(name)  # type: ignore[arg-type]
        if key in first:
            repeats.append((item, first[key]))
        else:
            first[key] = item
            kept.append(item)
    return kept, repeats


def note_repeats(
    repeats: Iterable[tuple[T, T]],
    done: str,
    path: Callable[[T], PathLike] | None = None,
) -> None:
    """One stderr note per input named more than once (from :func:`once_each`).

    ``align: note: ./a.tmx: named more than once (also as a.tmx); merged once``,
    ``done`` saying what was done with it ("merged once").
    """
    for again, first in repeats:
        a, f = (str(x if path is None else path(x)) for x in (again, first))
        also = "" if a == f else f" (also as {f})"
        print(f"align: note: {a}: named more than once{also}; {done}", file=sys.stderr, flush=True)
