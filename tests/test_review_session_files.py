"""An exported review session read back: by ``tmx export``/``stats``/``merge`` and ``align review``.

The trial's faults: ``--skip-review`` dropped every pair the reviewer left
undecided, flagged or not (the export lost the aligner's flag); reopening an
export lost the decisions; a jsonl review renumbered the beads' lines and
called a 1-2 bead 1-1; review flagged unmatched lines the aligner was sure of.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli

from align.review import ReviewSession, open_source
from align.review.model import EditError
from align.tmx import read_tmx
from align.tmx.reviewstate import needs_review, standing


def _bead(src, tgt, s_text, t_text, score, flagged):
    return {"src": src, "tgt": tgt, "src_text": s_text, "tgt_text": t_text, "score": score,
            "review": flagged, "kind": f"{len(src)}-{len(tgt)}"}  # fmt: skip


JOINED = "Він прийшов додому пізно. І ліг спати."  # target lines 1 and 2, joined
# `align align -f jsonl` output as the aligner writes it: line numbers of the two files.
ALIGNED = [
    _bead([0], [0], "The museum opens at nine.", "Музей відкривається о дев'ятій.", 0.9999, False),
    _bead([1], [1, 2], "He came home late and went to bed.", JOINED, 0.9991, False),
    _bead([2], [3], "Prices rose by ten percent.", "Ціни зросли на десять відсотків.", 0.41, True),
    _bead([3], [], "This line has no translation.", "", 0.9995, False),  # aligner: sure
    _bead([4], [4], "The river froze in January.", "Річка замерзла в січні.", 0.9999, False),
    _bead([5], [5], "The train was cancelled.", "Потяг скасували.", 0.62, True),
    _bead([6], [6], "Nobody saw the bird.", "Ніхто не бачив птаха.", 0.9999, False),
    _bead([7], [7], "The bridge was closed.", "Міст закрили.", 0.9999, False),
]


@pytest.fixture
def aligned(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = Path("beads.jsonl")
    path.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in ALIGNED), "utf-8")
    return path


def _review(path: Path, *actions: tuple[str, dict]) -> None:
    session = ReviewSession(open_source(path, "en", "uk"))
    for op, args in actions:
        session.act(op, args)
    session.close()


def _export(path: Path, out: str) -> None:
    res = cli("review", path, "-s", "en", "-t", "uk", "--export", out)
    assert res.exit_code == 0, res.output


def _records(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()]


@pytest.fixture
def session(aligned):
    """Bead 2 (flagged) accepted, bead 4 edited, bead 6 rejected; 5 (flagged) left undecided."""
    _review(
        aligned,
        ("status", {"bead": 2, "status": "accepted"}),
        ("edit", {"bead": 4, "side": "tgt", "texts": ["Річка замерзла у січні."]}),
        ("status", {"bead": 6, "status": "rejected"}),
    )
    _export(aligned, "reviewed.jsonl")
    _export(aligned, "reviewed.tmx")
    return aligned


# --- 1. --skip-review, stats and merge: undecided and unflagged is kept ------------------------


def test_skip_review_of_a_session_jsonl_keeps_what_nobody_flagged(session):
    res = cli("tmx", "export", "reviewed.jsonl", "-s", "en", "-t", "uk", "-o", "out.tmx",
              "--skip-review")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    units = list(read_tmx("out.tmx", "en", "uk"))
    assert [(u.source, u.props["review"], u.props["flagged"]) for u in units] == [
        ("The museum opens at nine.", "unreviewed", "no"),
        ("He came home late and went to bed.", "unreviewed", "no"),
        ("Prices rose by ten percent.", "accepted", "yes"),
        ("The river froze in January.", "edited", "no"),
        ("The bridge was closed.", "unreviewed", "no"),
    ]
    assert res.stderr == (
        "wrote 5 units to out.tmx; left out 1 rejected by the reviewer, 1 still to review "
        "(--skip-review); skipped 1 with an empty side\n"
    )


def test_the_review_tmx_keeps_the_aligner_flag_and_stats_agree(session):
    units = list(read_tmx("reviewed.tmx", "en", "uk"))
    assert [(u.props["review"], u.props["flagged"]) for u in units] == [
        ("unreviewed", "no"), ("unreviewed", "no"), ("accepted", "yes"), ("edited", "no"),
        ("unreviewed", "yes"), ("unreviewed", "no"),
    ]  # fmt: skip
    res = cli("tmx", "export", "reviewed.jsonl", "-s", "en", "-t", "uk", "-o", "all.tmx")
    assert res.exit_code == 0
    for name in ("reviewed.tmx", "all.tmx"):
        stats = json.loads(cli("tmx", "stats", name, "-f", "json").stdout)
        assert (stats["units"], stats["review"]) == (6, 1)  # "The train was cancelled."


def test_merge_ranks_an_unflagged_undecided_pair_as_reviewed():
    assert not needs_review({"review": "unreviewed", "flagged": "no"})
    assert needs_review({"review": "unreviewed", "flagged": "yes"})
    assert needs_review({"review": "unreviewed"})  # an older export: the flag was not kept
    assert standing({"review": "unreviewed", "flagged": "no"}) == standing({"review": "no"})
    assert standing({"review": "unreviewed", "flagged": "yes"}) == standing({"review": "yes"})


def test_merge_keeps_the_unflagged_undecided_pair_over_a_newer_flagged_one(session):
    """`tmx merge` agrees: the reviewed TMX's "The museum opens at nine." (unreviewed, not
    flagged) outranks a newer aligner unit that was flagged."""
    from align.model import TranslationUnit
    from align.tmx import write_tmx

    newer = TranslationUnit("The museum opens at nine.", "Музей відчиняють о дев'ятій.", "en",
                            "uk", creationdate="20990101T000000Z",
                            props={"origin": "aligned", "review": "yes"})  # fmt: skip
    write_tmx("newer.tmx", [newer], src_lang="en", tgt_lang="uk")
    res = cli("tmx", "merge", "reviewed.tmx", "newer.tmx", "-o", "all.tmx")
    assert res.exit_code == 0, res.stderr
    merged = {u.source: u.target for u in read_tmx("all.tmx", "en", "uk")}
    assert merged["The museum opens at nine."] == "Музей відкривається о дев'ятій."


def test_a_reviewed_tmx_exported_to_jsonl_keeps_its_unflagged_pairs(tmp_path, monkeypatch):
    """The trial's `align review a.tmx --export a.reviewed.jsonl`: --skip-review wrote 0 units."""
    monkeypatch.chdir(tmp_path)
    from align.model import TranslationUnit
    from align.tmx import write_tmx

    units = [
        TranslationUnit(s, t, "en", "uk", props={"score": sc, "review": flag})
        for s, t, sc, flag in [
            ("The museum opens at nine.", "Музей відкривається о дев'ятій.", "0.9999", "no"),
            ("Prices rose by ten percent.", "Ціни зросли на десять відсотків.", "0.41", "yes"),
            ("The bridge was closed.", "Міст закрили.", "0.9999", "no"),
        ]
    ]
    write_tmx("a.tmx", units, src_lang="en", tgt_lang="uk")
    _export(Path("a.tmx"), "a.reviewed.jsonl")
    assert [(r["x-review"], r["review"]) for r in _records("a.reviewed.jsonl")] == [
        ("unreviewed", False), ("unreviewed", True), ("unreviewed", False),
    ]  # fmt: skip
    res = cli("tmx", "export", "a.reviewed.jsonl", "-s", "en", "-t", "uk", "-o", "k.tmx",
              "--skip-review")  # fmt: skip
    assert res.stderr == "wrote 2 units to k.tmx; left out 1 still to review (--skip-review)\n"


