"""What ``align review`` can open: a TMX, a bead jsonl, or an ``align run`` output folder.

Each is read through the toolkit's own readers and becomes a :class:`Source`:
the :class:`ReviewDoc` to edit, the journal and default export paths beside
the input, a fingerprint of the input bytes (a journal made for other content
is refused) and, for a run folder, the glossary the run exported.

Each bead keeps the review flag its input records (the aligner's ``review`` /
``x-review`` yes/no, or the ``x-flagged`` of an exported review) and the
reviewer's decision (``x-review`` accepted, edited or rejected of an exported
review, TMX or jsonl): a reopened review resumes where it was exported.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.review.model import Original, ReviewDoc

JOURNAL_SUFFIX = ".review.jsonl"
_ALIGN_FILE = re.compile(r"^(?P<name>.+)\.(?P<src>[A-Za-z0-9_-]+)-(?P<tgt>[A-Za-z0-9_-]+)\.align$")


@dataclass
class Source:
    """An opened review input.

    ``files`` are the only paths read (the fingerprint covers them); ``journal`` and
    ``export`` are the only paths written.
    """

    path: Path
    kind: str  # tmx | jsonl | run
    doc: ReviewDoc
    files: list[Path]
    journal: Path
    export: Path
    fingerprint: str
    glossary: Path | None = None
    name: str = ""
    inline_codes: int = 0  # <bpt>/<ph>/... in a TMX input: shown and exported as text only


_INLINE_CODE = re.compile(rb"<(?:bpt|ept|ph|it|ut)[\s>/]")


def _fingerprint(files: list[Path], codes: list[int] | None = None) -> str:
    """SHA-256 over the files' names and bytes; ``codes`` gets the count of TMX inline codes."""
    h = hashlib.sha256()
    found = 0
    for f in files:
        h.update(f.name.encode() + b"\0")
        with f.open("rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
                if codes is not None:
                    found += len(_INLINE_CODE.findall(chunk))
    if codes is not None:
        codes.append(found)
    return h.hexdigest()


def _score(value: object) -> float | None:
    try:
        score = float(str(value))
    except (TypeError, ValueError):
        return None
    return score if math.isfinite(score) else None


def open_source(
    path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None
) -> Source:
    """Open ``path`` (TMX file, ``.jsonl`` beads or run folder); InputError when it is none.

    ``src_lang``/``tgt_lang`` are required for jsonl (which does not name its
    languages) and optional otherwise (TMX: header ``srclang`` and the first other
    language; run folder: from the ``NAME.SRC-TGT.align`` file name).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file or folder")
    if p.is_dir():
        return _open_run(p, src_lang, tgt_lang)
    lower = p.name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return _open_jsonl(p, src_lang, tgt_lang)
    if lower.endswith((".tmx", ".tmx.gz", ".xml")):
        return _open_tmx(p, src_lang, tgt_lang)
    raise InputError(
        p, "is not something align review opens: give a .tmx, a .jsonl from `align align "
        "-f jsonl`, or an `align run` output folder"
    )  # fmt: skip


def _beside(p: Path, suffix: str) -> Path:
    return p.with_name(p.name + suffix)


def _stem(p: Path) -> str:
    name = p.name
    for ext in (".tmx.gz", ".tmx", ".jsonl", ".ndjson", ".xml"):
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return name


def _open_tmx(p: Path, src_lang: str | None, tgt_lang: str | None) -> Source:
    from align.tmx import guess_languages, read_tmx

    if not src_lang or not tgt_lang:
        g_src, g_tgt = guess_languages(p)
        src_lang, tgt_lang = src_lang or g_src, tgt_lang or g_tgt
    from align.tmx.reviewstate import decided, kept_flag

    src, tgt, originals = [], [], []
    raw: dict[str, list[str]] = {"src": [], "tgt": []}  # the texts exactly, for exports
    for n, unit in enumerate(read_tmx(p, src_lang, tgt_lang)):
        src.append(" ".join(unit.source.split()))
        tgt.append(" ".join(unit.target.split()))
        raw["src"].append(unit.source)
        raw["tgt"].append(unit.target)
        originals.append(
            Original(
                (n,),
                (n,),
                _score(unit.props.get("score")),
                unit.tuid,
                _line_props(unit.props),
                unit.note,
                unit.segtype,
                kept_flag(unit.props),
                decided(unit.props.get("review")),
            )
        )
    doc = ReviewDoc(src, tgt, originals, src_lang, tgt_lang, _tmx_line_ids(originals), raw)
    codes: list[int] = []
    fingerprint = _fingerprint([p], None if p.name.lower().endswith(".gz") else codes)
    return Source(
        p,
        "tmx",
        doc,
        [p],
        _beside(p, JOURNAL_SUFFIX),
        p.with_name(_stem(p) + ".reviewed.tmx"),
        fingerprint,
        name=p.name,
        inline_codes=codes[0] if codes else 0,
    )


def _line_ids(value: object) -> tuple[int, ...] | None:
    """A jsonl bead's ``src``/``tgt``: line numbers (whole numbers >= 0), else None."""
    if not isinstance(value, list) or not all(type(i) is int and i >= 0 for i in value):
        return None
    return tuple(value)


def _numbers(text: str | None) -> tuple[int, ...] | None:
    """``"3,4"`` as (3, 4); None unless it is one or more whole numbers."""
    parts = (text or "").split(",")
    if not all(p.strip().isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _line_props(props: dict[str, str]) -> dict[str, str]:
    """``props`` with the line props under their one name: a TMX ``tmx export`` wrote
    before names them ``x-source-segments``/``x-target-segments``."""
    from align.tmx.reviewstate import OLD_LINE_PROPS

    old = {k: v for k, v in OLD_LINE_PROPS.items() if k in props and v not in props}
    if len(old) < 2 or any(_numbers(props[k]) is None for k in old):
        return props  # not line numbers (an `align run` TMX's segment ids), or the new names
    return {old.get(k, k): v for k, v in props.items()}


def _tmx_line_ids(originals: list[Original]) -> dict[str, list[tuple[int, ...]]] | None:
    """Each unit's lines of the aligned files, when every unit names them (``x-source-lines``
    and ``x-target-lines``, as a review of a jsonl and ``tmx export`` write them), else None."""
    from align.tmx.reviewstate import SOURCE_LINES, TARGET_LINES

    ids: dict[str, list[tuple[int, ...]]] = {"src": [], "tgt": []}
    for o in originals:
        for side, key in (("src", SOURCE_LINES), ("tgt", TARGET_LINES)):
            lines = _numbers(o.props.get(key))
            if lines is None:
                return None
            ids[side].append(lines)
    return ids if originals else None


def _open_jsonl(p: Path, src_lang: str | None, tgt_lang: str | None) -> Source:
    from align.tmx.reviewstate import SOURCE_LINES, TARGET_LINES, decided, review_flag
    from align.tmx.sources import check_lists, read_jsonl, review_verdict

    if not src_lang or not tgt_lang:
        raise InputError(p, "a jsonl alignment does not name its languages; give -s and -t")
    src: list[str] = []
    tgt: list[str] = []
    raw: dict[str, list[str]] = {"src": [], "tgt": []}  # the texts exactly, for exports
    originals: list[Original] = []
    # The lines of the aligned files each side stands for, while every bead names them.
    ids: dict[str, list[tuple[int, ...]]] | None = {"src": [], "tgt": []}
    for lineno, rec in read_jsonl(p):
        if "src_text" not in rec or "tgt_text" not in rec:
            raise InputError(
                p, f"line {lineno} has no src_text/tgt_text; expected `align align -f jsonl` beads"
            )
        check_lists(rec, p, lineno, ("src", "tgt"))
        # The jsonl holds each side's lines joined, so a side is one reviewable line.
        given = {"src": str(rec["src_text"] or ""), "tgt": str(rec["tgt_text"] or "")}
        s, t = (" ".join(given[side].split()) for side in ("src", "tgt"))
        s_ids: tuple[int, ...] = ()
        t_ids: tuple[int, ...] = ()
        own = {"src": _line_ids(rec.get("src")), "tgt": _line_ids(rec.get("tgt"))}
        for side, text, lines in (("src", s, src), ("tgt", t, tgt)):
            if not text:
                continue
            if side == "src":
                s_ids = (len(lines),)
            else:
                t_ids = (len(lines),)
            lines.append(text)
            raw[side].append(given[side])
            if ids is not None and own[side]:
                ids[side].append(own[side])  # type: ignore[arg-type]
            else:
                ids = None  # a bead without its line numbers: number the segments
        if not s_ids and not t_ids:
            continue
        props = {"bead": str(rec.get("kind", ""))}
        if rec.get("src") is not None:
            props[SOURCE_LINES] = ",".join(str(i) for i in rec["src"])
            props[TARGET_LINES] = ",".join(str(i) for i in rec.get("tgt", []))
        verdict = review_verdict(rec, p, lineno)
        flag = (
            review_flag(rec["review"])
            if "review" in rec and decided(rec["review"]) is None
            else None
        )
        originals.append(
            Original(
                s_ids,
                t_ids,
                _score(rec.get("score")),
                None,
                props,
                flag=flag,
                verdict=None if verdict == "unreviewed" else verdict,
            )
        )
    doc = ReviewDoc(src, tgt, originals, src_lang, tgt_lang, ids, raw)
    return Source(
        p,
        "jsonl",
        doc,
        [p],
        _beside(p, JOURNAL_SUFFIX),
        p.with_name(_stem(p) + ".reviewed.tmx"),
        _fingerprint([p]),
        name=p.name,
    )


def _open_run(p: Path, src_lang: str | None, tgt_lang: str | None) -> Source:
    from align.aligner.beadio import read_vecalign
    from align.text.textio import read_lines
    from align.tmx.reviewstate import kept_flag

    candidates = []
    for f in sorted(p.glob("*.align")):
        m = _ALIGN_FILE.match(f.name)
        if m and (not src_lang or m["src"] == src_lang) and (not tgt_lang or m["tgt"] == tgt_lang):
            candidates.append((f, m))
    if not candidates:
        raise InputError(p, "has no NAME.SRC-TGT.align file; is it an `align run` output folder?")
    if len(candidates) > 1:
        names = ", ".join(f.name for f, _ in candidates)
        raise InputError(p, f"holds several alignments ({names}); choose one with -s and -t")
    align_file, m = candidates[0]
    name, src_lang, tgt_lang = m["name"], m["src"], m["tgt"]
    src_file, tgt_file = p / f"{name}.{src_lang}.txt", p / f"{name}.{tgt_lang}.txt"
    for f in (src_file, tgt_file):
        if not f.is_file():
            raise InputError(f, "no such file (the run folder is incomplete)")
    src, tgt = read_lines(src_file), read_lines(tgt_file)
    beads = read_vecalign(align_file)
    units = {}
    tmx = p / f"{name}.{src_lang}-{tgt_lang}.tmx"
    if tmx.is_file():
        from align.tmx import read_tmx

        units = {u.tuid: u for u in read_tmx(tmx, src_lang, tgt_lang) if u.tuid}
    originals = []
    for n, b in enumerate(beads):
        for side, ids, lines in (("source", b.src, src), ("target", b.tgt, tgt)):
            if any(i >= len(lines) for i in ids):
                raise InputError(align_file, f"bead {n + 1} names {side} line past the end")
        unit = units.get(f"{name}-{n + 1}")
        originals.append(
            Original(
                b.src,
                b.tgt,
                b.score,
                unit.tuid if unit else f"{name}-{n + 1}",
                dict(unit.props) if unit else {"origin": "aligned", "bead": b.kind},
                unit.note if unit else None,
                unit.segtype
                if unit
                else "paragraph"
                if len(b.src) > 1 or len(b.tgt) > 1
                else "sentence",
                kept_flag(unit.props) if unit else None,
            )
        )
    doc = ReviewDoc(src, tgt, originals, src_lang, tgt_lang)
    glossary = p / f"{name}.tbx"
    stem = f"{name}.{src_lang}-{tgt_lang}"
    files = [align_file, src_file, tgt_file] + ([tmx] if tmx.is_file() else [])
    # The beads and texts decide whether a journal fits; the TMX (dated on every run)
    # only lends its props, so rerunning `align run` with the same result keeps the review.
    return Source(
        p,
        "run",
        doc,
        files,
        p / f"{stem}{JOURNAL_SUFFIX}",
        p / f"{stem}.reviewed.tmx",
        _fingerprint(files[:3]),
        glossary if glossary.is_file() else None,
        name=f"{p.name}/{stem}",
    )
