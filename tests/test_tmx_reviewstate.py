"""``needs_review``: the one definition of "still to review" behind stats and --skip-review."""

from __future__ import annotations

import pytest

from align.tmx.reviewstate import UNREVIEWED_STATES, needs_review, review_flag


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({}, False),
        ({"review": "yes"}, True),  # the aligner's flag
        ({"review": "no"}, False),
        ({"review": " True "}, True),
        ({"review": "unreviewed"}, True),  # `align review` export, never looked at
        ({"state": "needs-review-translation"}, True),  # an MT draft from XLIFF
        ({"state": "initial"}, True),  # XLIFF 2.x
        ({"state": "final"}, False),
        ({"state": "translated"}, False),
        ({"review": "no", "state": "new"}, True),
        # a reviewer's verdict outranks the state the unit came in with
        ({"review": "accepted", "state": "needs-review-translation"}, False),
        ({"review": "edited", "state": "new"}, False),
    ],
)
def test_needs_review(props, expected):
    assert needs_review(props) is expected


def test_review_flag_reads_json_and_prop_values():
    assert review_flag(True) and review_flag("yes") and review_flag(1)
    assert not (review_flag(False) or review_flag(None) or review_flag("no") or review_flag(""))
    assert "needs-review-translation" in UNREVIEWED_STATES and "final" not in UNREVIEWED_STATES
