"""On-disk cache of machine translations, keyed by (package identity + options, source text).

Re-runs and resumed jobs must not pay for segments already translated; sqlite
gives us atomic batch commits (an interrupted job keeps every finished batch)
and safe concurrent readers without a server.

Location: see ``align.cachedir`` (``$ALIGN_CACHE_DIR``, else ``~/.cache/align``).

A cache is an optimisation, never a reason to lose a run: when it cannot be
opened, read or written (a full disk: sqlite's "database or disk is full"; a
read-only or locked file), the problem is reported once on stderr and the
cache turns itself off for the rest of the process; translations go on.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from align import errors
from align.cachedir import cache_dir
from align.errors import OutputError


@dataclass(frozen=True)
class CachedTranslation:
    text: str
    score: float | None
    notes: tuple[str, ...] = ()


def warn(message: str) -> None:
    """Where cache problems are reported (stderr; tests may replace it)."""
    errors.warn(None, message)


class MTCache:
    """A small sqlite key-value store; one row per (key, source text).

    ``strict=True`` raises OutputError when the cache cannot be opened (for
    callers that manage the cache itself); by default a broken cache is
    reported once and disabled (:attr:`disabled`).
    """

    def __init__(self, path: str | Path, *, strict: bool = False) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self.disabled: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS mt (key TEXT NOT NULL, source TEXT NOT NULL,"
                " target TEXT NOT NULL, score REAL, notes TEXT NOT NULL DEFAULT '[]',"
                " PRIMARY KEY (key, source))"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            if strict:
                raise OutputError(self.path, f"cannot open the translation cache ({exc})") from None
            self._disable("opened", exc)

    def _disable(self, action: str, exc: BaseException) -> None:
        """Report once and stop using the cache for the rest of the run."""
        if self.disabled is None:
            self.disabled = str(exc)
            warn(
                f"{self.path}: the translation cache cannot be {action} ({exc}); "
                "continuing without it"
            )
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    @classmethod
    def default(cls, directory: str | Path | None = None) -> MTCache:
        return cls(cache_dir(directory) / "mt.sqlite3")

    def get_many(self, key: str, sources: Iterable[str]) -> dict[str, CachedTranslation]:
        """Cached translations of ``sources`` (missing ones left out; {} if the cache is off)."""
        try:
            return self._get_many(key, sources)
        except sqlite3.Error as exc:
            self._disable("read", exc)
            return {}

    def _get_many(self, key: str, sources: Iterable[str]) -> dict[str, CachedTranslation]:
        found: dict[str, CachedTranslation] = {}
        if self._db is None:
            return found
        unique = list(dict.fromkeys(sources))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target, score, notes FROM mt WHERE key=? AND source IN ({marks})",
                [key, *chunk],
            )
            for source, target, score, notes in rows:
                found[source] = CachedTranslation(target, score, tuple(json.loads(notes)))
        return found

    def put_many(self, key: str, items: Iterable[tuple[str, CachedTranslation]]) -> None:
        """Store a batch in one transaction: either all of it lands or none.

        A write that fails (full disk, read-only file) disables the cache, once.
        """
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO mt (key, source, target, score, notes)"
                    " VALUES (?,?,?,?,?)",
                    [(key, s, t.text, t.score, json.dumps(list(t.notes))) for s, t in items],
                )
        except sqlite3.Error as exc:
            self._disable("written", exc)

    def count(self, key: str | None = None) -> int:
        if self._db is None:
            return 0
        if key is None:
            return self._db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM mt WHERE key=?", (key,)).fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> MTCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
