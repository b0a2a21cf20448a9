"""Argos Translate packages on disk: validate, install, list, remove, and route a pair.

We read and write the same layout as argostranslate (one folder per package with
``metadata.json``, ``sentencepiece.model``/``bpe.model`` and a CTranslate2
``model/``), so packages installed by either tool work in both. We do the
install ourselves instead of ``argostranslate.package.install_from_path``
because that function imports ``argostranslate.translate`` (torch, stanza,
spacy: seconds of start-up) and extracts without validating.

Packages directory: the one argostranslate uses, so ``argospm install`` and
``align models install`` see each other's models (see :func:`packages_dir`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import socket
import tempfile
import zipfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from align.errors import AlignError, InputError, OutputError
from align.fsutil import clean_stale_temps, temp_prefix
from align.langtags import is_well_formed, tags_match

INDEX_HOST = ("raw.githubusercontent.com", 443)

# Limits checked from the zip's central directory before anything is extracted
# (a zip bomb is refused in milliseconds, not after writing gigabytes). Real
# Argos packages are 30-400 MB unpacked with weights that barely compress (ratio
# ~1.1); the environment variables raise the limits for unusual models.
MAX_PACKAGE_BYTES = 4 * 1024**3  # total uncompressed size; $ALIGN_MAX_PACKAGE_BYTES
MAX_COMPRESSION_RATIO = 100  # per member over 1 MiB; $ALIGN_MAX_COMPRESSION_RATIO
RATIO_MIN_BYTES = 1024 * 1024
MAX_METADATA_BYTES = 1024 * 1024  # metadata.json is a few hundred bytes in practice
SUPPORTED_COMPRESSION = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}


def _limit(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def _argos_home() -> Path:
    # argostranslate.settings: under snap, SNAP_USER_DATA stands in for the home folder.
    if "SNAP" in os.environ and os.environ.get("SNAP_USER_DATA"):
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def _xdg(var: str, fallback: Path) -> Path:
    value = os.environ.get(var)
    return Path(value) if value else fallback


def default_packages_dir() -> Path:
    """argostranslate's per-user packages folder, resolved the way ``argostranslate.settings`` does.

    In order: ``$ARGOS_PACKAGES_DIR``; the ``ARGOS_PACKAGES_DIR`` key of
    ``$XDG_CONFIG_HOME/argos-translate/settings.json`` (``~/.config`` when unset);
    ``$XDG_DATA_HOME/argos-translate/packages`` (``~/.local/share`` when unset).
    Read here, not imported: importing ``argostranslate.settings`` creates folders and
    argostranslate is an optional extra. Differs from argostranslate only in treating an
    empty variable as unset (the XDG Base Directory rule) and in never creating folders.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    home = _argos_home()
    settings = _xdg("XDG_CONFIG_HOME", home / ".config") / "argos-translate" / "settings.json"
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    configured = data.get("ARGOS_PACKAGES_DIR") if isinstance(data, dict) else None
    if isinstance(configured, str) and configured:
        return Path(configured)
    return _xdg("XDG_DATA_HOME", home / ".local" / "share") / "argos-translate" / "packages"


def packages_dir(explicit: str | Path | None = None) -> Path:
    """Where packages live: ``explicit`` (``--packages-dir``) else :func:`default_packages_dir`."""
    if explicit:
        return Path(explicit)
    return default_packages_dir()


@dataclass(frozen=True)
class PackageInfo:
    """An installed (or validated) package, read from its ``metadata.json``.

    ``name`` is the folder name; ``from_code``/``to_code`` the pair; ``is_fixture``
    marks align's test models (never translations); ``max_input_tokens`` the
    model's input limit in SentencePiece tokens, when the package states one.
    """

    name: str
    path: Path
    from_code: str
    to_code: str
    type: str = "translate"
    from_name: str = ""
    to_name: str = ""
    package_version: str = ""
    is_fixture: bool = False
    max_input_tokens: int | None = None
    tokenizer: str = "sentencepiece"
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


@dataclass(frozen=True)
class BrokenPackage:
    """A folder in the packages directory that is not a usable package."""

    path: Path
    problem: str


class UnknownPairError(AlignError):
    """No installed package (or pivot) translates the requested pair."""


