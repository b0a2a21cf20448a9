"""Aligning document pairs on Dask workers (``align align --batch --cluster``).

The client reads and segments every pair (so input errors are reported as in a
local run), sends the two segment lists, and writes the beads that come back.
Each worker process keeps one USE-m3 embedder (loaded once, on first use, never
pickled) and one loaded glossary per termbase path; embeddings go to the
worker machine's own embedding cache. The same code aligns with the same
model, so the beads equal a local run's.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from align.aligner.embed import CachedEmbedder, UseEmbedder

_EMBEDDERS: dict[bool, CachedEmbedder] = {}
_GLOSSARIES: dict[tuple[str, float], Any] = {}
_LOCK = threading.Lock()


def worker_embedder(disk_cache: bool) -> CachedEmbedder:
    """This process's USE-m3 embedder (one model load per worker process)."""
    with _LOCK:
        if disk_cache not in _EMBEDDERS:
            # one part per call: the cores are shared out by the cluster's own
            # processes and threads (dask worker --nworkers/--nthreads)
            _EMBEDDERS[disk_cache] = CachedEmbedder(UseEmbedder(workers=1), disk=disk_cache)
        return _EMBEDDERS[disk_cache]


def worker_glossary(path: str | None) -> Any:
    """The termbase at ``path`` on this worker, loaded once per path and modification time."""
    if path is None:
        return None
    from align.glossary import load_glossary
    from align.mt.cluster import WorkerError, _worker_name

    try:
        ident = (path, Path(path).stat().st_mtime)
    except OSError:
        raise WorkerError(f"{_worker_name()}: glossary {path} is not there") from None
    with _LOCK:
        if ident not in _GLOSSARIES:
            _GLOSSARIES[ident] = load_glossary(path)
        return _GLOSSARIES[ident]


def align_pair(
    src: list[str],
    tgt: list[str],
    src_lang: str,
    tgt_lang: str,
    glossary: str | None,
    max_bead: int,
    review_below: float,
    disk_cache: bool,
) -> list[Any]:
    """Dask task: the beads of one document pair (see :func:`align.aligner.align`)."""
    from align.aligner import align

    return align(
        src,
        tgt,
        src_lang,
        tgt_lang,
        glossary=worker_glossary(glossary),
        max_bead=max_bead,
        embedder=worker_embedder(disk_cache),
        review_below=review_below,
    )
