"""Hostile or broken .argosmodel archives: refused from the zip directory, one line, exit 2."""

from __future__ import annotations

import json
import struct
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mt_fixtures import fixture_archives  # noqa: F401

from align.cli import main
from align.errors import InputError
from align.mt import packages as pk


@pytest.fixture
def good(fixture_archives) -> Path:  # noqa: F811
    return fixture_archives[("en", "ru")]


def rebuild(src: Path, dest: Path, change=None, extra: dict[str, bytes] | None = None) -> Path:
    """Copy an archive member by member; ``change(info, data)`` may return new (info, data)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if change:
                info, data = change(info, data)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            zout.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return dest


def install(archive: Path, root: Path):
    return CliRunner().invoke(
        main, ["models", "--packages-dir", str(root), "install", str(archive)]
    )


def refused(res, *words: str) -> str:
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), res.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def top(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zf:
        return zf.namelist()[0].split("/")[0]


def test_zip_bomb_refused_before_extracting(good, tmp_path):
    name = f"{top(good)}/model/extra.bin"
    bomb = rebuild(good, tmp_path / "bomb.argosmodel", extra={name: bytes(8 * 1024 * 1024)})
    assert bomb.stat().st_size < good.stat().st_size + 20_000  # 8 MiB of zeros add ~8 KB
    t0 = time.perf_counter()
    res = install(bomb, tmp_path / "pk")
    assert time.perf_counter() - t0 < 5
    refused(res, "bomb.argosmodel", "extra.bin expands", "zip bomb")
    assert not (tmp_path / "pk").exists() or not any((tmp_path / "pk").iterdir())


def test_claimed_size_checked_from_the_directory(good, tmp_path, monkeypatch):
    # The total comes from the zip directory's declared sizes, so nothing is decompressed.
    monkeypatch.setenv("ALIGN_MAX_PACKAGE_BYTES", str(64 * 1024))
    with pytest.raises(InputError, match=r"unpacks to more than 65,536 bytes"):
        pk.validate_archive(good)
    monkeypatch.delenv("ALIGN_MAX_PACKAGE_BYTES")
    pk.validate_archive(good)  # the real fixture is within the default limits


def test_huge_metadata_is_never_read(good, tmp_path):
    def pad(info, data):
        if info.filename.endswith("metadata.json"):
            meta = json.loads(data)
            meta["padding"] = " " * (2 * 1024 * 1024)
            data = json.dumps(meta).encode()
        return info, data

    big = rebuild(good, tmp_path / "big.argosmodel", pad)
    refused(install(big, tmp_path / "pk"), "metadata.json", "over the 1,048,576-byte limit")
    # An installed package with a giant metadata.json: listed as broken, not read.
    root = tmp_path / "pk2"
    info = pk.install_package(good, root)
    (info.path / "metadata.json").write_bytes(b"{" + b" " * (3 * 1024 * 1024) + b"}")
    good_pkgs, broken = pk.scan_packages(root)
    assert not good_pkgs and "over the 1,048,576-byte limit" in broken[0].problem


def test_deeply_nested_metadata(good, tmp_path):
    def nest(info, data):
        if info.filename.endswith("metadata.json"):
            data = b"[" * 200_000 + b"]" * 200_000
        return info, data

    deep = rebuild(good, tmp_path / "deep.argosmodel", nest)
    refused(install(deep, tmp_path / "pk"), "metadata.json", "nested too deeply")


def patch_headers(archive: Path, dest: Path, local: int, central: int, value: int) -> Path:
    """Set a 16-bit field of every member's local and central header (offsets in bytes)."""
    data = bytearray(archive.read_bytes())
    for sig, offset in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        pos = data.find(sig)
        while pos >= 0:
            struct.pack_into("<H", data, pos + offset, value)
            pos = data.find(sig, pos + 4)
    dest.write_bytes(bytes(data))
    return dest


def test_encrypted_member(good, tmp_path):
    plain = rebuild(good, tmp_path / "plain.argosmodel")
    enc = patch_headers(plain, tmp_path / "enc.argosmodel", 6, 8, 0x1)  # flag bit 0: encrypted
    refused(install(enc, tmp_path / "pk"), "is encrypted; packages must not be")


def test_unknown_compression_method(good, tmp_path):
    plain = rebuild(good, tmp_path / "plain.argosmodel")
    odd = patch_headers(plain, tmp_path / "odd.argosmodel", 8, 10, 99)  # 99: AES, unsupported
    refused(install(odd, tmp_path / "pk"), "compression method 99")


def test_a_declared_4_gib_member_is_refused_without_decompressing(good, tmp_path):
    """The issue's 4.5 MB file that expands to 4 GiB: its directory says so, and that suffices."""
    data = bytearray(rebuild(good, tmp_path / "plain.argosmodel").read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        name = bytes(data[pos + 46 : pos + 46 + name_len])
        if name.endswith(b"model/model.bin"):
            struct.pack_into("<I", data, pos + 24, 0xF000_0000)  # uncompressed size: 3.75 GiB
        pos = data.find(b"PK\x01\x02", pos + 4)
    claimed = tmp_path / "claimed.argosmodel"
    claimed.write_bytes(bytes(data))
    t0 = time.perf_counter()
    refused(install(claimed, tmp_path / "pk"), "model.bin expands", "zip bomb")
    assert time.perf_counter() - t0 < 5
