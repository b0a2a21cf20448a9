"""Turn the toolkit's other outputs into ``TranslationUnit``s for TMX export.

Three inputs: the aligner's bead jsonl (``src``/``tgt`` index lists with
``src_text``/``tgt_text``, ``score``, ``review``), the translator's jsonl
(``source``/``target`` with ``id``, ``package``, ``fixture``) and two plain
files with one segment per line. Keys are matched leniently so either tool can
add fields without breaking export.

A jsonl record may carry a reviewer's decision in ``x-review``, as ``align review
--export FILE.jsonl`` writes it (or as a reviewer typed it into the aligner's
jsonl): ``accepted``, ``edited``, ``rejected`` or ``unreviewed``. The decision
outranks the aligner's ``review`` flag: a rejected pair is not exported, an
accepted or edited one is exported even with ``--skip-review``, and an
unreviewed one is decided by the flag, which the unit keeps in ``x-flagged``
(a translator checks only the flagged pairs), as in ``align review``'s own TMX
export (:func:`~align.tmx.reviewstate.needs_review`). A record without
``x-review`` is decided by the flag alone.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from align.errors import InputError
from align.limits import check_segments
from align.model import TranslationUnit
from align.text.textio import open_input
from align.tmx.reviewstate import (
    APPROVED,
    REVIEW_JOURNAL_FORMAT,
    SOURCE_LINES,
    TARGET_LINES,
    VERDICTS,
    decided,
    flag_prop,
    needs_review,
    review_flag,
)
from align.tmx.writer import writable
from align.tmx.xmltext import unit_segtype

if TYPE_CHECKING:
    from align.xliff import XliffDocument


@dataclass(frozen=True)
class Filters:
    """Which units to leave out: ``min_score`` applies only to units that carry a score.

    ``keep_empty`` is the writer's (:func:`align.tmx.write_tmx`): a unit it will
    skip for an empty side is passed to it, and counted there, not here.
    """

    min_score: float | None = None
    skip_review: bool = False
    keep_empty: bool = False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v is not None)
    return str(value)


# The TMX note of a unit made by a test fixture model (JSONL and XLIFF input alike).
FIXTURE_TMX_NOTE = "Made by a test fixture model, not a real translation."


def _fixture_label(props: dict[str, str], note: str | None) -> str:
    """Mark ``props`` as fixture output and return the unit's note (``note``, else the label)."""
    props["fixture"] = "true"
    return note or FIXTURE_TMX_NOTE


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y")
    return bool(value)


