"""``tmx export`` of a reviewed jsonl: the reviewer's decision (``x-review``) beats the aligner's flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli
from click.testing import CliRunner
from review_helpers import small_tmx

from align.cli import main
from align.review import ReviewSession, open_source
from align.tmx import read_tmx


def bead(n: int, score: float, flagged: bool, **extra) -> dict:
    return {"id": n, "src": [n], "tgt": [n], "src_text": f"Line {n}.", "tgt_text": f"Строка {n}.",
            "score": score, "review": flagged, "kind": "1-1", **extra}  # fmt: skip


# What a reviewer decided (x-review, or a verdict typed into `review`) and what the aligner flagged.
BEADS = [
    bead(1, 0.31, True, **{"x-review": "accepted"}),  # flagged, accepted: always exported
    bead(2, 0.99, False, **{"x-review": "rejected"}),  # never exported
    bead(3, 0.40, True),  # no decision, flagged: to review
    bead(4, 0.98, False),  # no decision, not flagged
    bead(5, 0.35, True, **{"x-review": "unreviewed"}),  # `align review`'s label: to review
    bead(6, 0.20, True, **{"x-review": "Edited "}),  # edited: exported, even below --min-score
    {**bead(7, 0.97, False), "review": "rejected"},  # a verdict typed into the flag's field
    bead(8, 0.97, False, **{"x-review": "unreviewed"}),  # undecided, not flagged: kept
]


@pytest.fixture
def beads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = Path("beads.jsonl")
    path.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in BEADS), "utf-8")
    return path


def export(*args: str) -> tuple[list[tuple[str | None, str]], str]:
    res = cli("tmx", "export", "beads.jsonl", "-s", "en", "-t", "ru", "-o", "out.tmx", *args)
    assert res.exit_code == 0, res.stderr
    units = list(read_tmx("out.tmx", "en", "ru"))
    return [(u.tuid, u.props["review"]) for u in units], res.stderr


def test_rejected_pairs_are_never_exported(beads):
    units, stderr = export()
    assert units == [("1", "accepted"), ("3", "yes"), ("4", "no"), ("5", "unreviewed"),
                     ("6", "edited"), ("8", "unreviewed")]  # fmt: skip
    assert stderr == "wrote 6 units to out.tmx; left out 2 rejected by the reviewer\n"


def test_skip_review_keeps_what_the_reviewer_accepted(beads):
    units, stderr = export("--skip-review")
    assert units == [("1", "accepted"), ("4", "no"), ("6", "edited"), ("8", "unreviewed")]
    assert stderr == (
        "wrote 4 units to out.tmx; left out 2 rejected by the reviewer, "
        "2 still to review (--skip-review)\n"
    )


def test_min_score_does_not_drop_what_the_reviewer_accepted(beads):
    units, _ = export("--min-score", "0.5")
    assert units == [("1", "accepted"), ("4", "no"), ("6", "edited"), ("8", "unreviewed")]


def test_the_low_confidence_note_only_where_nobody_decided(beads):
    export()
    notes = {u.tuid: u.note for u in read_tmx("out.tmx", "en", "ru")}
    check = "Low alignment confidence: please check."
    assert notes == {"1": None, "3": check, "4": None, "5": check, "6": None, "8": None}


def test_stats_to_review_is_what_skip_review_leaves_out(beads):
    export()
    stats = json.loads(cli("tmx", "stats", "out.tmx", "-f", "json").stdout)
    assert (stats["units"], stats["review"]) == (6, 2)  # 3 and 5; 8 was never flagged


def test_a_mistyped_verdict_is_one_line_and_nothing_is_written(beads):
    with beads.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(bead(9, 0.9, False, **{"x-review": "rejceted"})) + "\n")
    res = cli("tmx", "export", "beads.jsonl", "-s", "en", "-t", "ru", "-o", "out.tmx")
    assert res.exit_code == 2
    assert res.stderr == (
        "align: error: beads.jsonl: line 9: x-review must be one of accepted, edited, rejected, "
        "unreviewed, not 'rejceted'\n"
    )
    assert not Path("out.tmx").exists()


def test_mt_records_follow_the_reviewer_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [
        {"id": 1, "source": "Hi.", "target": "Привет.", "package": "p", "review": True,
         "x-review": "accepted"},
        {"id": 2, "source": "Bye.", "target": "Пока.", "package": "p", "x-review": "rejected"},
        {"id": 3, "source": "Yes.", "target": "Да.", "package": "p", "review": True},
    ]  # fmt: skip
    Path("mt.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    res = cli("tmx", "export", "mt.jsonl", "-s", "en", "-t", "ru", "-o", "mt.tmx", "--skip-review")
    assert res.exit_code == 0, res.stderr
    assert [u.tuid for u in read_tmx("mt.tmx", "en", "ru")] == ["mt-1"]


# --- a real review session ---------------------------------------------------------------


@pytest.fixture
def session(tmp_path, monkeypatch):
    """small.tmx reviewed: bead 0 rejected, bead 1 edited, bead 2 (flagged) accepted, 3 untouched."""
    monkeypatch.chdir(tmp_path)
    tmx = small_tmx(tmp_path / "small.tmx")
    review = ReviewSession(open_source(tmx))
    assert [review.flagged(b) for b in review.doc.beads] == [False, False, True, False]
    review.act("status", {"bead": 0, "status": "rejected"})
    review.act("edit", {"bead": 1, "side": "tgt", "texts": ["Баку и Москва вернут партнёрство."]})
    review.act("status", {"bead": 2, "status": "accepted"})
    review.close()
    for name in ("s.jsonl", "s.tmx"):
        res = cli("review", "small.tmx", "--export", name)
        assert res.exit_code == 0, res.output
    return tmp_path


def test_a_review_session_jsonl_exports_as_reviewed(session):
    res = cli("tmx", "export", "s.jsonl", "-s", "en", "-t", "ru", "-o", "kept.tmx", "--skip-review")
    assert res.exit_code == 0, res.stderr
    units = list(read_tmx("kept.tmx", "en", "ru"))
    assert [(u.source, u.props["review"]) for u in units] == [
        ("Baku and Moscow will restore partnership.", "edited"),
        ("It rained.", "accepted"),  # the aligner flagged it; the reviewer's decision wins
        ("The talks continue.", "unreviewed"),  # nobody flagged it: no review was needed
    ]
    assert units[0].target == "Баку и Москва вернут партнёрство."


def test_session_jsonl_and_review_tmx_agree_on_what_is_to_review(session):
    assert cli("tmx", "export", "s.jsonl", "-s", "en", "-t", "ru", "-o", "all.tmx").exit_code == 0
    via_jsonl = json.loads(cli("tmx", "stats", "all.tmx", "-f", "json").stdout)
    via_review = json.loads(cli("tmx", "stats", "s.tmx", "-f", "json").stdout)
    # "The talks continue." is unreviewed but was never flagged: nothing is left to review
    assert (via_jsonl["units"], via_jsonl["review"]) == (3, 0)
    assert (via_review["units"], via_review["review"]) == (3, 0)


def test_the_review_journal_is_named_with_the_way_out(session):
    res = cli("tmx", "export", "small.tmx.review.jsonl", "-o", "j.tmx")
    assert res.exit_code == 2
    assert res.stderr == (
        "align: error: small.tmx.review.jsonl: is the journal of an `align review` (its edits, "
        "not the pairs); write the reviewed pairs with `align review small.tmx --export "
        "FILE.tmx` (or FILE.jsonl to export here)\n"
    )
    assert not Path("j.tmx").exists()


def test_a_run_folder_journal_names_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("out").mkdir()
    header = {"format": "align-review-journal", "version": 1, "input": "out/talk.en-ru"}
    Path("out/talk.en-ru.review.jsonl").write_text(json.dumps(header) + "\n", "utf-8")
    res = cli("tmx", "export", "out/talk.en-ru.review.jsonl", "-s", "en", "-t", "ru", "-o", "j.tmx")
    assert res.exit_code == 2
    assert res.stderr.startswith(
        "align: error: out/talk.en-ru.review.jsonl: is the journal of an `align review` (its "
        "edits, not the pairs); write the reviewed pairs with `align review out --export "
    )


def test_min_score_help_names_edited_pairs_too():
    res = CliRunner().invoke(main, ["tmx", "export", "--help"])
    text = " ".join(res.output.split())
    assert (
        "--min-score FLOAT Leave out aligned pairs scoring below this, unless a reviewer "
        "accepted or edited them (x-review)." in text
    )


def test_one_list_of_verdict_names_and_one_journal_format():
    """The tmx reader, ``align review``'s journal and its export agree on every name."""
    from align.review import journal
    from align.tmx import reviewstate, sources

    assert reviewstate.VERDICTS == ("accepted", "edited", "rejected", "unreviewed")
    assert sorted(reviewstate.DECIDED) == ["accepted", "edited", "rejected"]
    assert sorted(reviewstate.APPROVED) == ["accepted", "edited"]
    assert sources.VERDICTS is reviewstate.VERDICTS
    assert journal.FORMAT is reviewstate.REVIEW_JOURNAL_FORMAT == "align-review-journal"
