"""`align score-alignment` on hand-made beads whose figures were worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

GOLD = "[0]:[0]\n[1]:[1, 2]\n[2, 3]:[3]\n[4]:[]\n[5]:[4]\n"
# exact: [0]:[0] and [2,3]:[3]; lax only: [1]:[1] and [4,5]:[4]; wrong: []:[2]
PRED = "[0]:[0]:0.9\n[1]:[1]:0.8\n[]:[2]:0.1\n[2, 3]:[3]:0.7\n[4, 5]:[4]:0.6\n"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["score-alignment", *args])
    return result.exit_code, result.output


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    gold, pred = tmp_path / "gold.txt", tmp_path / "pred.txt"
    gold.write_text(GOLD, encoding="utf-8")
    pred.write_text(PRED, encoding="utf-8")
    return str(gold), str(pred)


def test_hand_computed_figures(pair: tuple[str, str]) -> None:
    code, out = _run("--gold", pair[0], "--pred", pair[1], "--format", "json")
    assert code == 0, out
    r = json.loads(out)
    # precision over the 5 predicted beads (null included): 2 exact, 4 overlapping
    assert r["precision_strict"] == pytest.approx(2 / 5)
    assert r["precision_lax"] == pytest.approx(4 / 5)
    # recall over the 4 non-null gold beads: 2 exact, all 4 overlapping
    assert r["recall_strict"] == pytest.approx(2 / 4)
    assert r["recall_lax"] == pytest.approx(1.0)
    assert r["f1_strict"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert r["f1_lax"] == pytest.approx(2 * 0.8 / 1.8)
    assert r["type_recall"] == pytest.approx({"1-0": 0.0, "1-1": 0.5, "1-2": 0.0, "2-1": 1.0})
    assert r["type_count"] == {"1-0": 1, "1-1": 2, "1-2": 1, "2-1": 1}
    assert (r["n_gold"], r["n_pred"]) == (5, 5)


def test_text_output(pair: tuple[str, str]) -> None:
    code, out = _run("--gold", pair[0], "--pred", pair[1])
    assert code == 0, out
    assert "strict     0.4000  0.5000  0.4444" in out
    assert "lax        0.8000  1.0000  0.8889" in out
    assert "2-1   1.0000  (1/1)" in out
    assert "1-1   0.5000  (1/2)" in out


def test_perfect_against_itself(pair: tuple[str, str]) -> None:
    code, out = _run("--gold", pair[0], "--pred", pair[0], "--format", "json")
    assert code == 0
    r = json.loads(out)
    for key in ("precision_strict", "recall_strict", "f1_strict", "f1_lax"):
        assert r[key] == 1.0


def test_different_segmentation_is_an_error(pair: tuple[str, str], tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    code, out = _run("--gold", pair[0], "--pred", str(other))
    assert code == 2
    assert out.startswith(f"align: error: {other}: covers 2 source and 2 target lines")
    assert "covers 6 and 5" in out


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[0]:[0]\n[0]:[1]\n", "source line 0 appears in more than one bead"),
        ("[0]:[0]\nnot a bead\n", "line 2 is not a vecalign bead"),
        ("", "has no beads"),
    ],
)
def test_bad_pred_files(pair: tuple[str, str], tmp_path: Path, text: str, problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    code, out = _run("--gold", pair[0], "--pred", str(bad))
    assert code == 2
    assert f"{bad}: {problem}" in out
    assert len(out.strip().splitlines()) == 1


def test_missing_gold(pair: tuple[str, str], tmp_path: Path) -> None:
    code, out = _run("--gold", str(tmp_path / "none.gold"), "--pred", pair[1])
    assert code == 2 and "none.gold: no such file" in out
