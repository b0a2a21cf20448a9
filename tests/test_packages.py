"""Package directory: validation before install, listing with broken folders, routes, removal."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.errors import InputError
from align.mt import packages as pk


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


GOOD_META = json.dumps({"from_code": "en", "to_code": "de", "type": "translate"}).encode()


def _complete(top: str, meta: bytes = GOOD_META) -> dict[str, bytes]:
    return {
        f"{top}/metadata.json": meta,
        f"{top}/sentencepiece.model": b"x",
        f"{top}/model/model.bin": b"x",
        f"{top}/model/config.json": b"{}",
        f"{top}/model/shared_vocabulary.json": b"[]",
    }


def test_packages_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert pk.packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert pk.packages_dir() == tmp_path / "home/.local/share/argos-translate/packages"
    # argostranslate's settings.json key comes before the XDG default...
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "json")}))
    assert pk.packages_dir() == tmp_path / "json"
    # ...and a broken settings file is ignored, as argostranslate does.
    settings.write_text("{not json")
    assert pk.packages_dir() == tmp_path / "home/.local/share/argos-translate/packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "env"))
    assert pk.packages_dir() == tmp_path / "env"
    assert pk.packages_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_install_list_and_remove(tmp_path, fixture_archives):  # noqa: F811
    root = tmp_path / "pk"
    info = pk.install_package(fixture_archives[("en", "ru")], root)
    assert (info.from_code, info.to_code, info.is_fixture) == ("en", "ru", True)
    assert info.path == root / "translate-en_ru-fixture"
    # Re-installing replaces in place and leaves no temp folders behind.
    pk.install_package(fixture_archives[("en", "ru")], root)
    assert sorted(p.name for p in root.iterdir()) == ["translate-en_ru-fixture"]
    assert pk.installed_pairs(root) == []  # fixtures are not offered by default
    assert pk.installed_pairs(root, allow_fixture=True) == [("en", "ru")]
    assert pk.remove_package("en", "ru", root) == [root / "translate-en_ru-fixture"]
    assert pk.list_packages(root) == []
    with pytest.raises(pk.UnknownPairError, match="no installed package for en→ru"):
        pk.remove_package("en", "ru", root)


def test_broken_folder_does_not_hide_the_others(packages_dir):  # noqa: F811
    (packages_dir / "junk").mkdir()
    (packages_dir / "halfmeta").mkdir()
    (packages_dir / "halfmeta" / "metadata.json").write_text("{not json")
    good, broken = pk.scan_packages(packages_dir)
    assert [p.name for p in good] == ["translate-en_ru-fixture", "translate-ru_en-fixture"]
    problems = {b.path.name: b.problem for b in broken}
    assert problems["junk"] == "no metadata.json in junk"
    assert "no tokenizer" in problems["halfmeta"]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"a/metadata.json": GOOD_META, "b/metadata.json": GOOD_META}, "exactly one top folder"),
        ({k: v for k, v in _complete("p").items() if "metadata" not in k}, "no metadata.json"),
        ({k: v for k, v in _complete("p").items() if "sentencepiece" not in k}, "no tokenizer"),
        ({k: v for k, v in _complete("p").items() if "model.bin" not in k}, "no model/model.bin"),
        ({k: v for k, v in _complete("p").items() if "vocab" not in k}, "no vocabulary"),
        (_complete("p", b"{oops"), "not valid JSON"),
        (_complete("p", json.dumps({"from_code": "en"}).encode()), "has no to_code"),
        ({**_complete("p"), "p/../../evil.txt": b"x"}, "unsafe path"),
    ],
)
def test_invalid_archives_are_rejected_before_install(tmp_path, files, problem):
    archive = _zip(tmp_path / "bad.argosmodel", files)
    root = tmp_path / "pk"
    with pytest.raises(InputError, match=problem) as info:
        pk.install_package(archive, root)
    assert info.value.path == str(archive)
    assert not root.exists() or list(root.iterdir()) == []


def test_truncated_and_corrupt_archives(tmp_path, fixture_archives):  # noqa: F811
    data = fixture_archives[("en", "ru")].read_bytes()
    truncated = tmp_path / "trunc.argosmodel"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        pk.install_package(truncated, tmp_path / "pk")
    flipped = bytearray(data)
    # Corrupt a byte inside the first member's compressed data: the CRC check must catch it.
    flipped[200] ^= 0xFF
    corrupt = tmp_path / "corrupt.argosmodel"
    corrupt.write_bytes(bytes(flipped))
    with pytest.raises(InputError, match="corrupt"):
        pk.install_package(corrupt, tmp_path / "pk")
    assert not (tmp_path / "pk").exists() or list((tmp_path / "pk").iterdir()) == []
    with pytest.raises(InputError, match="no such file"):
        pk.install_package(tmp_path / "missing.argosmodel", tmp_path / "pk")


def test_routes_direct_pivot_fixture_rules(tmp_path, fixture_archives):  # noqa: F811
    root = tmp_path / "pk"
    for pair in (("ru", "en"), ("en", "az"), ("en", "ru")):
        pk.install_package(fixture_archives[pair], root)
    route = pk.find_route("ru", "az", root, allow_fixture=True)
    assert [p.name for p in route] == ["translate-ru_en-fixture", "translate-en_az-fixture"]
    assert [p.name for p in pk.find_route("en", "ru", root, allow_fixture=True)] == [
        "translate-en_ru-fixture"
    ]
    with pytest.raises(pk.UnknownPairError) as info:
        pk.find_route("ru", "az", root)
    msg = info.value.message
    assert "no package translates ru→az" in msg
    assert "test fixtures not used unless asked" in msg
    assert "align models install" in msg
    # Naming a fixture package is an explicit request.
    named = pk.find_route("en", "ru", root, package="translate-en_ru-fixture")
    assert named[0].is_fixture
    with pytest.raises(pk.UnknownPairError, match="translates en→ru, not en→az"):
        pk.find_route("en", "az", root, package="translate-en_ru-fixture")
    with pytest.raises(pk.UnknownPairError, match="installed: en→az, en→ru, ru→en"):
        pk.find_route("az", "de", root, allow_fixture=True)


def test_real_package_preferred_over_fixture(tmp_path, fixture_archives):  # noqa: F811
    root = tmp_path / "pk"
    pk.install_package(fixture_archives[("en", "ru")], root)
    real = root / "translate-en_ru-1_9"
    real.mkdir()
    for rel, data in _complete("x").items():
        dest = real / rel.split("/", 1)[1]
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    (real / "metadata.json").write_text(
        json.dumps({"from_code": "en", "to_code": "ru", "package_version": "1.9"})
    )
    assert [p.name for p in pk.find_route("en", "ru", root, allow_fixture=True)] == [
        "translate-en_ru-1_9"
    ]
    assert pk.installed_pairs(root) == [("en", "ru")]


def test_online_install_fails_fast_offline(monkeypatch, tmp_path):
    # A closed local port stands in for an unreachable index: no argostranslate call is made.
    for var in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(pk, "INDEX_HOST", ("127.0.0.1", 9))
    with pytest.raises(pk.AlignError) as info:
        pk.install_online("en", "ru", tmp_path / "pk")
    assert "offline" in info.value.message
    assert "align models install FILE.argosmodel" in info.value.message
    assert not (tmp_path / "pk").exists()
