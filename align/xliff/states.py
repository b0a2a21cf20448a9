"""Target states between XLIFF 1.2 and 2.x, so a draft stays a draft through either version.

Units carry the 1.2 vocabulary (``needs-review-translation`` for an MT draft). 2.x
has only ``initial``/``translated``/``reviewed``/``final``, so an MT draft would
come back ``translated``, indistinguishable from a finished translation. The 2.x
writer therefore keeps the 1.2 state in the segment's ``subState``
(``align:<1.2 state>``, the authority-prefixed value XLIFF 2 asks for) and the
reader takes it back while ``state`` still agrees with it (a tool that changes
``state`` must update or drop ``subState``). Files written before ``subState``
was used say "still to review" only in a review note, which the reader also heeds.
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
    "needs-review-translation": "translated",
    "needs-review-adaptation": "translated",
    "needs-review-l10n": "translated",
    "translated": "translated",
    "signed-off": "reviewed",
    "final": "final",
}
STATES_20 = frozenset({"initial", "translated", "reviewed", "final"})
# 2.x states a 1.2 ``state`` attribute cannot hold, and the 1.2 state that says the same.
_STATE_12 = {"initial": "needs-translation", "reviewed": "signed-off"}
SUBSTATE_PREFIX = "align:"
# The 2.x unit note (category "review") that marks a draft, "needs review: translation".
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


def review_note(state: str | None) -> str | None:
    """The 2.x review note text for a draft state (``needs review: translation``), else None."""
    if state is None or state not in REVIEW_STATES:
        return None
    return REVIEW_NOTE_PREFIX + state.removeprefix("needs-review-")


def from_20(state: str, substate: str | None, review_notes: list[str]) -> str:
    """A 2.x segment's state in the units' 1.2 vocabulary where align recorded it.

    ``subState`` first; else, for older files, a ``translated`` segment whose unit
    has align's review note is the draft it says. Other states are kept as written.
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
