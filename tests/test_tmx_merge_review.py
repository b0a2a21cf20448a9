"""``tmx merge``: the unit of higher standing wins whatever the dates, then the newest.

Standing, lowest first: rejected, MT draft, flagged for review, reviewed or human.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from align.cli import main
from align.model import TranslationUnit
from align.tmx import merge_tmx, read_tmx, write_tmx
from align.tmx.reviewstate import Standing, standing

OLD, NEW = "20200101T000000Z", "20240101T000000Z"
DRAFT = {"origin": "mt:x", "state": "needs-review-translation"}  # an MT draft from XLIFF
FLAGGED = {"origin": "aligned", "review": "yes"}  # the aligner's low-confidence flag
HUMAN = {"origin": "human"}
ACCEPTED = {"origin": "mt:x", "state": "needs-review-translation", "review": "accepted"}
MT_TMX = {"origin": "mt:opus-en-ru", "document": "a.txt", "segment-id": "a:1"}  # translate -f tmx
MT_TRUNCATED = {**MT_TMX, "review": "yes"}  # translate -f tmx, a truncated draft
MT_EDITED = {**MT_TMX, "review": "edited"}
REJECTED = {"origin": "aligned", "review": "rejected"}
CONFIRMED = {"origin": "mt:x", "state": "translated"}  # an XLIFF draft a translator confirmed


def _tmx(path, target: str, date: str, props: dict[str, str]):
    unit = TranslationUnit("Hi.", target, "en", "ru", creationdate=date, props=dict(props))
    write_tmx(path, [unit], src_lang="en", tgt_lang="ru")
    return path


def _merged(tmp_path, *files) -> str:
    out = tmp_path / "m.tmx"
    merge_tmx(list(files), out)
    (unit,) = read_tmx(out, "en", "ru")
    return unit.target


@pytest.mark.parametrize("draft", [DRAFT, FLAGGED], ids=["mt-draft", "aligner-flag"])
@pytest.mark.parametrize("reviewed", [HUMAN, ACCEPTED], ids=["human", "accepted-draft"])
def test_reviewed_unit_beats_a_newer_draft_in_any_file_order(tmp_path, draft, reviewed):
    old = _tmx(tmp_path / "old.tmx", "Привет.", OLD, reviewed)
    new = _tmx(tmp_path / "new.tmx", "Хай.", NEW, draft)
    assert _merged(tmp_path, old, new) == "Привет."
    assert _merged(tmp_path, new, old) == "Привет."


@pytest.mark.parametrize("props", [HUMAN, DRAFT], ids=["both-reviewed", "both-drafts"])
def test_newest_wins_among_units_of_equal_standing(tmp_path, props):
    old = _tmx(tmp_path / "old.tmx", "Привет.", OLD, props)
    new = _tmx(tmp_path / "new.tmx", "Здравствуйте.", NEW, props)
    assert _merged(tmp_path, old, new) == "Здравствуйте."
    assert _merged(tmp_path, new, old) == "Здравствуйте."


def test_cli_merge_keeps_the_reviewed_unit_and_says_so(tmp_path):
    old = _tmx(tmp_path / "old.tmx", "Привет.", OLD, HUMAN)
    new = _tmx(tmp_path / "new.tmx", "Хай.", NEW, DRAFT)
    out = tmp_path / "m.tmx"
    res = CliRunner().invoke(main, ["tmx", "merge", str(old), str(new), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "resolved 1 conflict (higher standing, then newest kept)" in res.stderr
    assert [u.target for u in read_tmx(out, "en", "ru")] == ["Привет."]
    help_text = " ".join(CliRunner().invoke(main, ["tmx", "merge", "--help"]).output.split())
    assert (
        "a reviewed or human unit beats a pair still to review (an x-review flag), which "
        "beats an MT draft (origin mt:..., as `align translate -f tmx` writes, or an "
        "unreviewed XLIFF x-state, unless a reviewer accepted or edited it), which beats a "
        "rejected unit (x-review rejected)" in help_text
    )


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        (REJECTED, Standing.REJECTED),
        ({**MT_TMX, "review": "rejected"}, Standing.REJECTED),
        (MT_TMX, Standing.MT_DRAFT),
        (MT_TRUNCATED, Standing.MT_DRAFT),
        ({**MT_TMX, "review": "unreviewed"}, Standing.MT_DRAFT),
        (DRAFT, Standing.MT_DRAFT),
        ({"origin": "xliff", "state": "new"}, Standing.MT_DRAFT),
        (FLAGGED, Standing.TO_REVIEW),
        ({"origin": "aligned", "review": "unreviewed"}, Standing.TO_REVIEW),
        ({"origin": "aligned", "review": "no"}, Standing.REVIEWED),
        (HUMAN, Standing.REVIEWED),
        (ACCEPTED, Standing.REVIEWED),
        (MT_EDITED, Standing.REVIEWED),
        (CONFIRMED, Standing.REVIEWED),
        ({"origin": "xliff", "state": "final"}, Standing.REVIEWED),
    ],
)
def test_standing_of_each_kind_of_unit(props, expected):
    assert standing(props) is expected


def test_a_2020_human_unit_beats_a_2024_mt_unit_from_translate(tmp_path):
    """The review's reproduction: `translate -f tmx` output (origin mt:, no x-review)."""
    old = _tmx(tmp_path / "old.tmx", "Привет.", OLD, HUMAN)
    new = _tmx(tmp_path / "new.tmx", "Хай.", NEW, MT_TMX)
    assert _merged(tmp_path, old, new) == "Привет."
    assert _merged(tmp_path, new, old) == "Привет."


