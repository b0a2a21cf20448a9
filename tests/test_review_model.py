"""The review edit model: actions keep beads monotone and complete, undo restores, journal replays."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.errors import InputError
from align.review.journal import Journal, replay_journal
from align.review.model import EditError, Original, ReviewDoc


def _doc(n_src: int = 6, n_tgt: int = 6) -> ReviewDoc:
    src = [f"source line {i}" for i in range(n_src)]
    tgt = [f"target line {j}" for j in range(n_tgt)]
    k = min(n_src, n_tgt)
    originals = [Original((i,), (i,), 0.9 - i / 20) for i in range(k)]
    originals += [Original((i,), ()) for i in range(k, n_src)]
    originals += [Original((), (j,)) for j in range(k, n_tgt)]
    return ReviewDoc(src, tgt, originals, "en", "ru")


def _cover_ok(doc: ReviewDoc) -> bool:
    for side in ("src", "tgt"):
        seen = [i for b in doc.beads for i in b.side(side)]
        if seen != list(range(len(doc.lines[side]))):
            return False
    return all(b.src or b.tgt for b in doc.beads) and len({b.id for b in doc.beads}) == len(
        doc.beads
    )


ACTION = st.tuples(
    st.sampled_from(["merge", "split", "move", "detach", "edit", "status", "undo", "redo"]),
    st.integers(0, 20),
    st.sampled_from(["src", "tgt"]),
    st.sampled_from(["next", "prev"]),
    st.sampled_from(["accepted", "rejected", ""]),
)


def _try(doc: ReviewDoc, action) -> bool:
    op, k, side, direction, status = action
    bead = doc.beads[k % len(doc.beads)].id
    try:
        if op == "undo":
            doc.undo()
        elif op == "redo":
            doc.redo()
        else:
            patch = {
                "merge": lambda: doc.merge(bead, direction),
                "split": lambda: doc.split(bead),
                "move": lambda: doc.move(bead, side, direction),
                "detach": lambda: doc.detach(
                    bead, side, "last" if direction == "next" else "first"
                ),
                "edit": lambda: doc.edit(
                    bead, side, [f"edited {k}"] * len(doc.bead(bead).side(side))
                ),
                "status": lambda: doc.set_status(bead, status),
            }[op]()
            doc.do(patch)
        return True
    except EditError:
        return False


def _snapshot(doc: ReviewDoc):
    return [b.to_json() for b in doc.beads], {s: list(v) for s, v in doc.lines.items()}


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.lists(ACTION, max_size=25))
def test_actions_keep_cover_and_undo_restores(n_src, n_tgt, actions):
    doc = _doc(n_src, n_tgt)
    start = _snapshot(doc)
    for action in actions:
        _try(doc, action)
        assert _cover_ok(doc)
    while doc.undo_stack:
        doc.undo()
    assert _snapshot(doc) == start


@settings(max_examples=30, deadline=None)
@given(st.lists(ACTION, max_size=20))
def test_journal_replay_reproduces_state(tmp_path_factory, actions):
    path = tmp_path_factory.mktemp("j") / "x.review.jsonl"
    doc = _doc()
    journal = Journal.open(path, doc, "x.tmx", "abc")
    for action in actions:
        if not _try(doc, action):
            continue
        if action[0] in ("undo", "redo"):
            journal.record(action[0], {})
        else:
            journal.record(action[0], {}, doc.undo_stack[-1])
    journal.close()
    again = _doc()
    replay_journal(path, again, "abc")
    assert _snapshot(again) == _snapshot(doc)
    assert [p.to_json() for p in again.undo_stack] == [p.to_json() for p in doc.undo_stack]


def test_merge_split_restores_score_and_status_rules():
    doc = _doc(4, 4)
    assert doc.score(doc.beads[1]) == pytest.approx(0.85)
    doc.do(doc.set_status(1, "accepted"))
    doc.do(doc.merge(1, "next"))
    merged = doc.beads[1]
    assert (merged.src, merged.tgt, merged.status) == ((1, 2), (1, 2), "")  # regrouped: unreviewed
    assert doc.score(merged) is None and doc.review_state(merged) == "edited"
    assert [o.score for o in doc.origins(merged)] == pytest.approx([0.85, 0.8])
    doc.do(doc.split(merged.id))
    assert [(b.src, b.tgt) for b in doc.beads[1:3]] == [((1,), (1,)), ((2,), (2,))]
    assert doc.score(doc.beads[2]) == pytest.approx(0.8)  # lines as read: score is back
    assert doc.review_state(doc.beads[2]) == ""


def test_move_and_detach_examples():
    doc = _doc(3, 3)
    doc.do(doc.move(1, "tgt", "prev"))  # target line 1 joins bead 0
    assert [(b.src, b.tgt) for b in doc.beads] == [((0,), (0, 1)), ((1,), ()), ((2,), (2,))]
    doc.do(doc.detach(0, "tgt", "last"))
    assert [(b.src, b.tgt) for b in doc.beads][:2] == [((0,), (0,)), ((), (1,))]
    with pytest.raises(EditError, match="already unmatched"):
        doc.detach(doc.beads[1].id, "tgt")
    with pytest.raises(EditError, match="no previous bead"):
        doc.move(0, "src", "prev")
    with pytest.raises(EditError, match="nothing to split"):
        doc.split(0)


def test_edit_and_glossary_rewrite_map_to_lines():
    doc = _doc(2, 3)
    doc.do(doc.move(2, "tgt", "prev"))  # bead 1: source 1, targets 1 and 2
    bead = doc.beads[1]
    joined = doc.text(bead, "tgt")
    assert joined == "target line 1 target line 2"
    start = joined.rindex("line")
    doc.do(doc.rewrite_target(bead.id, lambda s, t: [(start, start + 4, "row")]))
    assert [doc.lines["tgt"][j] for j in bead.tgt] == ["target line 1", "target row 2"]
    with pytest.raises(EditError, match="no glossary fix"):
        doc.rewrite_target(bead.id, lambda s, t: [])
    with pytest.raises(EditError, match="cannot be empty"):
        doc.edit(bead.id, "tgt", ["  ", "x"])
    doc.do(doc.edit(bead.id, "src", ["new\nsource   text"]))
    assert doc.lines["src"][1] == "new source text"


def test_journal_torn_last_line_is_dropped_and_other_input_refused(tmp_path):
    path = tmp_path / "x.review.jsonl"
    doc = _doc()
    journal = Journal.open(path, doc, "x.tmx", "abc")
    patch = doc.set_status(2, "accepted")
    doc.do(patch)
    journal.record("status", {"bead": 2}, patch)
    journal.close()
    good = path.read_bytes()
    torn = json.dumps({"op": "status", "patch": doc.set_status(3, "rejected").to_json()})
    path.write_bytes(good + torn[:40].encode())  # killed while writing
    again = _doc()
    Journal.open(path, again, "x.tmx", "abc").close()
    assert again.beads[2].status == "accepted" and again.beads[3].status == ""
    assert path.read_bytes() == good  # the torn tail is cut, appends stay line-aligned
    with pytest.raises(InputError, match="other content"):
        replay_journal(path, _doc(), "different")
    lines = good.split(b"\n")
    path.write_bytes(lines[0] + b"\n{not json\n" + lines[1] + b"\n")
    with pytest.raises(InputError, match="line 2 is damaged"):
        replay_journal(path, _doc(), "abc")


def test_one_server_per_journal(tmp_path):
    path = tmp_path / "x.review.jsonl"
    first = Journal.open(path, _doc(), "x.tmx", "abc")
    with pytest.raises(InputError, match="in use by another align review"):
        Journal.open(path, _doc(), "x.tmx", "abc")
    first.close()
    Journal.open(path, _doc(), "x.tmx", "abc").close()  # free again once closed


def _hand_written(path, *patches: dict) -> None:
    """A journal as an earlier version (or a text editor) left it: header plus these patches."""
    head = {"format": "align-review-journal", "version": 1, "input": "x.tmx", "sha256": "abc"}
    lines = [head] + [{"op": "edit", "args": {}, "patch": p} for p in patches]
    text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    path.write_text(text, encoding="utf-8")


def test_journal_with_text_xml_cannot_store_is_cleaned_on_replay(tmp_path):
    from align.review.export import export
    from align.tmx import read_tmx

    path = tmp_path / "x.review.jsonl"
    first = {"at": 1, "old": [[1, [1], [1], ""]], "new": [[1, [1], [1], ""]],
             "text": [["tgt", 1, "target line 1", "target\x01line\ufffe 1"]]}  # fmt: skip
    second = {"at": 1, "old": [[1, [1], [1], ""]], "new": [[1, [1], [1], ""]],
              "text": [["tgt", 1, "target\x01line\ufffe 1", "target\x07line one"]]}  # fmt: skip
    _hand_written(path, first, second)
    doc = _doc(3, 3)
    Journal.open(path, doc, "x.tmx", "abc").close()
    assert doc.lines["tgt"][1] == "target line one"
    doc.undo()
    assert doc.lines["tgt"][1] == "target line 1"
    doc.redo()
    export(doc, tmp_path / "out.tmx")  # failed before: "target contains U+0001"
    assert [u.target for u in read_tmx(tmp_path / "out.tmx", "en", "ru")][1] == "target line one"


@pytest.mark.parametrize(
    ("patch", "problem"),
    [
        ({"at": 1e400, "old": [], "new": []}, "bead position must be a whole number"),
        ({"at": -1, "old": [], "new": []}, "bead position must be a whole number"),
        ({"at": 1, "old": [[1e400, [1], [1], ""]], "new": []}, "bead id must be"),
        ({"at": 1, "old": [[1, [1.0], [1], ""]], "new": []}, "src line must be"),
        ({"at": 1, "old": [[1, [1], [1], 7]], "new": []}, "status must be"),
        (
            {
                "at": 1,
                "old": [[1, [1], [1], ""]],
                "new": [[1, [1], [1], ""]],
                "text": [["tgt", 1e400, "a", "b"]],
            },
            "tgt line must be",
        ),
        (
            {
                "at": 1,
                "old": [[1, [1], [1], ""]],
                "new": [[1, [1], [1], ""]],
                "text": [["left", 1, "a", "b"]],
            },
            "side must be src or tgt",
        ),
        ({"at": 1, "old": [1], "new": []}, "TypeError"),
        ([1, 2], "AttributeError"),
    ],
)
def test_hand_edited_journal_is_one_line_naming_file_and_line(tmp_path, patch, problem):
    path = tmp_path / "x.review.jsonl"
    _hand_written(path, patch)
    with pytest.raises(InputError) as info:
        replay_journal(path, _doc(3, 3), "abc")
    message = info.value.message
    assert str(path) in message and "line 2 is damaged" in message and problem in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "new",
    [
        [[1, [1], [], ""]],  # drops target line 1
        [[1, [1, 2], [1], ""]],  # takes source line 2 twice
        [[0, [1], [1], ""]],  # bead 0 exists already
        [[1, [1], [1], ""], [1, [], [], ""]],  # two beads, one id
    ],
)
def test_journal_that_regroups_lines_wrongly_is_refused(tmp_path, new):
    path = tmp_path / "x.review.jsonl"
    _hand_written(path, {"at": 1, "old": [[1, [1], [1], ""]], "new": new})
    with pytest.raises(InputError, match="line 2 does not fit the input"):
        replay_journal(path, _doc(3, 3), "abc")


def test_edit_turns_characters_xml_cannot_store_into_spaces():
    doc = _doc(2, 2)
    doc.do(doc.edit(0, "tgt", ["a\x01b\x08\x0bc\ufffe d\U0010fffe\x1f"]))
    assert doc.lines["tgt"][0] == "a b c d\U0010fffe"  # U+10FFFE is storable