def _check_tree(names: set[str], where: str) -> str:
    """Check package contents (paths relative to the package folder); return tokenizer kind."""
    if "metadata.json" not in names:
        raise ValueError(f"no metadata.json in {where}")
    if "sentencepiece.model" in names:
        tokenizer = "sentencepiece"
    elif "bpe.model" in names:
        tokenizer = "bpe"
    else:
        raise ValueError(f"no tokenizer (sentencepiece.model or bpe.model) in {where}")
    for required in ("model/model.bin", "model/config.json"):
        if required not in names:
            raise ValueError(f"no {required} in {where}")
    vocab = [n for n in names if n.startswith("model/") and "vocabulary" in n]
    if not vocab:
        raise ValueError(f"no vocabulary file in {where}/model")
    return tokenizer


def _parse_metadata(raw: bytes, where: str) -> dict[str, Any]:
    if len(raw) > MAX_METADATA_BYTES:
        raise ValueError(_metadata_too_big(len(raw), where))
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"metadata.json in {where} is not valid JSON ({exc})") from None
    except RecursionError:
        raise ValueError(f"metadata.json in {where} is nested too deeply") from None
    if not isinstance(meta, dict):
        raise ValueError(f"metadata.json in {where} is not a JSON object")
    if meta.get("type", "translate") == "translate":
        for key in ("from_code", "to_code"):
            if not isinstance(meta.get(key), str) or not meta[key]:
                raise ValueError(f"metadata.json in {where} has no {key}")
            # Codes become parts of output file names: only well-formed BCP 47
            # tags (letters, digits, hyphens) are accepted, never "../../x".
            if not is_well_formed(meta[key]):
                raise ValueError(
                    f"metadata.json in {where}: {key} {meta[key]!r} is not a BCP 47 language tag"
                )
    return meta


def _metadata_too_big(size: int, where: str) -> str:
    return f"metadata.json in {where} is {size:,} bytes, over the {MAX_METADATA_BYTES:,}-byte limit"


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Refuse, from the central directory alone, what cannot or should not be extracted.

    Raises ValueError: encrypted members, compression methods Python cannot read,
    a total size over :data:`MAX_PACKAGE_BYTES`, a member whose compression ratio
    is over :data:`MAX_COMPRESSION_RATIO` (the zip-bomb signature), an oversized
    metadata.json.
    """
    total = 0
    max_total = _limit("ALIGN_MAX_PACKAGE_BYTES", MAX_PACKAGE_BYTES)
    max_ratio = _limit("ALIGN_MAX_COMPRESSION_RATIO", MAX_COMPRESSION_RATIO)
    for m in members:
        if m.flag_bits & 0x1:
            raise ValueError(f"{m.filename} is encrypted; packages must not be")
        if m.compress_type not in SUPPORTED_COMPRESSION:
            raise ValueError(
                f"{m.filename} uses compression method {m.compress_type}, which cannot be read "
                f"(supported: {', '.join(SUPPORTED_COMPRESSION.values())})"
            )
        if PurePosixPath(m.filename).name == "metadata.json" and m.file_size > MAX_METADATA_BYTES:
            raise ValueError(_metadata_too_big(m.file_size, m.filename))
        total += m.file_size
        if total > max_total:
            raise ValueError(
                f"unpacks to more than {max_total:,} bytes (limit; set ALIGN_MAX_PACKAGE_BYTES "
                "for a larger model)"
            )
        if m.file_size >= RATIO_MIN_BYTES and m.file_size > max_ratio * max(m.compress_size, 1):
            raise ValueError(
                f"{m.filename} expands {m.file_size // max(m.compress_size, 1):,}-fold "
                f"(limit {max_ratio}); refusing a possible zip bomb"
            )


def _info(path: Path, meta: dict[str, Any], tokenizer: str) -> PackageInfo:
    limit = meta.get("max_input_tokens")
    return PackageInfo(
        name=path.name,
        path=path,
        from_code=str(meta.get("from_code", "")),
        to_code=str(meta.get("to_code", "")),
        type=str(meta.get("type", "translate")),
        from_name=str(meta.get("from_name", "")),
        to_name=str(meta.get("to_name", "")),
        package_version=str(meta.get("package_version", "")),
        is_fixture=bool(meta.get("fixture", False)),
        max_input_tokens=int(limit) if isinstance(limit, int) and limit > 0 else None,
        tokenizer=tokenizer,
        metadata=meta,
    )


def read_package(path: str | Path) -> PackageInfo:
    """Read an installed package folder; raises InputError naming what is missing."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(path, "not a package folder")
    names = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    try:
        tokenizer = _check_tree(names, path.name)
        size = (path / "metadata.json").stat().st_size
        if size > MAX_METADATA_BYTES:  # never read a giant file whole, here or on `models list`
            raise ValueError(_metadata_too_big(size, path.name))
        meta = _parse_metadata((path / "metadata.json").read_bytes(), path.name)
    except ValueError as exc:
        raise InputError(path, str(exc)) from None
    return _info(path, meta, tokenizer)


