"""On-disk cache of machine translations, keyed by (package identity + options, source text).

Re-runs and resumed jobs must not pay for segments already translated; sqlite
gives us atomic batch commits (an interrupted job keeps every finished batch)
and safe concurrent readers without a server.

Location: see ``align.cachedir`` (``$ALIGN_CACHE_DIR``, else ``~/.cache/align``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from align.cachedir import cache_dir
from align.errors import OutputError


@dataclass(frozen=True)
class CachedTranslation:
    text: str
    score: float | None
    notes: tuple[str, ...] = ()


class MTCache:
    """A small sqlite key-value store; one row per (key, source text)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
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
            raise OutputError(self.path, f"cannot open the translation cache ({exc})") from None

    @classmethod
    def default(cls, directory: str | Path | None = None) -> MTCache:
        return cls(cache_dir(directory) / "mt.sqlite3")

    def get_many(self, key: str, sources: Iterable[str]) -> dict[str, CachedTranslation]:
        found: dict[str, CachedTranslation] = {}
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
        """Store a batch in one transaction: either all of it lands or none."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO mt (key, source, target, score, notes) VALUES (?,?,?,?,?)",
                [(key, s, t.text, t.score, json.dumps(list(t.notes))) for s, t in items],
            )

    def count(self, key: str | None = None) -> int:
        if key is None:
            return self._db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM mt WHERE key=?", (key,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MTCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