def test_an_export_of_no_units_says_so(aligned):
    flagged = [b for b in ALIGNED if b["review"] and b["tgt"]]
    Path("flagged.jsonl").write_text("".join(json.dumps(b) + "\n" for b in flagged), "utf-8")
    res = cli("tmx", "export", "flagged.jsonl", "-s", "en", "-t", "uk", "-o", "none.tmx",
              "--skip-review")  # fmt: skip
    assert res.exit_code == 0
    assert res.stderr == (
        "wrote 0 units to none.tmx; left out 2 still to review (--skip-review)\n"
        "align: note: none.tmx holds no units: the 2 pairs left are flagged and undecided; "
        "decide them in `align review` (accept, edit or reject), or export without --skip-review\n"
    )


def test_min_score_says_how_many_it_left_out(aligned):
    res = cli("tmx", "export", "beads.jsonl", "-s", "en", "-t", "uk", "-o", "m.tmx",
              "--min-score", "0.5")  # fmt: skip
    assert res.stderr == (
        "wrote 6 units to m.tmx; left out 1 scoring below 0.5 (--min-score); "
        "skipped 1 with an empty side\n"
    )


def test_the_summary_counts_agree_with_stats(aligned):
    """A flagged unmatched line is no unit either way: counted as an empty side, not as one
    still to review, unless --keep-empty would keep it."""
    rows = [*ALIGNED, _bead([8], [], "An orphan line.", "", 0.30, True)]
    Path("more.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    args = ("tmx", "export", "more.jsonl", "-s", "en", "-t", "uk", "--skip-review")
    res = cli(*args, "-o", "k.tmx")
    assert res.stderr == (
        "wrote 5 units to k.tmx; left out 2 still to review (--skip-review); "
        "skipped 2 with an empty side\n"
    )
    res = cli(*args, "-o", "e.tmx", "--keep-empty")
    assert res.stderr == (
        "wrote 6 units to e.tmx; left out 3 still to review (--skip-review); 1 kept source-only\n"
    )


# --- 2. reopening an export resumes its decisions ---------------------------------------------


@pytest.mark.parametrize("exported", ["reviewed.jsonl", "reviewed.tmx"])
def test_reopening_an_export_keeps_the_decisions(session, exported):
    _export(Path(exported), "again.jsonl")
    got = [(r["src_text"], r["x-review"], r["review"]) for r in _records("again.jsonl")]
    want = [
        ("The museum opens at nine.", "unreviewed", False),
        ("He came home late and went to bed.", "unreviewed", False),
        ("Prices rose by ten percent.", "accepted", True),
        ("This line has no translation.", "unreviewed", False),
        ("The river froze in January.", "edited", False),
        ("The train was cancelled.", "unreviewed", True),
        ("Nobody saw the bird.", "rejected", False),
        ("The bridge was closed.", "unreviewed", False),
    ]
    if exported.endswith(".tmx"):  # a TMX holds neither one-sided nor rejected pairs
        left_out = ("This line has no translation.", "Nobody saw the bird.")
        want = [w for w in want if w[0] not in left_out]
    assert got == want
    edited = next(r for r in _records("again.jsonl") if r["x-review"] == "edited")
    assert edited["tgt_text"] == "Річка замерзла у січні."


def test_a_reopened_decision_can_be_changed(session):
    src = open_source("reviewed.jsonl", "en", "uk")
    assert [b.status for b in src.doc.beads] == ["", "", "accepted", "", "", "", "rejected", ""]
    review = ReviewSession(src)
    review.act("status", {"bead": 6, "status": ""})  # the rejection undone
    review.close()
    _export(Path("reviewed.jsonl"), "again.jsonl")
    assert _records("again.jsonl")[6]["x-review"] == "unreviewed"


def test_a_journal_of_an_earlier_version_still_replays(session):
    """Begun when a reopened export came up undecided: its patches expect status ""."""
    header = {"format": "align-review-journal", "version": 1, "input": "reviewed.jsonl",
              "sha256": open_source("reviewed.jsonl", "en", "uk").fingerprint}  # fmt: skip
    patch = {"at": 7, "old": [[7, [7], [6], ""]], "new": [[7, [7], [6], "accepted"]], "text": []}
    entry = {"op": "status", "args": {"bead": 7, "status": "accepted"}, "patch": patch}
    journal = Path("reviewed.jsonl.review.jsonl")
    journal.write_text(json.dumps(header) + "\n" + json.dumps(entry) + "\n", "utf-8")
    _export(Path("reviewed.jsonl"), "again.jsonl")
    assert [r["x-review"] for r in _records("again.jsonl")][6:] == ["unreviewed", "accepted"]


# --- 3. a jsonl review keeps the aligner's lines, kinds and flags ------------------------------


def test_the_jsonl_export_names_the_aligned_files_lines(aligned):
    _review(aligned, ("merge", {"bead": 6}))  # [6]→[6] and [7]→[7]
    _export(aligned, "merged.jsonl")
    got = [(r["src"], r["tgt"], r["kind"], r["x-review"]) for r in _records("merged.jsonl")]
    assert got == [
        ([0], [0], "1-1", "unreviewed"),
        ([1], [1, 2], "1-2", "unreviewed"),
        ([2], [3], "1-1", "unreviewed"),
        ([3], [], "1-0", "unreviewed"),
        ([4], [4], "1-1", "unreviewed"),
        ([5], [5], "1-1", "unreviewed"),
        ([6, 7], [6, 7], "2-2", "edited"),
    ]
    _export(aligned, "merged.tmx")
    last = list(read_tmx("merged.tmx", "en", "uk"))[-1]
    assert (last.props["bead"], last.props["source-lines"], last.props["target-lines"]) == (
        "2-2", "6,7", "6,7",
    )  # fmt: skip


def test_a_joined_side_is_shown_as_its_bead_and_split_says_why(aligned):
    session = ReviewSession(open_source(aligned, "en", "uk"))
    view = session.view(session.doc.beads[1])
    assert (view["src"], view["tgt"], view["kind"]) == (
        ["He came home late and went to bed."], [JOINED], "1-2",
    )  # fmt: skip
    with pytest.raises(EditError) as err:
        session.doc.split(1)
    assert err.value.problem == (
        "the input gives this bead's 2 target lines as one text (a jsonl joins a bead's lines), "
        "so they cannot be split here; edit the text, or reject the bead"
    )


def test_review_keeps_the_aligner_flag_of_an_unmatched_line(aligned):
    session = ReviewSession(open_source(aligned, "en", "uk"))
    assert [session.flagged(b) for b in session.doc.beads] == [b["review"] for b in ALIGNED]
    assert "reasons" not in session.view(session.doc.beads[3])  # unmatched, the aligner sure
    _export(aligned, "plain.jsonl")
    assert [r["review"] for r in _records("plain.jsonl")] == [b["review"] for b in ALIGNED]


def test_a_bead_the_aligner_flagged_is_flagged_on_the_page(aligned):
    """Aligned with another --review-below: flagged at 0.9999, which the page would not flag."""
    rows = [dict(ALIGNED[0], review=True), *ALIGNED[1:]]
    Path("strict.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    session = ReviewSession(open_source("strict.jsonl", "en", "uk"))
    assert session.view(session.doc.beads[0])["reasons"] == [
        {"code": "low", "text": "flagged by the aligner (probability 0.9999 of being right)"}
    ]


def test_a_run_folders_unmatched_lines_keep_the_aligners_rule(tmp_path):
    """The run's TMX holds no unmatched line, so its flag is the aligner's rule on the score."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "talk.en.txt").write_text("One.\nTwo.\nThree.\n", "utf-8")
    (out / "talk.uk.txt").write_text("Один.\nТри.\n", "utf-8")
    (out / "talk.en-uk.align").write_text(
        "[0]:[0]:0.999900\n[1]:[]:0.999500\n[2]:[1]:0.999900\n", "utf-8"
    )
    session = ReviewSession(open_source(out), journal=False)
    assert [session.flagged(b) for b in session.doc.beads] == [False, False, False]
    (out / "talk.en-uk.align").write_text(
        "[0]:[0]:0.999900\n[1]:[]:0.420000\n[2]:[1]:0.999900\n", "utf-8"
    )
    session = ReviewSession(open_source(out), journal=False)
    assert [session.flagged(b) for b in session.doc.beads] == [False, True, False]
    assert [r["code"] for r in session.view(session.doc.beads[1])["reasons"]] == ["null"]


def test_the_run_report_and_review_flag_what_the_run_flagged(tmp_path):
    """The seed run: its report and `align review` of its folder flagged 4 beads where the
    aligner flagged 3 (an unmatched line it was sure of)."""
    import re

    from review_helpers import run_folder

    out = run_folder(tmp_path / "outputs")
    flagged = json.loads((out / "scores.json").read_text("utf-8"))["alignment"]["review"]
    report = (out / "report.html").read_text("utf-8")
    rows = re.findall(r'<tr id="bead-\d+" class="([^"]*)"', report)
    assert sum("review" in c.split() for c in rows) == flagged  # 3 on the seed
    session = ReviewSession(open_source(out), journal=False)
    assert sum(bool(session.view(b).get("reasons")) for b in session.doc.beads) == flagged
    assert sum(session.flagged(b) for b in session.doc.beads) == flagged
