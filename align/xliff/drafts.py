"""What goes into an XLIFF for post-editing: MT drafts and aligned pairs as units.

An MT draft is ``state="needs-review-translation"`` with ``state-qualifier=
"leveraged-mt"`` (XLIFF 2: ``initial`` with that state in ``subState``, until a
CAT tool confirms it, see :mod:`align.xliff.states`). An aligned pair the aligner
flagged for review is ``needs-review-translation`` too, without the qualifier
(it is a human translation, not MT), so the flag survives a round trip through
a CAT tool and ``tmx export --skip-review`` still leaves it out; an unflagged
aligned pair is ``translated``. Everything a post-editor should know about a
segment goes into its notes: the model score, a cut-off draft (decoder limit),
glossary fixes made and glossary problems left, the review flag and its reason,
and that a draft came from a test fixture and is not a translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.model import TranslationUnit

if TYPE_CHECKING:
    from align.tmx.writer import WriteStats
    from align.xmlsafe import InvalidChars

MT_STATE = "needs-review-translation"
# An aligned pair the aligner flagged: a translator still has to look (not MT: no qualifier).
FLAGGED_STATE = "needs-review-translation"
# Appended to the engine's tool name when the drafts come from a test fixture model.
FIXTURE_TOOL = " (TEST FIXTURE)"
TRUNCATED_NOTE = "TRUNCATED: the decoder hit its length limit (--max-length); the draft is cut off"


def glossary_notes(checker: Any, source: str, target: str) -> list[str]:
    """One note per term occurrence that is not ok (``checker``: align.glossary.Checker)."""
    if checker is None or not target:
        return []
    notes = []
    for f in checker.check(source, target):
        if f.status == "ok":
            continue
        found = f" (found '{f.found}')" if f.found else ""
        notes.append(f"glossary: {f.status} {f.term}: '{f.source}' → '{f.expected}'{found}")
    return notes


def mt_units(
    ids: Sequence[str],
    results: Sequence[Any],
    src_lang: str,
    tgt_lang: str,
    checker: Any = None,
) -> list[TranslationUnit]:
    """Units for MT ``results`` (align.mt.engine.TranslationResult) with segment ``ids``."""
    units = []
    for ident, r in zip(ids, results, strict=True):
        notes = [
            f"MT draft by {r.package}"
            + (f", model score {r.score:.4f}" if r.score is not None else "")
        ]
        if r.truncated:
            notes.append(TRUNCATED_NOTE)
        notes.extend(n for n in r.notes if n not in notes)
        for change in r.glossary_changes:
            if "before" in change and "after" in change:
                notes.append(f"glossary fix: '{change['before']}' → '{change['after']}'")
        notes.extend(glossary_notes(checker, r.source, r.text))
        units.append(
            TranslationUnit(
                source=r.source,
                target=r.text,
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                tuid=ident,
                props={"origin": r.origin},
                note="\n".join(notes),
                state=MT_STATE if r.text else None,
            )
        )
    return units


def aligned_unit(unit: TranslationUnit, review: bool) -> TranslationUnit:
    """An aligned pair as an XLIFF unit: ``translated``, or when the aligner flagged it
    (``review``) ``needs-review-translation`` with the reason in a note.

    The writer adds ``state-qualifier="leveraged-mt"`` only for MT origins, so an
    aligned pair never gets it; in XLIFF 2.1 a flagged pair is ``initial`` with the
    flagged state in ``subState`` (:mod:`align.xliff.states`): it reads back as
    written until a CAT tool confirms the segment.
    """
    notes = [unit.note] if unit.note else []
    if review:
        notes.append("REVIEW: the aligner flagged this pair (low confidence or unmatched)")
    for key in ("score", "bead"):
        if key in unit.props:
            notes.append(f"aligner {key}: {unit.props[key]}")
    unit.note = "\n".join(notes) or None
    if not unit.target:
        unit.state = None
    else:
        unit.state = FLAGGED_STATE if review else "translated"
    return unit


def write_mt_xliff(
    path: str | Path,
    document: str,
    ids: Sequence[str],
    results: Sequence[Any],
    translator: Any,
    version: str = "1.2",
    glossary: Any = None,
    contents: Sequence[Any] | None = None,
    invalid_chars: InvalidChars = "error",
) -> WriteStats:
    """One XLIFF for one input document's MT drafts (``translator``: align.mt.engine.Translator).

    The engine is recorded as a ``<tool>`` (1.2) or a tool note (2.x) with the
    package name and version; fixture drafts get a file note saying they are not
    translations. ``glossary`` (a loaded termbase) adds a note per term problem.
    ``invalid_chars`` is :func:`align.xliff.write_xliff`'s ("error" or "replace").
    """
    from align.xliff.writer import XliffFile, write_xliff

    src, tgt = translator.from_code, translator.to_code
    checker = None
    if glossary is not None:
        from align.glossary import Checker

        checker = Checker(glossary, src, tgt)
    route = getattr(translator, "route", [])
    version_of = "+".join(p.package_version or "?" for p in route) if route else ""
    name = translator.name + (FIXTURE_TOOL if translator.is_fixture else "")
    notes = []
    if translator.is_fixture:
        from align.mt.engine import FIXTURE_NOTE

        notes.append(FIXTURE_NOTE)
    units = mt_units(ids, results, src, tgt, checker)
    for unit, content in zip(units, contents or (), strict=False):
        unit.source_content = content
    xf = XliffFile(document, src, tgt, units, notes, tools=[("mt", name, version_of)])
    return write_xliff(path, [xf], version, invalid_chars=invalid_chars)  # type: ignore[arg-type]
