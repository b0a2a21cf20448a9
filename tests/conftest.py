"""Suite-wide settings: caches and models go to temp folders, never to the user's home or the repo."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_caches(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("ALIGN_CACHE_DIR", str(tmp_path_factory.mktemp("align-cache")))
    # The default models folder is argostranslate's per-user one: point it at a temp home.
    mp.delenv("ARGOS_PACKAGES_DIR", raising=False)
    mp.delenv("SNAP", raising=False)
    mp.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def use(tmp_path_factory):
    """USE-m3 behind one on-disk cache, loaded once for every test that needs the real encoder."""
    from align.aligner import CachedEmbedder
    from align.aligner.embed import UseEmbedder

    return CachedEmbedder(UseEmbedder(), tmp_path_factory.mktemp("use-cache"))
