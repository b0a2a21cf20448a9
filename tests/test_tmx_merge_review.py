"""``tmx merge``: a reviewed or human unit beats an unreviewed MT draft, whatever the dates."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from align.cli import main
from align.model import TranslationUnit
from align.tmx import merge_tmx, read_tmx, write_tmx

OLD, NEW = "20200101T000000Z", "20240101T000000Z"
DRAFT = {"origin": "mt:x", "state": "needs-review-translation"}  # an MT draft from XLIFF
FLAGGED = {"origin": "aligned", "review": "yes"}  # the aligner's low-confidence flag
HUMAN = {"origin": "human"}
ACCEPTED = {"origin": "mt:x", "state": "needs-review-translation", "review": "accepted"}


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
    assert "resolved 1 conflicts (reviewed, then newest kept)" in res.stderr
    assert [u.target for u in read_tmx(out, "en", "ru")] == ["Привет."]
    help_text = " ".join(CliRunner().invoke(main, ["tmx", "merge", "--help"]).output.split())
    assert "reviewed or human unit beats an unreviewed MT draft" in help_text
