"""Where align keeps its caches (sentence embeddings, machine translations).

One place for every cache, so `ALIGN_CACHE_DIR` moves all of them and a user
can clear them together: ``$ALIGN_CACHE_DIR``, else ``$XDG_CACHE_HOME/align``,
else ``~/.cache/align``.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(explicit: str | Path | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("ALIGN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "align"