@pytest.mark.parametrize("mt", [MT_TMX, MT_TRUNCATED, DRAFT], ids=["mt", "truncated", "xliff"])
@pytest.mark.parametrize("dates", [(OLD, NEW), (NEW, OLD)], ids=["mt-newer", "mt-older"])
def test_a_flagged_aligned_pair_beats_an_mt_unit_whatever_the_dates(tmp_path, mt, dates):
    flagged = _tmx(tmp_path / "flagged.tmx", "Привет.", dates[0], FLAGGED)
    draft = _tmx(tmp_path / "mt.tmx", "Хай.", dates[1], mt)
    assert _merged(tmp_path, flagged, draft) == "Привет."
    assert _merged(tmp_path, draft, flagged) == "Привет."


@pytest.mark.parametrize("other", [DRAFT, MT_TMX, FLAGGED, HUMAN])
def test_a_rejected_unit_loses_to_any_other_even_older(tmp_path, other):
    rejected = _tmx(tmp_path / "rejected.tmx", "Привет.", NEW, REJECTED)
    older = _tmx(tmp_path / "other.tmx", "Хай.", OLD, other)
    assert _merged(tmp_path, rejected, older) == "Хай."
    assert _merged(tmp_path, older, rejected) == "Хай."


def test_an_edited_mt_unit_counts_as_reviewed_and_the_newest_wins(tmp_path):
    old = _tmx(tmp_path / "old.tmx", "Привет.", OLD, HUMAN)
    new = _tmx(tmp_path / "new.tmx", "Здравствуйте.", NEW, MT_EDITED)
    assert _merged(tmp_path, old, new) == "Здравствуйте."
    assert _merged(tmp_path, new, old) == "Здравствуйте."


def test_a_draft_confirmed_in_a_cat_tool_is_no_longer_a_draft(tmp_path):
    old = _tmx(tmp_path / "old.tmx", "Привет.", OLD, HUMAN)
    new = _tmx(tmp_path / "new.tmx", "Здравствуйте.", NEW, CONFIRMED)
    assert _merged(tmp_path, old, new) == "Здравствуйте."


@pytest.mark.parametrize("props", [MT_TMX, FLAGGED, REJECTED], ids=["mt", "flagged", "rejected"])
def test_equal_standing_ties_go_to_the_later_file(tmp_path, props):
    first = _tmx(tmp_path / "first.tmx", "Привет.", OLD, props)
    later = _tmx(tmp_path / "later.tmx", "Хай.", OLD, props)
    assert _merged(tmp_path, first, later) == "Хай."
    assert _merged(tmp_path, later, first) == "Привет."
