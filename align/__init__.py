"""align: offline translation, glossary enforcement, sentence alignment and TMX export.

The public Python API, one name per job, loaded on first use (``import align``
loads no stage and no heavy library)::

    import align
    doc = align.ingest_file("page.html", lang="en")          # Document
    segments = align.segment_document(doc)                    # [Segment]
    beads = align.align(src_lines, tgt_lines, "en", "ru")    # [Bead]
    align.write_tmx("out.tmx", units, src_lang="en", tgt_lang="ru")

Stages, in the order the data flows (each imports only the ones before it):
``align.text`` (ingest, segment) → ``align.mt`` (translate) → ``align.glossary``
(check, fix) → ``align.aligner`` (align) → ``align.tmx`` (export) and
``align.scoring`` (score) → ``align.run`` (the main job) → ``align.cli``.
Errors: every function raises :class:`InputError` (bad input, naming the file)
or :class:`OutputError` (cannot write), both :class:`AlignError`.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # shared types and errors
    "AlignError": "align.errors",
    "InputError": "align.errors",
    "OutputError": "align.errors",
    "Document": "align.model",
    "Paragraph": "align.model",
    "Segment": "align.model",
    "Bead": "align.model",
    "TranslationUnit": "align.model",
    # 1. read and segment
    "ingest_file": "align.text.ingest",
    "ingest_text": "align.text.ingest",
    "segment_text": "align.text.segment",
    "segment_document": "align.text.segment",
    "guess_language": "align.text.langid",
    # 2. translate
    "Translator": "align.mt.engine",
    "TranslationResult": "align.mt.engine",
    "PackageInfo": "align.mt.packages",
    "install_package": "align.mt.packages",
    "list_packages": "align.mt.packages",
    # 3. glossary
    "Glossary": "align.glossary.termbase",
    "Term": "align.glossary.termbase",
    "load_glossary": "align.glossary.termbase",
    "save_glossary": "align.glossary.termbase",
    "Finding": "align.glossary.check",
    "check_segments": "align.glossary.check",
    "FixResult": "align.glossary.fix",
    "fix_segment": "align.glossary.fix",
    # 4. align
    "align": "align.aligner",
    "read_vecalign": "align.aligner.beadio",
    "format_vecalign": "align.aligner.beadio",
    # 5. export
    "read_tmx": "align.tmx.reader",
    "write_tmx": "align.tmx.writer",
    "validate_tmx": "align.tmx.validate",
    "merge_tmx": "align.tmx.merge",
    # 5. score
    "MTScores": "align.scoring.mt",
    "score_mt": "align.scoring.mt",
    "score_alignment": "align.aligner.evaluate",
    "term_accuracy": "align.glossary.metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'align' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
