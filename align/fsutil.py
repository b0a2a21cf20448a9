"""Atomic file output: a reader never sees a half-written file.

Temp files are named ``.NAME.align-tmp-PID-XXXXXXXX`` beside the output. They
are removed when the write fails or the process is interrupted (SIGINT, and
SIGTERM, which the CLI turns into the same exception). A process killed
outright (SIGKILL, power loss) leaves its temp file behind; the next write into
that folder removes temp files whose writer is no longer running and that are
older than the current process (:func:`clean_stale_temps`).

An output that a rename would replace instead of write -- a character device
(``-o /dev/null``), a FIFO, or an open descriptor such as ``/dev/stdout`` -- is
written in place (:func:`writes_in_place`); it cannot be atomic, nor need it be.
This process's own descriptor (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``)
is written through a duplicate, never reopened: reopening would truncate the file
the shell redirected into (``-o /dev/stdout >> log`` appends, as ``>> log`` says).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from align.errors import OutputError

TEMP_MARK = ".align-tmp-"
# Write failures that are about the output's device, not the program: one line, exit 2.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}
_TEMP_NAME = re.compile(r"^\..+\.align-tmp-(\d+)-[A-Za-z0-9_]+$")
_STARTED = time.time()
_cleaned: set[str] = set()


def temp_prefix(path: Path) -> str:
    """``.NAME.align-tmp-PID-``: recognisable as align's own, and whose process wrote it.

    For temp files and folders (``mkstemp``/``mkdtemp``) beside ``path``.
    """
    return f".{path.name}{TEMP_MARK}{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    return True


def clean_stale_temps(folder: str | Path) -> list[Path]:
    """Remove align temp files (and temp folders) in ``folder`` left by writers that are gone.

    A temp file is stale when its writer's pid is not running and it was last
    modified before this process started (a pid reused since is then harmless).
    Returns the removed paths; errors (a read-only folder) are ignored.
    """
    removed: list[Path] = []
    folder = Path(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if not m:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            if not (is_dir or entry.is_file(follow_symlinks=False)):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= _STARTED or _alive(int(m.group(1))):
                continue
            if is_dir:  # a temp folder (a package being installed)
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _clean_once(folder: Path) -> None:
    key = os.path.abspath(folder)
    if key not in _cleaned:
        _cleaned.add(key)
        clean_stale_temps(folder)


# An open descriptor's name: /dev/stdout -> /proc/self/fd/1, /dev/fd/1.
_FD_PATH = re.compile(r"^(/proc/[^/]+|/dev)/fd/(\d+)$")


def _descriptor_hop(path: Path) -> re.Match[str] | None:
    """The ``/proc/PID/fd/N`` or ``/dev/fd/N`` that ``path`` leads to through links."""
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        m = _FD_PATH.match(hop)
        if m:
            return m
        if not os.path.islink(hop):
            return None
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
        hop = os.path.normpath(hop)
    return None


def _is_descriptor(path: Path) -> bool:
    """True when ``path`` leads through symbolic links to an open file descriptor.

    Renaming over ``/dev/stdout`` would replace that link in /dev (as root) rather
    than write to the file the shell redirected standard output into.
    """
    return _descriptor_hop(path) is not None


def _own_descriptor(path: Path) -> int | None:
    """N when ``path`` names this process's descriptor N (``/dev/fd/N``, ``/proc/self/fd/N``)."""
    m = _descriptor_hop(path)
    if m is None or m.group(1) not in ("/dev", "/proc/self", "/proc/thread-self",
                                       f"/proc/{os.getpid()}"):  # fmt: skip
        return None
    return int(m.group(2))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, for a message: "device"..."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def is_null_device(path: str | Path) -> bool:
    """True for the null device (the same file as :data:`os.devnull`), by any name.

    The one output that any number of outputs may share: what goes there is kept nowhere.
    """
    try:
        return stat.S_ISCHR(os.stat(path).st_mode) and os.path.samefile(path, os.devnull)
    except OSError:
        return False


def writes_in_place(path: str | Path) -> bool:
    """True for an output written directly, not through a temp file and a rename.

    A character device (``/dev/null``, a terminal), a FIFO, or an open descriptor
    (``/dev/stdout``): a rename would replace the device node or link, not write to it.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or _is_descriptor(Path(path))


def _open_in_place(path: Path, mode: str, encoding: str | None, newline: str | None) -> IO:
    """This process's descriptor that ``path`` names, duplicated; else ``path`` opened.

    ``-o /dev/stdout >> log`` must add to ``log``: reopening the descriptor's name
    would truncate the file the shell redirected into (and lose what the shell, or
    an earlier command of a subshell, wrote there). The duplicate shares the
    descriptor's offset and append flag, so the output goes where the next write
    to standard output would have gone.
    """
    fd = _own_descriptor(path)
    if fd is None:
        return open(path, mode, encoding=encoding, newline=newline)
    import fcntl  # POSIX, as descriptors named by path are

    if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:  # EBADF if it is closed
        raise OutputError(path, "is open for reading only (standard input?), not for writing")
    if fd in (1, 2):  # what Python has buffered for that descriptor goes first
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
    dup = os.dup(fd)
    try:
        return os.fdopen(dup, mode, encoding=encoding, newline=newline)
    except BaseException:
        os.close(dup)
        raise


@contextlib.contextmanager
def _write_in_place(
    path: Path, mode: str, encoding: str | None, newline: str | None
) -> Iterator[IO]:
    """Write ``path`` itself (see :func:`writes_in_place`), errors as one line.

    An open descriptor of this process (``/dev/stdout``) is written through a
    duplicate, never reopened (:func:`_open_in_place`). No fsync: devices and
    pipes refuse it (EINVAL), and there is no rename to order.
    """
    try:
        fh = _open_in_place(path, mode, encoding, newline)
    except OSError as exc:
        raise OutputError(path, f"cannot be written ({exc.strerror or exc})") from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        if exc.errno in WRITE_ERRNOS | {errno.EPIPE}:
            raise OutputError(path, f"cannot be written ({exc.strerror or exc})") from None
        raise


def refuse_special(path: str | Path) -> None:
    """Raise OutputError when ``path`` exists and is neither a regular file nor written in place.

    A folder, a block device or a socket would be replaced by the rename of a
    temp file; a missing path passes.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise OutputError(path, "is a folder; give a file name for the output")
    if not stat.S_ISREG(mode) and not writes_in_place(path):
        raise OutputError(path, f"is not a regular file (it is a {file_kind(mode)}); give a file")


@contextlib.contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO]:
    """Write to a temp file beside ``path`` and rename it over ``path`` on success.

    On any exception (KeyboardInterrupt and SIGTERM included) the temp file is
    removed and ``path`` is left as it was. Raises OutputError when the folder
    cannot be written and when the write itself fails for lack of room or a
    failing device (full disk, quota, file too large, I/O error, read-only).
    A device, FIFO or ``/dev/stdout`` is written directly (:func:`writes_in_place`).
    """
    path = Path(path)
    if "b" in mode:
        encoding = None
    if writes_in_place(path):
        with _write_in_place(path, mode, encoding, newline) as fh:
            yield fh
        return
    refuse_special(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _clean_once(parent)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=parent)
        # mkstemp creates 0600; an output is shared like any other tool's (umask).
        os.fchmod(fd, 0o666 & ~current_umask())
    except OSError as exc:
        raise OutputError(path, f"cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
            raise OutputError(path, f"cannot be written ({exc.strerror or exc})") from None
        raise


def current_umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    with atomic_write(path, "wb") as fh:
        fh.write(data)