def _ids(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def check_lists(obj: dict[str, Any], path: Path, lineno: int, keys: tuple[str, ...]) -> None:
    """InputError unless each of ``keys`` in ``obj`` is a JSON list (or absent, or null)."""
    for key in keys:
        if obj.get(key) is not None and not isinstance(obj[key], list):
            raise InputError(path, f"line {lineno}: {key!r} must be a list, not {obj[key]!r:.40}")


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; one-line errors for bad JSON."""
    p = Path(path)
    try:
        with open_input(p, "a .jsonl file", mode="r", encoding="utf-8-sig") as fh:
            any_line = False
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                any_line = True
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(p, f"line {lineno} is not JSON ({exc.msg})") from None
                if not isinstance(obj, dict):
                    raise InputError(p, f"line {lineno} is not a JSON object")
                yield lineno, obj
    except UnicodeDecodeError:
        raise InputError(p, "is not UTF-8 text") from None
    if not any_line:
        raise InputError(p, "is empty, expected one JSON object per line")


def review_verdict(obj: dict[str, Any], path: Path, lineno: int) -> str | None:
    """The reviewer's decision on a jsonl record, or None when it records none.

    ``x-review`` first; else a verdict written into ``review`` itself (where the
    aligner keeps its flag). Anything else in ``x-review`` is one InputError: a
    mistyped "rejected" must not export the pair it was meant to drop.
    """
    value = obj.get("x-review")
    if value is None:  # "unreviewed" in review is the aligner's flag, set
        return decided(obj.get("review"))
    if isinstance(value, str) and value.strip().lower() in VERDICTS:
        return value.strip().lower()
    raise InputError(
        path, f"line {lineno}: x-review must be one of {', '.join(VERDICTS)}, not {value!r:.40}"
    )


def _review_props(props: dict[str, str], verdict: str | None, obj: dict[str, Any]) -> bool:
    """Set ``props["review"]`` from a verdict and the record's flag; True if to review.

    A verdict outranks the flag (see the module docstring) and the flag is kept
    beside it in ``flagged`` (``x-flagged``) when the record has one; without a
    verdict the flag decides (``yes``/``no``, what ``align align -f tmx`` writes).
    """
    flagged = review_flag(obj.get("review"))
    if verdict is not None:
        props["review"] = verdict
        if "review" in obj and decided(obj["review"]) is None:
            props["flagged"] = flag_prop(flagged)
    else:
        props["review"] = flag_prop(flagged)
    return needs_review(props)


def refuse_review_journal(path: str | Path) -> None:
    """InputError for ``align review``'s journal given as a jsonl of pairs, naming the way out.

    The journal holds the edits made to an input, not the pairs; ``align review
    INPUT --export`` applies them (INPUT: the file beside it, or its run folder).
    """
    p = Path(path)
    if str(p) == "-" or not p.is_file():
        return
    with open(p, "rb") as fh:
        head = fh.readline(1 << 16)
    try:
        first = json.loads(head)
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(first, dict) or first.get("format") != REVIEW_JOURNAL_FORMAT:
        return
    suffix = ".review.jsonl"
    beside = p.with_name(p.name[: -len(suffix)]) if p.name.endswith(suffix) else None
    source = beside if beside is not None and beside.exists() else p.parent
    raise InputError(
        p,
        "is the journal of an `align review` (its edits, not the pairs); write the reviewed "
        f"pairs with `align review {source} --export FILE.tmx` (or FILE.jsonl to export here)",
    )


def units_from_jsonl(
    path: str | Path,
    src_lang: str,
    tgt_lang: str,
    filters: Filters = Filters(),
    document: str | None = None,
    left_out: Counter[str] | None = None,
) -> Iterator[TranslationUnit]:
    """Units from aligner beads or translation records (detected per line by their keys).

    A record the reviewer rejected (``x-review``) is never a unit; ``left_out``
    counts it under ``"rejected"``, and what ``filters`` leave out under
    ``"to review"`` (``skip_review``) and ``"below min score"``.
    """
    p = Path(path)
    doc = document or p.stem
    for lineno, obj in read_jsonl(p):
        if lineno == 1 and obj.get("format") == REVIEW_JOURNAL_FORMAT:
            refuse_review_journal(p)
        check_lists(obj, p, lineno, ("src", "tgt", "glossary_changes"))  # they are counted
        verdict = review_verdict(obj, p, lineno)
        if verdict == "rejected":
            if left_out is not None:
                left_out["rejected"] += 1
            continue
        if "src_text" in obj or "tgt_text" in obj:
            unit = _bead_unit(obj, lineno, src_lang, tgt_lang, doc, verdict)
        elif "source" in obj or "target" in obj:
            unit = _mt_unit(obj, lineno, src_lang, tgt_lang, doc, verdict)
        else:
            raise InputError(
                p,
                f"line {lineno} has neither src_text/tgt_text (aligned beads) nor "
                "source/target (translations)",
            )
        why = _left_out(unit, obj, filters)
        if why is None:
            yield unit
        elif left_out is not None:
            left_out[why] += 1


def _left_out(unit: TranslationUnit, obj: dict[str, Any], filters: Filters) -> str | None:
    """Why ``filters`` leave ``unit`` out (``"to review"``, ``"below min score"``), else None."""
    if not writable(unit, filters.keep_empty):
        return None  # the writer skips it, and counts it, for its empty side
    if filters.skip_review and needs_review(unit.props):
        return "to review"
    if unit.props.get("review") in APPROVED:
        return None  # a reviewer's approval outranks the aligner's score too
    score = obj.get("score")
    if (
        filters.min_score is not None
        and isinstance(score, int | float)
        and score < filters.min_score
    ):
        return "below min score"
    return None


def _bead_unit(
    obj: dict[str, Any],
    lineno: int,
    src_lang: str,
    tgt_lang: str,
    doc: str,
    verdict: str | None = None,
) -> TranslationUnit:
    # Same props as `align align --format tmx`, plus where the pair came from; ``verdict``
    # is the reviewer's (``x-review``), which outranks the aligner's flag.
    src_ids, tgt_ids = obj.get("src") or [], obj.get("tgt") or []
    props = {"origin": "aligned", "document": doc}
    if isinstance(obj.get("score"), int | float):
        props["score"] = f"{obj['score']:.4f}"
    review = _review_props(props, verdict, obj) and review_flag(obj.get("review"))
    if src_ids or tgt_ids:
        props["bead"] = obj.get("kind") or f"{len(src_ids)}-{len(tgt_ids)}"
        props[SOURCE_LINES] = _ids(src_ids)
        props[TARGET_LINES] = _ids(tgt_ids)
    if obj.get("glossary"):
        props["glossary"] = _text(obj["glossary"])
    several = max(len(src_ids), len(tgt_ids)) > 1
    source, target = _text(obj.get("src_text")), _text(obj.get("tgt_text"))
    return TranslationUnit(
        source=source,
        target=target,
        src_lang=obj.get("src_lang") or src_lang,
        tgt_lang=obj.get("tgt_lang") or tgt_lang,
        tuid=str(obj["id"]) if obj.get("id") is not None else f"{doc}-{lineno}",
        props=props,
        note="Low alignment confidence: please check." if review else None,
        segtype="paragraph" if several else _segtype(None, source, target),
    )


def _mt_unit(
    obj: dict[str, Any],
    lineno: int,
    src_lang: str,
    tgt_lang: str,
    doc: str,
    verdict: str | None = None,
) -> TranslationUnit:
    # Same props as `align translate --format tmx`.
    package = obj.get("package") or "unknown"
    props = {"origin": str(obj.get("origin") or f"mt:{package}"), "document": doc}
    if obj.get("id") is not None:
        props["segment-id"] = str(obj["id"])
    if isinstance(obj.get("score"), int | float):
        props["score"] = f"{obj['score']:.4f}"
    if obj.get("glossary_changes"):
        props["glossary-changes"] = str(len(obj["glossary_changes"]))
    if obj.get("glossary"):
        props["glossary"] = _text(obj["glossary"])
    if verdict is not None or review_flag(obj.get("review")):
        # recorded, so --skip-review and `tmx stats` agree; a reviewer's verdict wins
        _review_props(props, verdict, obj)
    note = obj.get("note") if isinstance(obj.get("note"), str) else None
    if _truthy(obj.get("fixture")):
        note = _fixture_label(props, note)
    source, target = _text(obj.get("source")), _text(obj.get("target"))
    return TranslationUnit(
        source=source,
        target=target,
        src_lang=obj.get("src_lang") or src_lang,
        tgt_lang=obj.get("tgt_lang") or tgt_lang,
        tuid=f"{doc}-{obj['id']}" if obj.get("id") is not None else f"{doc}-{lineno}",
        props=props,
        note=note,
        segtype=_segtype(obj.get("segtype"), source, target),
    )


def _segtype(given: Any, source: str, target: str) -> Literal["sentence", "paragraph"]:
    """The record's own segtype, else "sentence", by the writer's rule (``unit_segtype``)."""
    own = given if given in ("sentence", "paragraph") else "sentence"
    return unit_segtype(own, source, target)  # type: ignore[return-value]


def _read_lines(path: Path) -> list[str]:
    from align.text.textio import read_lines

    return read_lines(path)


def units_from_line_files(
    src_path: str | Path,
    tgt_path: str | Path,
    src_lang: str,
    tgt_lang: str,
    document: str | None = None,
) -> Iterator[TranslationUnit]:
    """Line ``i`` of one file translates line ``i`` of the other (blank lines pair too).

    A line that looks like several sentences becomes a "paragraph" unit, so OmegaT
    splits it into sentence matches.
    """
    sp, tp = Path(src_path), Path(tgt_path)
    src, tgt = _read_lines(sp), _read_lines(tp)
    check_segments(sp, src)
    check_segments(tp, tgt)
    if len(src) != len(tgt):
        raise InputError(
            tp, f"has {len(tgt)} lines but {sp} has {len(src)}; line files must pair line by line"
        )
    doc = document or sp.stem
    for n, (s, t) in enumerate(zip(src, tgt, strict=True), 1):
        yield TranslationUnit(
            source=s,
            target=t,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            tuid=f"{doc}-{n}",
            props={"origin": "human", "document": doc, "line": str(n)},
            segtype=unit_segtype("sentence", s, t),
        )


def units_from_xliff(
    path: str | Path,
    src_lang: str,
    tgt_lang: str,
    filters: Filters = Filters(),
    document: str | None = None,
    doc: XliffDocument | None = None,
    left_out: Counter[str] | None = None,
) -> Iterator[TranslationUnit]:
    """Units of an XLIFF 1.2/2.x (e.g. a post-edited file) with their inline codes.

    Every unit with a target is kept, its state in ``x-state`` (``new`` for a 1.2
    target without one); ``skip_review`` leaves out targets still in an unreviewed
    state (MT drafts nobody approved: :func:`~align.tmx.reviewstate.needs_review`).
    Notes are left out, except that fixture drafts are labelled as from JSONL.
    The file's languages must match ``src_lang``/``tgt_lang``. ``doc`` is ``path``
    already read (so :func:`detect_languages` and this parse it once); its units
    are changed in place. ``left_out`` counts the drafts ``skip_review`` leaves out
    under ``"to review"``.
    """
    from align.tmx.langs import lang_matches
    from align.xliff import read_xliff

    if doc is None:
        doc = read_xliff(path)
    # Ids are unique within a <file> only: when files share one, the writer numbers
    # the units afresh (each keeps its id in x-segment-id and its file in x-document).
    ids = [u.tuid for f in doc.files for u in f.units]
    shared = len(set(ids)) < len(ids)
    for f in doc.files:
        for want, have in ((src_lang, f.src_lang), (tgt_lang, f.tgt_lang)):
            if have and not (lang_matches(want, have) or lang_matches(have, want)):
                raise InputError(
                    path, f"is {f.src_lang}→{f.tgt_lang or '?'}, not {src_lang}→{tgt_lang}"
                )
        for unit in f.units:
            props = {
                "origin": unit.props.get("origin", "xliff"),
                "document": document or f.original or Path(path).name,
            }
            if unit.tuid:
                props["segment-id"] = unit.tuid
            props["state"] = unit.state or "new"
            if filters.skip_review and needs_review(props):
                if left_out is not None:
                    left_out["to review"] += 1
                continue
            # XLIFF notes are for the post-editor, not for the memory; the fixture label stays
            unit.note = _fixture_label(props, None) if unit.is_fixture else None
            unit.props = props
            if shared:
                unit.tuid = None
            yield unit


def detect_languages(
    first: str | Path,
    tgt_file: str | Path | None,
    src_lang: str | None,
    tgt_lang: str | None,
    doc: XliffDocument | None = None,
) -> tuple[str, str]:
    """Languages for an export the user gave none for: the input's own, else detected.

    ``first`` is the JSONL file (``tgt_file`` None) or the source line file. A
    JSONL record's ``src_lang``/``tgt_lang`` are used when present; otherwise the
    text is identified (:func:`align.text.langid.detect_language`, confident and
    script-checked). Never a default: raises ``InputError`` asking for ``-s``/``-t``
    when a language cannot be told. ``doc`` is an XLIFF ``first`` already read.
    """
    from align.langtags import is_valid_tag, normalize_tag
    from align.text.langid import detect_language
    from align.xliff import is_xliff

    if tgt_file is None and is_xliff(first):
        from align.xliff import read_xliff

        files = (doc or read_xliff(first)).files
        src_lang = src_lang or next((f.src_lang for f in files if f.src_lang), None)
        tgt_lang = tgt_lang or next((f.tgt_lang for f in files if f.tgt_lang), None)
        if not (src_lang and tgt_lang):
            raise InputError(first, "declares no target language; give -s and -t")
        return normalize_tag(src_lang), normalize_tag(tgt_lang)
    if tgt_file is None:
        sources: list[str] = []
        targets: list[str] = []
        declared: dict[str, str] = {}
        for _, obj in itertools.islice(read_jsonl(first), 500):
            for key in ("src_lang", "tgt_lang"):
                code = obj.get(key)
                if isinstance(code, str) and is_valid_tag(code):
                    declared.setdefault(key, normalize_tag(code))
            src_text = obj.get("source", obj.get("src_text"))
            tgt_text = obj.get("target", obj.get("tgt_text"))
            sources.append(_text(src_text))
            targets.append(_text(tgt_text))
        src_lang = src_lang or declared.get("src_lang")
        tgt_lang = tgt_lang or declared.get("tgt_lang")
        where = (first, first)
    else:
        sources, targets = _read_lines(Path(first)), _read_lines(Path(tgt_file))
        where = (first, tgt_file)
    found = []
    for given, texts, path, option in (
        (src_lang, sources, where[0], "-s/--src-lang"),
        (tgt_lang, targets, where[1], "-t/--tgt-lang"),
    ):
        if given:
            found.append(given)
            continue
        lang, reason = detect_language(texts)
        if lang is None:
            raise InputError(path, f"cannot tell its language ({reason}); give {option}")
        found.append(lang)
    return found[0], found[1]
