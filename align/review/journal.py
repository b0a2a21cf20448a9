"""The review journal: every edit appended as one JSON line and fsync'd before the reply.

The first line names the input and its SHA-256; each later line is an action
with its :class:`~align.review.model.Patch`, or an ``undo``/``redo``. Reopening
replays the lines, so a crash, a closed tab or a killed server loses at most
the edit being written: a torn last line (no newline) is cut off on open.
Text XML cannot store, which earlier versions journalled as typed, is cleaned on
replay as an edit cleans it now (see :func:`align.review.model.clean_text`).
A reopened review export starts with its recorded decisions (accepted, rejected);
a journal begun by an earlier version, which opened every bead undecided, says
nothing of them in its header (``verdicts``) and is replayed onto undecided
beads, as it was made.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from align.errors import InputError
from align.review.model import ArgError, EditError, Patch, ReviewDoc, clean_text
from align.tmx.reviewstate import REVIEW_JOURNAL_FORMAT as FORMAT
from align.xmlsafe import first_invalid_char

VERSION = 1


class Journal:
    """An open, append-only journal for one input; use :meth:`open` to create or resume."""

    def __init__(self, path: Path, fh: IO[bytes], entries: int) -> None:
        self.path = path
        self._fh = fh
        self.entries = entries

    @classmethod
    def open(cls, path: str | Path, doc: ReviewDoc, input_name: str, fingerprint: str) -> Journal:
        """Replay an existing journal into ``doc`` (or start one) and open it for appending.

        Raises InputError when the journal belongs to other input content or is
        damaged anywhere but its last line.
        """
        p = Path(path)
        entries = 0
        try:
            fh = p.open("ab")
        except OSError as exc:
            raise InputError(p, f"cannot be written ({exc.strerror or exc})") from None
        _lock(p, fh)
        try:
            if p.stat().st_size:
                entries = _replay(p, doc, fingerprint, repair=True)
            else:
                header = {"format": FORMAT, "version": VERSION, "input": input_name}
                header["sha256"] = fingerprint
                header["verdicts"] = True  # the input's recorded decisions were read
                _write(fh, header)
                _fsync_dir(p.parent)  # the new journal's name survives a crash too
        except BaseException:
            fh.close()
            raise
        return cls(p, fh, entries)

    def record(self, op: str, args: dict[str, Any], patch: Patch | None = None) -> None:
        """Append one action (``patch`` None for undo/redo) and fsync it."""
        entry: dict[str, Any] = {"op": op, "args": args}
        if patch is not None:
            entry["patch"] = patch.to_json()
        _write(self._fh, entry)
        self.entries += 1

    def close(self) -> None:
        self._fh.close()


def _lock(p: Path, fh: IO[bytes]) -> None:
    """One server per journal: a second ``align review`` of the same input is refused."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputError(p, "is in use by another align review of the same input") from None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. no directory fds on this platform
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _write(fh: IO[bytes], obj: dict[str, Any]) -> None:
    fh.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    fh.flush()
    os.fsync(fh.fileno())


# What a hand-edited or corrupted line raises while read (1e400 as an index: OverflowError).
_DAMAGED = (
    json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError,
    AttributeError, OverflowError, RecursionError,
)  # fmt: skip


def _storable(patch: Patch, doc: ReviewDoc) -> Patch:
    """``patch`` with texts XML cannot store cleaned as an edit cleans them today.

    Journals of earlier versions hold such edits as typed; kept, every TMX export
    would fail. A later patch expects the dirty text as its "before", so that is
    cleaned too, unless it is what the line holds (a dirty input line).
    """
    if not any(first_invalid_char(b + a) for _, _, b, a in patch.text):
        return patch
    text = []
    for side, i, before, after in patch.text:
        if doc.lines[side][i : i + 1] != [before] and first_invalid_char(before):
            before = clean_text(before)
        text.append((side, i, before, clean_text(after) if first_invalid_char(after) else after))
    return Patch(patch.at, patch.old, patch.new, tuple(text))


def replay_journal(path: str | Path, doc: ReviewDoc, fingerprint: str) -> int:
    """Replay a journal into ``doc`` without writing to it; returns the number of entries."""
    return _replay(Path(path), doc, fingerprint, repair=False)


def _replay(p: Path, doc: ReviewDoc, fingerprint: str, repair: bool) -> int:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(p, f"cannot be read ({exc.strerror or exc})") from None
    good = data.rfind(b"\n") + 1
    if good < len(data) and repair:
        # The edit in flight when the server died: never acknowledged, so dropped.
        with p.open("r+b") as fh:
            fh.truncate(good)
            fh.flush()
            os.fsync(fh.fileno())
    lines = data[:good].split(b"\n")[:-1]
    if not lines:
        raise InputError(p, "is not a review journal (its first line is torn); move it away")
    try:
        header = json.loads(lines[0])
    except (json.JSONDecodeError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InputError(p, "is not an align review journal; move it away to start a new review")
    if header.get("sha256") != fingerprint:
        raise InputError(
            p,
            f"was written for other content of {header.get('input')} (the input changed since); "
            "export what you need from a copy of the old input, or move the journal away",
        )
    if not header.get("verdicts"):
        # Begun by a version that opened every bead undecided: its patches expect that.
        doc.forget_verdicts()
    for lineno, raw in enumerate(lines[1:], 2):
        try:
            entry = json.loads(raw)
            op = entry["op"]
            if op == "undo":
                doc.undo()
            elif op == "redo":
                doc.redo()
            else:
                doc.do(_storable(Patch.from_json(entry["patch"]), doc))
        except ArgError as exc:
            raise InputError(p, f"line {lineno} is damaged ({exc.problem})") from None
        except _DAMAGED as exc:
            raise InputError(p, f"line {lineno} is damaged ({type(exc).__name__}: {exc})") from None
        except EditError as exc:
            raise InputError(p, f"line {lineno} does not fit the input: {exc.problem}") from None
    return len(lines) - 1
