"""Suite-wide settings: caches go to a temp folder, never to the user's home or the repo."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_caches(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("ALIGN_CACHE_DIR", str(tmp_path_factory.mktemp("align-cache")))
    yield
    mp.undo()