def validate_archive(archive: str | Path) -> tuple[str, dict[str, Any]]:
    """Check an .argosmodel before installing: a sound zip with one package folder.

    Returns the top folder name and the metadata. Truncated or corrupt files,
    zips with several top folders, unsafe member paths and packages missing
    metadata, tokenizer or model all raise InputError.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise InputError(archive, "no such file" if not archive.exists() else "not a file")
    if not zipfile.is_zipfile(archive):
        raise InputError(archive, "not an .argosmodel (not a zip archive, or truncated)")
    try:
        with zipfile.ZipFile(archive) as zf:
            members = list(zf.infolist())
            try:
                _check_members(members)
            except ValueError as exc:
                raise InputError(archive, str(exc)) from None
            bad = zf.testzip()
            if bad is not None:
                raise InputError(archive, f"corrupt archive (bad CRC in {bad})")
            tops = set()
            names = set()
            for m in members:
                p = PurePosixPath(m.filename)
                if p.is_absolute() or ".." in p.parts or "\\" in m.filename:
                    raise InputError(archive, f"unsafe path in archive: {m.filename}")
                tops.add(p.parts[0])
                if not m.is_dir() and len(p.parts) > 1:
                    names.add(PurePosixPath(*p.parts[1:]).as_posix())
            if len(tops) != 1:
                raise InputError(
                    archive,
                    f"expected exactly one top folder, found {len(tops)}: "
                    + ", ".join(sorted(tops)[:5]),
                )
            top = tops.pop()
            if top in names or not any(m.filename.startswith(top + "/") for m in members):
                raise InputError(archive, "the archive's top entry is not a folder")
            try:
                _check_tree(names, top)
                meta = _parse_metadata(zf.read(f"{top}/metadata.json"), top)
            except ValueError as exc:
                raise InputError(archive, str(exc)) from None
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise InputError(archive, f"corrupt or unreadable archive ({exc})") from None
    return top, meta


def install_package(archive: str | Path, directory: str | Path | None = None) -> PackageInfo:
    """Validate and install an ``.argosmodel`` (Argos Translate's zip package format).

    Installs into ``directory`` (None: :func:`default_packages_dir`, the folder
    argostranslate itself uses) and replaces an installed package of the same name.
    Extraction goes to a hidden temp folder first and is renamed into place, so a
    failed install never leaves a half-written package behind.

    Returns:
        The installed package's PackageInfo.

    Raises:
        InputError: the archive is missing, not a zip, truncated, unsafe, or lacks
            metadata, tokenizer or model.
        OutputError: the packages folder cannot be written.
    """
    archive = Path(archive)
    top, _meta = validate_archive(archive)
    root = packages_dir(directory)
    try:
        root.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(root)  # installs killed half-way (SIGKILL, power loss)
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(root / "install"), dir=root))
    except OSError as exc:
        raise OutputError(root, f"cannot write to the packages folder ({exc.strerror})") from None
    old: Path | None = None
    try:
        with zipfile.ZipFile(archive) as zf:
            _check_members(zf.infolist())  # again: the file may have changed since validation
            zf.extractall(tmp)
        read_package(tmp / top)
        dest = root / top
        if dest.exists():
            old = root / f".old-{top}-{os.getpid()}"
            os.replace(dest, old)
        os.replace(tmp / top, dest)
    except (ValueError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
        raise InputError(archive, f"corrupt or unreadable archive ({exc})") from None
    except OSError as exc:
        raise OutputError(root, f"cannot install {archive.name} ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return read_package(root / top)


def scan_packages(
    directory: str | Path | None = None,
) -> tuple[list[PackageInfo], list[BrokenPackage]]:
    """All package folders, split into usable ones and broken ones (with the reason).

    A broken folder never hides the others; hidden folders (temp installs) are skipped.
    """
    root = packages_dir(directory)
    good: list[PackageInfo] = []
    broken: list[BrokenPackage] = []
    if not root.is_dir():
        return good, broken
    for path in sorted(root.iterdir()):
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            good.append(read_package(path))
        except InputError as exc:
            broken.append(BrokenPackage(path, exc.problem))
    return good, broken


def list_packages(directory: str | Path | None = None) -> list[PackageInfo]:
    """Usable translate packages in ``directory`` (None: :func:`default_packages_dir`).

    Returns:
        PackageInfo per usable ``translate`` package, sorted by pair then name;
        broken folders are left out (see :func:`scan_packages`). A missing folder
        gives an empty list; it never raises for what is on disk.
    """
    good, _ = scan_packages(directory)
    return sorted((p for p in good if p.type == "translate"), key=lambda p: (p.pair, p.name))


def installed_pairs(
    directory: str | Path | None = None, *, allow_fixture: bool = False
) -> list[tuple[str, str]]:
    """Direct (from, to) pairs available; fixture packages only when asked."""
    pkgs = list_packages(directory)
    return sorted({(p.from_code, p.to_code) for p in pkgs if allow_fixture or not p.is_fixture})


def remove_package(
    from_code: str, to_code: str, directory: str | Path | None = None, *, name: str | None = None
) -> list[Path]:
    """Remove the installed package(s) for a pair (or just the one called ``name``)."""
    removed = []
    for pkg in list_packages(directory):
        if (pkg.from_code, pkg.to_code) == (from_code, to_code) and name in (None, pkg.name):
            shutil.rmtree(pkg.path)
            removed.append(pkg.path)
    if not removed:
        raise UnknownPairError(
            packages_dir(directory),
            f"no installed package for {from_code}→{to_code}" + (f" named {name}" if name else ""),
        )
    return removed


def _version_key(version: str) -> tuple:
    parts = []
    for chunk in version.split("."):
        parts.append((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk))
    return tuple(parts)


def _best(candidates: list[PackageInfo]) -> PackageInfo:
    return max(candidates, key=lambda p: (not p.is_fixture, _version_key(p.package_version)))


def how_to_install(from_code: str, to_code: str) -> str:
    return (
        f"install one with `align models install translate-{from_code}_{to_code}.argosmodel` "
        f"or, with internet, `align models install --online {from_code} {to_code}`"
    )


def find_route(
    from_code: str,
    to_code: str,
    directory: str | Path | None = None,
    *,
    package: str | None = None,
    allow_fixture: bool = False,
) -> list[PackageInfo]:
    """Packages that translate from→to: one (direct) or a chain (pivot, English first).

    Fixture packages are skipped unless ``allow_fixture`` or named via ``package``.
    """
    root = packages_dir(directory)
    pkgs = list_packages(root)
    if package is not None:
        named = [p for p in pkgs if p.name == package]
        if not named:
            raise UnknownPairError(root, f"no installed package named {package}")
        if (named[0].from_code, named[0].to_code) != (from_code, to_code):
            raise UnknownPairError(
                root, f"package {package} translates {named[0].pair}, not {from_code}→{to_code}"
            )
        return named
    usable = [p for p in pkgs if allow_fixture or not p.is_fixture]
    by_pair: dict[tuple[str, str], list[PackageInfo]] = {}
    for p in usable:
        by_pair.setdefault((p.from_code, p.to_code), []).append(p)
    codes = {c for pair in by_pair for c in pair}
    from_code, to_code = _package_code(from_code, codes), _package_code(to_code, codes)
    if (from_code, to_code) in by_pair:
        return [_best(by_pair[(from_code, to_code)])]
    # Breadth-first over languages; English is tried first as the usual pivot.
    edges: dict[str, list[str]] = {}
    for a, b in sorted(by_pair, key=lambda ab: (ab[1] != "en", ab)):
        edges.setdefault(a, []).append(b)
    prev: dict[str, str] = {from_code: ""}
    queue = deque([from_code])
    while queue:
        lang = queue.popleft()
        for nxt in edges.get(lang, []):
            if nxt not in prev:
                prev[nxt] = lang
                queue.append(nxt)
    if to_code in prev:
        chain = [to_code]
        while chain[-1] != from_code:
            chain.append(prev[chain[-1]])
        chain.reverse()
        return [_best(by_pair[(a, b)]) for a, b in itertools.pairwise(chain)]
    have = ", ".join(f"{a}→{b}" for a, b in sorted(by_pair)) or "none"
    hidden = [p.pair for p in pkgs if p.is_fixture and not allow_fixture]
    extra = f" (test fixtures not used unless asked: {', '.join(hidden)})" if hidden else ""
    raise UnknownPairError(
        root,
        f"no package translates {from_code}→{to_code} (installed: {have}){extra}; "
        + how_to_install(from_code, to_code),
    )


def _package_code(code: str, codes: set[str]) -> str:
    """The installed packages' spelling of ``code``: ``EN`` or ``en-GB`` finds an ``en`` package.

    A request with a region uses a region-less package (Argos packages have
    none); a package for another region is never used (``en-GB`` !~ ``en-US``).
    """
    if code in codes:
        return code
    matches = sorted(c for c in codes if tags_match(code, c))
    return matches[0] if len(matches) == 1 else code


def fingerprint(pkg: PackageInfo) -> str:
    """A cheap identity for cache keys: metadata, config, tokenizer and model.bin samples."""
    h = hashlib.sha256()
    for rel in ("metadata.json", "model/config.json", f"{pkg.tokenizer}.model"):
        f = pkg.path / rel
        if f.is_file():
            h.update(f.read_bytes())
    model = pkg.path / "model" / "model.bin"
    size = model.stat().st_size
    h.update(str(size).encode())
    with open(model, "rb") as fh:
        h.update(fh.read(1 << 16))
        fh.seek(max(0, size - (1 << 16)))
        h.update(fh.read(1 << 16))
        fh.seek(size // 2)
        h.update(fh.read(1 << 16))
    return f"{pkg.name}@{h.hexdigest()[:16]}"


def _online_ok(timeout: float) -> bool:
    """Can we open a TCP connection to the index host (or the configured HTTPS proxy)?"""
    import urllib.parse
    import urllib.request

    host = INDEX_HOST
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(INDEX_HOST[0]):
        parsed = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parsed.hostname:
            host = (parsed.hostname, parsed.port or 80)
    try:
        with socket.create_connection(host, timeout=timeout):
            return True
    except OSError:
        return False


def install_online(
    from_code: str, to_code: str, directory: str | Path | None = None, *, timeout: float = 5.0
) -> PackageInfo:
    """Fetch a package through argostranslate's index and download code, then install it.

    Only called when the user asks. Offline, argostranslate's
    ``get_available_packages()`` recurses for about a minute, so connectivity is
    checked first with a short timeout and the index file is checked before use.
    """
    offline_help = (
        "cannot reach the Argos package index (offline?); on a machine with internet, "
        f"download translate-{from_code}_{to_code}-*.argosmodel from "
        "https://www.argosopentech.com/argospm/index/ and run "
        "`align models install FILE.argosmodel`"
    )
    if not _online_ok(min(timeout, 3.0)):
        raise AlignError(None, offline_help)
    try:
        from argostranslate import package as argos_package
        from argostranslate import settings as argos_settings
    except ImportError:
        raise AlignError(
            None, "online install needs argostranslate (pip install 'align[argos]')"
        ) from None
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        argos_package.update_package_index()
        if not Path(argos_settings.local_package_index).is_file():
            raise AlignError(None, offline_help)
        matches = [
            p
            for p in argos_package.get_available_packages()
            if p.from_code == from_code and p.to_code == to_code
        ]
        if not matches:
            raise UnknownPairError(
                None, f"the Argos index has no {from_code}→{to_code} package (try a pivot via en)"
            )
        try:
            downloaded = matches[0].download()
        except Exception as exc:
            raise AlignError(None, f"download failed ({exc}); {offline_help}") from None
    finally:
        socket.setdefaulttimeout(previous)
    return install_package(downloaded, directory)
