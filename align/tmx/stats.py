"""Figures about a TMX file and a TSV view of it, for a quick look or a spreadsheet."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from align.fsutil import atomic_write
from align.tmx.langs import pick_lang
from align.tmx.reader import iterparse_tmx, localname, read_tmx, seg_text, tuv_lang
from align.tmx.reviewstate import REVIEW_PROPS, needs_review


@dataclass
class TmxStats:
    """Counts over all ``<tu>``s; ``origins`` and ``review`` come from our ``x-`` props.

    ``review`` counts units still to review by :func:`~align.tmx.reviewstate.needs_review`
    (``x-review`` flag, ``unreviewed`` with ``x-flagged`` set, or an unreviewed XLIFF
    ``x-state``), as ``tmx export --skip-review``.
    """

    path: str
    srclang: str | None = None
    creationtool: str | None = None
    units: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    segtypes: dict[str, int] = field(default_factory=dict)
    origins: dict[str, int] = field(default_factory=dict)
    review: int = 0
    single_language: int = 0
    empty_segs: int = 0
    source_chars: int = 0
    first_date: str | None = None
    last_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tmx_stats(path: str | Path) -> TmxStats:
    """Stream ``path`` once and count; raises ``InputError`` for non-TMX files."""
    stats = TmxStats(path=str(path))
    langs: Counter[str] = Counter()
    segtypes: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    header_segtype = "sentence"
    for event, elem in iterparse_tmx(path, tags=("header", "tu")):
        name = localname(elem)
        if event == "start" and name == "header":
            stats.srclang = elem.get("srclang")
            stats.creationtool = elem.get("creationtool")
            header_segtype = elem.get("segtype") or header_segtype
        if event != "end" or name != "tu":
            continue
        stats.units += 1
        segtypes[elem.get("segtype") or header_segtype] += 1
        date = elem.get("changedate") or elem.get("creationdate")
        if date:
            stats.first_date = min(date, stats.first_date or date)
            stats.last_date = max(date, stats.last_date or date)
        review_props: dict[str, str] = {}
        tuvs: list[tuple[str | None, str]] = []
        for child in elem:
            kind = localname(child)
            if kind == "prop" and child.get("type") == "x-origin":
                origins[child.text or ""] += 1
            elif kind == "prop" and (ptype := child.get("type", "")).startswith("x-"):
                if ptype[2:] in REVIEW_PROPS:
                    review_props[ptype[2:]] = child.text or ""
            elif kind == "tuv":
                seg = next((c for c in child if localname(c) == "seg"), None)
                tuvs.append((tuv_lang(child), seg_text(seg) if seg is not None else ""))
        langs.update(lang or "?" for lang, _ in tuvs)
        stats.empty_segs += sum(not text.strip() for _, text in tuvs)
        source = _source_text(stats.srclang, tuvs)
        stats.source_chars += len(source) if source.strip() else 0
        stats.single_language += len({lang or "?" for lang, _ in tuvs}) < 2
        stats.review += needs_review(review_props)
    stats.languages = dict(langs.most_common())
    stats.segtypes = dict(segtypes.most_common())
    stats.origins = dict(origins.most_common())
    return stats


def _source_text(srclang: str | None, tuvs: list[tuple[str | None, str]]) -> str:
    """The text of the ``<tuv>`` the reader takes as source (:func:`pick_lang`), else "".

    One ``<tuv>`` per unit, so an ``en`` -> ``en-GB`` memory counts only the ``en`` side.
    """
    at = pick_lang(srclang, [lang for lang, _ in tuvs]) if srclang else None
    return "" if at is None else tuvs[at][1]


def tsv_escape(text: str) -> str:
    """Backslash-escape so one unit stays on one line: ``\\\\``, ``\\t``, ``\\n``, ``\\r``."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def tmx_to_tsv(
    path: str | Path, out: str | Path | TextIO, src_lang: str, tgt_lang: str, header: bool = False
) -> int:
    """Write ``source<TAB>target`` lines (escaped with :func:`tsv_escape`); return the count.

    ``out`` is a path (written atomically) or an open text stream such as ``sys.stdout``.
    """
    if not isinstance(out, str | Path):
        return _write_tsv(path, out, src_lang, tgt_lang, header)
    with atomic_write(out, newline="\n") as fh:
        return _write_tsv(path, fh, src_lang, tgt_lang, header)


def _write_tsv(path: str | Path, fh: TextIO, src_lang: str, tgt_lang: str, header: bool) -> int:
    count = 0
    if header:
        fh.write(f"{src_lang}\t{tgt_lang}\n")
    for unit in read_tmx(path, src_lang, tgt_lang):
        fh.write(f"{tsv_escape(unit.source)}\t{tsv_escape(unit.target)}\n")
        count += 1
    return count
