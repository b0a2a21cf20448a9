"""Write a reviewed alignment: TMX (through :func:`align.tmx.write_tmx`), TSV or jsonl.

Each unit carries ``x-review`` = ``accepted``, ``edited`` or ``unreviewed``
(rejected beads are left out of TMX and TSV; jsonl keeps them, marked
``rejected``, so a review can be re-opened elsewhere) and the bead's review
flag, the aligner's as the input gave it (``x-flagged`` yes/no; jsonl:
``review``), so an ``unreviewed`` pair nobody flagged is not taken for one
still to review (:func:`align.tmx.reviewstate.needs_review`). The aligner's
score stays in ``x-score`` while a bead keeps its lines; a regrouped bead gets
``x-original-score`` with the scores of the beads it was made from. A jsonl
export names the lines of the aligned files (``src``/``tgt``) and the bead type
(``kind``) as the input did, so it reads like the aligner's own jsonl.

Text the reviewer did not edit is written exactly as the input holds it (double
spaces, tabs and spaces at the ends included: :meth:`ReviewDoc.export_text`);
the page shows it, and an edit stores it, with white space runs as one space.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from align.aligner.formats import tsv_cell
from align.errors import InputError
from align.fsutil import write_text_atomic
from align.model import TranslationUnit
from align.review.model import RBead, ReviewDoc
from align.tmx.reviewstate import OLD_LINE_PROPS, SOURCE_LINES, TARGET_LINES, flag_prop

EXPORT_FORMATS = {".tmx": "tmx", ".gz": "tmx", ".tsv": "tsv", ".jsonl": "jsonl"}
# Props whose meaning is tied to the bead's exact lines; dropped when lines are regrouped.
_LINE_PROPS = ("score", "bead", "review", "flagged", SOURCE_LINES, TARGET_LINES, *OLD_LINE_PROPS)
# White space the review's display turns into a space that XML cannot hold (VT, FF,
# U+001C..U+001F): a TMX export writes a space for it, as it always has; any other
# character XML cannot hold still stops the export, naming it.
_XML_BAD_SPACE = str.maketrans(dict.fromkeys("\x0b\x0c\x1c\x1d\x1e\x1f", " "))


def export_format(path: str | Path) -> str:
    """The format ``path``'s name asks for; the null device (``/dev/null``) takes a TMX:
    the journal is applied and the export made (every check run), nothing kept."""
    from align.fsutil import is_null_device

    p = Path(path)
    if is_null_device(p):
        return "tmx"
    if p.name.lower().endswith(".gz") and not p.name.lower().endswith(".tmx.gz"):
        raise InputError(p, "export name must end in .tmx, .tmx.gz, .tsv or .jsonl")
    fmt = EXPORT_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(p, "export name must end in .tmx, .tmx.gz, .tsv or .jsonl")
    return fmt


def review_label(doc: ReviewDoc, bead: RBead) -> str:
    return doc.review_state(bead) or "unreviewed"


def bead_unit(doc: ReviewDoc, bead: RBead, flagged: bool | None = None) -> TranslationUnit:
    """The TMX unit of one bead: edited texts, input metadata, review state and scores.

    ``flagged``: the bead's review flag, kept in ``x-flagged`` (None: left out).
    """
    orig = doc.original(bead)
    origins = doc.origins(bead)
    if orig is not None:
        props = dict(orig.props)
        if orig.score is not None and "score" not in props:
            props["score"] = f"{orig.score:.4f}"
        tuid, note, segtype = orig.tuid, orig.note, orig.segtype
    else:
        props = {k: v for k, v in (origins[0].props if origins else {}).items()}
        for key in _LINE_PROPS:
            props.pop(key, None)
        scores = [f"{o.score:.4f}" for o in origins if o.score is not None]
        if scores:
            props["original-score"] = ",".join(scores)
        props["bead"] = doc.kind(bead)
        if doc.input_ids is not None:
            for side, key in (("src", SOURCE_LINES), ("tgt", TARGET_LINES)):
                props[key] = ",".join(str(i) for i in doc.input_lines(bead, side))
        first = origins[0].tuid if origins else None
        tuid = f"{first}.r{bead.id}" if first else None
        notes = [o.note for o in origins if o.note]
        note = "\n".join(notes) if notes else None
        multi = len(bead.src) > 1 or len(bead.tgt) > 1
        segtype = "paragraph" if multi else origins[0].segtype if origins else "sentence"
    props["review"] = review_label(doc, bead)
    if flagged is not None:
        props["flagged"] = flag_prop(flagged)
    return TranslationUnit(
        source=doc.export_text(bead, "src").translate(_XML_BAD_SPACE),
        target=doc.export_text(bead, "tgt").translate(_XML_BAD_SPACE),
        src_lang=doc.src_lang,
        tgt_lang=doc.tgt_lang,
        tuid=tuid,
        props=props,
        note=note,
        segtype=segtype,  # type: ignore[arg-type]
    )


def export(doc: ReviewDoc, path: str | Path, flagged: Any = None) -> dict[str, int]:
    """Write ``doc`` to ``path`` (format from the suffix); returns counts of what was written.

    ``flagged(bead) -> bool`` is the bead's review flag (the aligner's, as the
    input gave it: :meth:`align.review.ReviewSession.flagged`): jsonl's ``review``
    field and the TMX's ``x-flagged``; without it both are left out.
    """
    p = Path(path)
    fmt = export_format(p)
    kept = [b for b in doc.beads if b.status != "rejected"]
    counts = {"beads": len(doc.beads), "rejected": len(doc.beads) - len(kept)}
    if fmt == "tmx":
        from align.tmx import write_tmx

        stats = write_tmx(
            p,
            [bead_unit(doc, b, None if flagged is None else bool(flagged(b))) for b in kept],
            src_lang=doc.src_lang,
            tgt_lang=doc.tgt_lang,
            header_props={"review-tool": "align review"},
        )
        counts.update(written=stats.written, skipped_unmatched=stats.skipped)
    elif fmt == "tsv":
        rows = []
        for b in kept:
            if not b.src or not b.tgt:
                continue
            score = doc.score(b)
            cells = [tsv_cell(doc.export_text(b, side)) for side in ("src", "tgt")]
            shown = "" if score is None else f"{score:.4f}"
            rows.append(f"{cells[0]}\t{cells[1]}\t{shown}\t{review_label(doc, b)}\n")
        write_text_atomic(p, "".join(rows))
        counts.update(written=len(rows), skipped_unmatched=len(kept) - len(rows))
    else:
        out = []
        for b in doc.beads:
            score = doc.score(b)
            rec: dict[str, Any] = {
                "src": list(doc.input_lines(b, "src")),
                "tgt": list(doc.input_lines(b, "tgt")),
                "src_text": doc.export_text(b, "src"),
                "tgt_text": doc.export_text(b, "tgt"),
                "score": None if score is None else round(score, 4),
                "kind": doc.kind(b),
                "x-review": review_label(doc, b),
            }
            if flagged is not None:
                rec["review"] = bool(flagged(b))
            out.append(json.dumps(rec, ensure_ascii=False) + "\n")
        write_text_atomic(p, "".join(out))
        counts.update(written=len(out), skipped_unmatched=0)
    return counts
