"""Session fixtures for the MT tests: build the fixture packages once, install per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.mt.fixture import build_fixture_package
from align.mt.packages import install_package


@pytest.fixture(scope="session")
def fixture_archives(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """en→ru, ru→en (the CLI defaults) and en→az (for pivot tests), built once."""
    out = tmp_path_factory.mktemp("fixture-archives")
    return {
        pair: build_fixture_package(out, *pair)
        for pair in (("en", "ru"), ("ru", "en"), ("en", "az"))
    }


@pytest.fixture
def packages_dir(tmp_path, fixture_archives) -> Path:
    """A fresh packages folder with en→ru and ru→en fixtures installed."""
    root = tmp_path / "packages"
    for pair in (("en", "ru"), ("ru", "en")):
        install_package(fixture_archives[pair], root)
    return root


@pytest.fixture
def mt_env(tmp_path, packages_dir, monkeypatch) -> Path:
    """``tmp_path`` with align pointed at the fixture packages and a private cache there."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path
