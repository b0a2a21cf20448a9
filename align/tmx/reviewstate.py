"""One definition of a unit's review standing, whatever wrote it.

A unit is to review when its ``x-review`` says so (the aligner's flag ``yes``),
or a reviewer left it undecided (``unreviewed``, from ``align review``) and it
was flagged (``x-flagged`` ``yes``: the aligner's flag, kept beside the
verdict), or its ``x-state`` is an XLIFF state of a target nobody has checked
(an MT draft). A translator checks the flagged pairs only: an ``unreviewed``
pair nobody flagged (``x-flagged`` ``no``) is as good as the aligner's
unflagged pair. An ``unreviewed`` without ``x-flagged`` (an export of an
earlier version, which did not keep the flag) stays to review: nothing says
it was not flagged. A reviewer's verdict in ``x-review`` (``accepted``,
``edited``, ``rejected``) outranks the flag and the state it came in with.
``tmx export --skip-review`` and ``tmx stats`` both decide through
:func:`needs_review`; ``tmx merge`` ranks units by :func:`standing`.

The names a reviewer's verdict takes (:data:`VERDICTS`) and the format name of
``align review``'s journal (:data:`REVIEW_JOURNAL_FORMAT`) are defined here, the
lower of the two stages: ``align.review`` imports them, ``align.tmx`` cannot
import ``align.review``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align.aligner.flags import Reason

# XLIFF states of a target nobody has checked yet (1.2 §4.3.1.3 and 2.x ``initial``).
UNREVIEWED_STATES = frozenset(
    {"new", "needs-translation", "needs-adaptation", "needs-l10n", "initial",
     "needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
)  # fmt: skip
#: ``x-review``: a reviewer's decision, as ``align review`` labels a bead on export.
VERDICTS = ("accepted", "edited", "rejected", "unreviewed")
#: The verdicts that approve a target (it is kept, and outranks any flag or state).
APPROVED = frozenset({"accepted", "edited"})
#: The verdicts that settle a unit (all but ``unreviewed``): nothing is left to review.
DECIDED = frozenset(VERDICTS) - {"unreviewed"}


def decided(value: object) -> str | None:
    """The reviewer's decision (accepted, edited, rejected) ``value`` records, else None.

    For a ``review``/``x-review`` value, which may hold the aligner's flag instead.
    """
    text = value.strip().lower() if isinstance(value, str) else ""
    return text if text in DECIDED else None


# ``x-review`` values that ask for a review: the aligner's flag and ``unreviewed``.
_FLAGGED = frozenset({"1", "true", "yes", "y", "unreviewed"})
#: The props (``x-`` prefix dropped) :func:`needs_review` reads.
REVIEW_PROPS = ("review", "flagged", "state")
#: The first line of ``align review``'s journal names this format (align.review.journal).
REVIEW_JOURNAL_FORMAT = "align-review-journal"
#: The props naming a bead's lines of the aligned files (0-based, ``"3,4"``), as every
#: TMX writer of beads writes them (``x-source-lines``/``x-target-lines``: ``tmx
#: export`` of a bead jsonl, ``align review``'s export): a reopened review numbers
#: its beads by them.
SOURCE_LINES, TARGET_LINES = "source-lines", "target-lines"
#: The names ``tmx export`` gave them before; read as the above when they hold line
#: numbers (an ``align run`` TMX uses ``x-source-segments`` for segment ids).
OLD_LINE_PROPS = {"source-segments": SOURCE_LINES, "target-segments": TARGET_LINES}
#: What :func:`needs_review` counts, for reports.
NEEDS_REVIEW_RULE = (
    "x-review flag set, or unreviewed with x-flagged set, or an unreviewed XLIFF x-state"
)


class Standing(IntEnum):
    """How far a unit's target can be trusted, lowest first (``tmx merge`` keeps the highest)."""

    REJECTED = 0  #: x-review ``rejected``
    MT_DRAFT = 1  #: machine translation nobody approved
    TO_REVIEW = 2  #: a human or aligned pair flagged for review (the aligner's flag)
    REVIEWED = 3  #: human, aligned and not flagged, or approved by a reviewer


def review_flag(value: object) -> bool:
    """Is a ``review`` field (JSON bool, or ``x-review`` text) set?"""
    if isinstance(value, str):
        return value.strip().lower() in _FLAGGED
    return bool(value)


def _review(props: Mapping[str, str]) -> str:
    return props.get("review", "").strip().lower()


def _state(props: Mapping[str, str]) -> str:
    return props.get("state", "").strip()


def flag_prop(flagged: bool) -> str:
    """The ``x-flagged`` (and aligner ``x-review``) text of a flag: ``yes`` or ``no``."""
    return "yes" if flagged else "no"


def kept_flag(props: Mapping[str, str]) -> bool | None:
    """The flag a unit carries (``x-flagged``, else the aligner's ``x-review`` yes/no), or
    None when it carries none (no ``x-review``, or a verdict without ``x-flagged``)."""
    if "flagged" in props:
        return review_flag(props["flagged"])
    review = _review(props)
    if not review or review in VERDICTS:
        return None
    return review_flag(review)


def needs_review(props: Mapping[str, str]) -> bool:
    """Is a unit with these props (``x-`` prefix dropped: ``review``, ``flagged``,
    ``state``) still to review? See the module docstring."""
    review = _review(props)
    if review in DECIDED:
        return False
    if review == "unreviewed":
        flagged = review_flag(props.get("flagged", "yes"))  # no flag kept: to review
    else:
        flagged = review_flag(review)
    return flagged or _state(props) in UNREVIEWED_STATES


def is_mt_draft(props: Mapping[str, str]) -> bool:
    """Machine translation nobody approved: ``origin`` ``mt:...`` or an unreviewed x-state.

    A reviewer's ``accepted``/``edited`` makes it reviewed; so does an XLIFF state
    past the draft (``translated``, ``reviewed``, ``final``...): a translator
    confirmed the segment in a CAT tool.
    """
    if _review(props) in APPROVED:
        return False
    state = _state(props)
    if state in UNREVIEWED_STATES:
        return True
    return props.get("origin", "").startswith("mt:") and not state


def standing(props: Mapping[str, str]) -> Standing:
    """The :class:`Standing` of a unit with these props (``origin``, ``review``, ``state``)."""
    if _review(props) == "rejected":
        return Standing.REJECTED
    if is_mt_draft(props):
        return Standing.MT_DRAFT
    if needs_review(props):
        return Standing.TO_REVIEW
    return Standing.REVIEWED


#: The reasons (:class:`align.aligner.flags.Reason` codes) the aligner's own flag decides:
#: a pair's confidence, or a line left unmatched.
ALIGNER_REASONS = ("null", "low")


def reasons_for_flag(reasons: Sequence[Reason], flag: bool, score: float | None) -> list[Reason]:
    """The reasons to show for a bead made to agree with the aligner's flag on it.

    ``align review`` and ``align run``'s report flag a bead that has any reason;
    the aligner flags by its calibrated probability, with its own threshold
    (``--review-below``). Unflagged, its reasons go: it judged the pair, or the
    unmatched line, sure enough, and a translator checks the flagged beads only;
    the other checks (length, script, glossary...) stay. Flagged without such a
    reason, one says so. Both then flag every bead the aligner flagged.
    """
    if not flag:
        return [r for r in reasons if r.code not in ALIGNER_REASONS]
    if any(r.code in ALIGNER_REASONS for r in reasons):
        return list(reasons)
    from align.aligner.flags import Reason

    shown = "" if score is None else f" (probability {score:.4f} of being right)"
    return [Reason("low", f"flagged by the aligner{shown}"), *reasons]
