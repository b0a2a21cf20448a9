"""Scoring edge cases (issue #11.8): CJK TER, empty references, what "lowest" lists."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sacrebleu.metrics import TER

from align.cli import main
from align.scoring.mt import paired_bootstrap, score_mt
from align.scoring.render import mt_text


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("tgt", ["zh", "zh-Hans", "zh_TW", "ZH"])
def test_chinese_ter_is_computed_with_the_support_it_claims(tgt):
    # one character of five differs: TER 1/5
    scores = score_mt(["港口开放的"], [["港口开放了"]], tgt_lang=tgt)
    assert scores.ter == pytest.approx(20.0)
    sig = scores.signatures["TER"]
    assert "asian:yes" in sig and "norm:yes" in sig
    # the number is sacrebleu's own for that signature
    ref = TER(asian_support=True, normalized=True).corpus_score(["港口开放的"], [["港口开放了"]])
    assert scores.ter == pytest.approx(ref.score)


def test_ter_for_other_languages_is_unchanged():
    scores = score_mt(["the port is open"], [["the port is closed"]], tgt_lang="en")
    assert scores.ter == pytest.approx(25.0)
    assert "norm:no" in scores.signatures["TER"] and "asian:no" in scores.signatures["TER"]


def test_bootstrap_uses_the_same_ter():
    res = paired_bootstrap(["港口开放的"] * 3, ["港口开放了"] * 3, [["港口开放了"] * 3],
                           n_samples=10, tgt_lang="zh")  # fmt: skip
    assert res.metrics["TER"].baseline.score == pytest.approx(20.0)
    assert "norm:yes" in res.signatures["TER"] and "asian:yes" in res.signatures["TER"]


def test_lowest_skips_blank_pairs_and_perfect_lines():
    hyps = ["", "The port is open.", "The ship left early.", "", "Nobody cared."]
    refs = ["", "The port is open.", "The ship has left.", "Something.", "Nobody answered."]
    scores = score_mt(hyps, [refs], tgt_lang="en")
    assert scores.empty_ref_lines == [1] and scores.blank_lines == [1]
    assert scores.lowest() == [3, 4, 2]  # never line 1 (blank/blank) nor line 2 (100)
    text = mt_text(scores, "mt")
    lowest = next(ln for ln in text.splitlines() if "lowest" in ln)
    assert "line 1 " not in lowest and "line 2 " not in lowest and "line 4 (0.0)" in lowest


def test_nothing_lowest_when_everything_is_perfect():
    scores = score_mt(["A b c.", "D e."], [["A b c.", "D e."]], tgt_lang="en")
    assert scores.lowest() == [] and "lowest" not in mt_text(scores, "mt")


def test_empty_reference_lines_are_warned(tmp_path):
    (tmp_path / "hyp.txt").write_text("Порт открыт.\nКорабль ушёл.\n\nНикто.\n", "utf-8")
    (tmp_path / "ref.txt").write_text("Порт открыт.\n\n\nНикто не ответил.\n", "utf-8")
    res = run("score", "--hyp", tmp_path / "hyp.txt", "--ref", tmp_path / "ref.txt",
              "--tgt-lang", "ru", "--format", "json")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "ref.txt: lines 2, 3 of the reference are empty" in res.stderr
    data = json.loads(res.stdout)["scores"]
    assert data["empty_ref_lines"] == [2, 3] and data["blank_lines"] == [3]


def test_cli_chinese(tmp_path):
    (tmp_path / "hyp.txt").write_text("港口开放的\n", "utf-8")
    (tmp_path / "ref.txt").write_text("港口开放了\n", "utf-8")
    res = run("score", "--hyp", tmp_path / "hyp.txt", "--ref", tmp_path / "ref.txt",
              "--tgt-lang", "zh")  # fmt: skip
    assert res.exit_code == 0, res.output
    ter = next(ln for ln in res.stdout.splitlines() if ln.strip().startswith("TER"))
    assert " 20.00 " in ter and "norm:yes" in ter and "asian:yes" in ter


def test_src_with_xliff_hyp_is_refused_before_reading_anything(tmp_path):
    """--src is a usage error with an XLIFF --hyp; it is reported before any file is read."""
    from align.errors import InputError
    from align.scoring.files import load_scoring_inputs

    src = tmp_path / "src.txt"
    with pytest.raises(InputError) as err:
        load_scoring_inputs(tmp_path / "missing.xlf", [tmp_path / "ref.xlf"], src=src)
    assert err.value.path == str(src)
    assert "not needed with XLIFF input" in err.value.problem
