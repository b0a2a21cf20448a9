"""Target states between XLIFF 1.2 and 2.x, so a draft stays a draft through either version,
and stops being one when a translator confirms it.

Units carry the 1.2 vocabulary (``needs-review-translation`` for an MT draft or a
flagged aligned pair). 2.x has only ``initial``/``translated``/``reviewed``/``final``.
The 2.x writer puts a draft in ``state="initial"`` (its target present) and keeps
the 1.2 state in the segment's ``subState`` (``align:<1.2 state>``, the
authority-prefixed value XLIFF 2 asks for). The reader takes ``subState`` back
only while ``state`` is still the one it was written with: a CAT tool that
confirms the segment moves it to ``translated``/``reviewed``/``final`` (keeping
or dropping ``subState``), and the segment then reads as that state, no longer a
draft. Likewise ``signed-off`` is written ``reviewed`` + ``align:signed-off``.

Older align files wrote a draft as ``state="translated"`` (with, from one
version, the ``subState`` as well) and a unit note of category ``review``
("needs review: translation"); a ``translated`` segment with that note still
reads as the draft it says. Such a file cannot tell a draft from a confirmed
segment (the tool leaves both ``translated``), so its drafts stay drafts: write
it again with this version to let a CAT tool clear them.
"""

from __future__ import annotations

# XLIFF 1.2 target states that mean "a translator still has to look" (§4.3.1.3 state values).
REVIEW_STATES = frozenset(
    {"needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
)
STATE_20 = {
    "new": "initial",
    "needs-translation": "initial",
    "needs-adaptation": "initial",
    "needs-l10n": "initial",
    "needs-review-translation": "initial",  # a draft: not confirmed yet (a target present)
    "needs-review-adaptation": "initial",
    "needs-review-l10n": "initial",
    "translated": "translated",
    "signed-off": "reviewed",
    "final": "final",
}
STATES_20 = frozenset({"initial", "translated", "reviewed", "final"})
# 2.x states a 1.2 ``state`` attribute cannot hold, and the 1.2 state that says the same.
_STATE_12 = {"initial": "needs-translation", "reviewed": "signed-off"}
SUBSTATE_PREFIX = "align:"
# The 2.x unit note (category "review") that marked a draft in older files,
# "needs review: translation"; read, no longer written (the state says it now).
REVIEW_NOTE_CATEGORY = "review"
REVIEW_NOTE_PREFIX = "needs review: "


def to_20(state: str | None) -> tuple[str, str | None]:
    """2.x ``(state, subState)`` for a unit's state; ``subState`` only when ``state`` loses it.

    A 2.x state (a unit read from 2.x) is kept; an unknown one is ``initial``.
    """
    if not state or state in STATES_20:
        return state or "initial", None
    if state not in STATE_20:
        return "initial", None
    return STATE_20[state], SUBSTATE_PREFIX + state


def from_20(state: str, substate: str | None, review_notes: list[str]) -> str:
    """A 2.x segment's state in the units' 1.2 vocabulary where align recorded it.

    ``subState`` first, while ``state`` is the one it was written with (``initial``
    for a draft): a tool that confirmed the segment changed ``state``, and that
    state is the answer. Else, for older files, a ``translated`` segment whose
    unit has align's review note is the draft it says. Other states are kept as
    written.
    """
    if substate and substate.startswith(SUBSTATE_PREFIX):
        state12 = substate.removeprefix(SUBSTATE_PREFIX)
        if STATE_20.get(state12) == state:
            return state12
    if state == "translated":
        for note in (n.strip() for n in review_notes):
            state12 = "needs-review-" + note.removeprefix(REVIEW_NOTE_PREFIX)
            if note.startswith(REVIEW_NOTE_PREFIX) and state12 in REVIEW_STATES:
                return state12
    return state


def to_12(state: str | None) -> str | None:
    """A unit's state as a 1.2 ``state`` value (2.x ``initial``/``reviewed`` mapped)."""
    return _STATE_12.get(state or "", state)
