"""XLIFF 1.2 and 2.1: MT drafts and aligned pairs out to CAT tools, post-edits back in.

Write with :func:`write_xliff`, read with :func:`read_xliff` / :func:`xliff_units`.
Inline codes map to the same model as TMX (:class:`align.model.InlineCode`).

Stage 5 (export). May import: ``align.tmx``, ``align.text`` and earlier stages, and the shared leaves.
"""

from __future__ import annotations

from align.xliff.reader import (
    XLIFF_SUFFIXES,
    XliffDocument,
    is_xliff,
    read_xliff,
    xliff_suffix_names,
    xliff_units,
)
from align.xliff.states import REVIEW_STATES
from align.xliff.writer import XliffFile, nmtoken, write_xliff

__all__ = [
    "REVIEW_STATES",
    "XLIFF_SUFFIXES",
    "XliffDocument",
    "XliffFile",
    "is_xliff",
    "nmtoken",
    "read_xliff",
    "write_xliff",
    "xliff_suffix_names",
    "xliff_units",
]
