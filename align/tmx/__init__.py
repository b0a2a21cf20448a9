"""TMX 1.4b export and import that CAT tools (OmegaT, Trados, memoQ) accept.

Write with :func:`write_tmx`, read with :func:`read_tmx`, check with
:func:`validate_tmx`, combine with :func:`merge_tmx`.

Stage 5 (export). May import: ``align.text`` and earlier stages, and the shared leaves.
"""

from __future__ import annotations

from align.tmx.langs import format_lang, lang_matches
from align.tmx.merge import MergeStats, merge_tmx
from align.tmx.reader import guess_languages, read_header, read_tmx
from align.tmx.sources import Filters, units_from_jsonl, units_from_line_files
from align.tmx.stats import TmxStats, tmx_stats, tmx_to_tsv
from align.tmx.validate import Problem, validate_tmx
from align.tmx.writer import WriteStats, write_tmx

__all__ = [
    "Filters",
    "MergeStats",
    "Problem",
    "TmxStats",
    "WriteStats",
    "format_lang",
    "guess_languages",
    "lang_matches",
    "merge_tmx",
    "read_header",
    "read_tmx",
    "tmx_stats",
    "tmx_to_tsv",
    "units_from_jsonl",
    "units_from_line_files",
    "validate_tmx",
    "write_tmx",
]
