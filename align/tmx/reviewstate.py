"""One definition of "still to review" for a unit, whatever wrote it.

A unit is to review when its ``x-review`` says so (the aligner's flag ``yes``,
or ``unreviewed`` from ``align review``) or its ``x-state`` is an XLIFF state
of a target nobody has checked (an MT draft). A reviewer's verdict in
``x-review`` (``accepted``, ``edited``) outranks the state it came in with.
``tmx export --skip-review`` and ``tmx stats`` both decide through
:func:`needs_review`.
"""

from __future__ import annotations

from collections.abc import Mapping

# XLIFF states of a target nobody has checked yet (1.2 §4.3.1.3 and 2.x ``initial``).
UNREVIEWED_STATES = frozenset(
    {"new", "needs-translation", "needs-adaptation", "needs-l10n", "initial",
     "needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
)  # fmt: skip
# ``x-review`` values: the aligner's flag (``yes``/``no``) and ``align review``'s labels.
_FLAGGED = frozenset({"1", "true", "yes", "y", "unreviewed"})
_VERDICTS = frozenset({"accepted", "edited", "rejected"})
#: What :func:`needs_review` counts, for reports.
NEEDS_REVIEW_RULE = "x-review flag set, or an unreviewed XLIFF x-state"


def review_flag(value: object) -> bool:
    """Is a ``review`` field (JSON bool, or ``x-review`` text) set?"""
    if isinstance(value, str):
        return value.strip().lower() in _FLAGGED
    return bool(value)


def needs_review(props: Mapping[str, str]) -> bool:
    """Is a unit with these props (``x-`` prefix dropped: ``review``, ``state``) still to review?"""
    review = props.get("review", "").strip().lower()
    if review in _VERDICTS:
        return False
    return review_flag(review) or props.get("state", "").strip() in UNREVIEWED_STATES
