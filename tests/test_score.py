"""`align score`: figures must be sacrebleu's own, checked against sacrebleu's CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from align.cli import main
from align.errors import InputError
from align.scoring.mt import paired_bootstrap, score_mt

REF = [
    "Баку и Москва восстановят полноценное партнерство.",
    "Председатель Следственного комитета регулярно поддерживает контакт с прокурором.",
    "Недавно в Баку побывал министр по чрезвычайным ситуациям.",
    "Саммит ОЭС прошел в Ханкенди четвертого июля.",
    "Иран сохранял хрупкий баланс между Баку и Ереваном.",
    "Церковь формально независима и может воспротивиться вмешательству.",
    "Оппозиция даже не стала бы это обсуждать.",
    "Азербайджан предлагает прагматичную повестку для всех государств-членов.",
]
REF2 = [
    "Баку и Москва вернут полное партнерство.",
    "Глава Следственного комитета постоянно на связи с генпрокурором.",
    "Министр по чрезвычайным ситуациям недавно посетил Баку.",
    "Четвертого июля в Ханкенди состоялся саммит ОЭС.",
    "Иран держал тонкий баланс между Баку и Ереваном.",
    "Формально церковь независима и может противиться вмешательству.",
    "Оппозиция и не подумала бы об этом.",
    "Азербайджан предлагает прагматичную повестку, близкую всем членам.",
]
HYP = [
    "Баку и Москва восстановят полное партнерство.",
    "Глава Следственного комитета регулярно контактирует с прокурором.",
    "Недавно Баку посетил министр по чрезвычайным ситуациям.",
    "Саммит ОЭС состоялся в Степанакерте 4 июля.",
    "Иран сохранял деликатный баланс между Баку и Ереваном.",
    "Церковь формально независима и может сопротивляться такому вмешательству.",
    "Оппозиция никогда не стала бы это рассматривать.",
    "Азербайджан предлагает прагматичную, деполитизированную повестку.",
]
HYP2 = [
    "Баку и Москва восстановят партнерство.",
    "Председатель комитета регулярно поддерживает контакт с прокурором.",
    "Министр чрезвычайных ситуаций недавно побывал в Баку.",
    "Саммит ОЭС прошел в Ханкенди четвертого июля.",
    "Иран сохранял хрупкий баланс между Баку и Ереваном.",
    "Церковь независима и может воспротивиться.",
    "Оппозиция не стала бы это обсуждать.",
    "Азербайджан предлагает повестку для всех государств.",
]
SRC = [
    "Baku and Moscow will restore full partnership.",
    "The head of the Investigative Committee is in regular contact with the prosecutor.",
    "The Minister of Emergency Situations recently visited Baku.",
    "The ECO Summit was held in Khankendi on July 4.",
    "Iran maintained a delicate balance between Baku and Yerevan.",
    "The Church is formally independent and could resist interference.",
    "The opposition would never even consider it.",
    "Azerbaijan offers a pragmatic agenda for all member states.",
]


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "ref": _write(tmp_path / "ref.ru.txt", REF),
        "ref2": _write(tmp_path / "ref2.ru.txt", REF2),
        "hyp": _write(tmp_path / "hyp.ru.txt", HYP),
        "hyp2": _write(tmp_path / "hyp2.ru.txt", HYP2),
        "src": _write(tmp_path / "src.en.txt", SRC),
    }


def _sacrebleu(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SACREBLEU_")}
    proc = subprocess.run(
        [sys.executable, "-m", "sacrebleu", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return proc.stdout


def _align(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _score_json(*args: str) -> dict:
    code, out = _align("score", *args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("refs", [["ref"], ["ref", "ref2"]])
def test_corpus_scores_equal_sacrebleu_cli(files: dict[str, str], refs: list[str]) -> None:
    ref_args = [a for r in refs for a in ("--ref", files[r])]
    ours = _score_json("--hyp", files["hyp"], *ref_args)["scores"]
    theirs = json.loads(
        _sacrebleu(
            *(files[r] for r in refs),
            "-i",
            files["hyp"],
            "-m",
            "bleu",
            "chrf",
            "ter",
            "--chrf-word-order",
            "2",
            "-w",
            "4",
            "-f",
            "json",
        )
    )
    by_name = {entry["name"]: entry for entry in theirs}
    assert ours["bleu"] == pytest.approx(by_name["BLEU"]["score"], abs=6e-5)
    assert ours["chrf"] == pytest.approx(by_name["chrF2++"]["score"], abs=6e-5)
    assert ours["ter"] == pytest.approx(by_name["TER"]["score"], abs=6e-5)
    for name in ("BLEU", "chrF2++", "TER"):
        assert ours["signatures"][name] == by_name[name]["signature"]
    assert ours["n_refs"] == len(refs)
    assert ours["summary"].startswith(f"BLEU {ours['bleu']:.2f}, chrF2++ {ours['chrf']:.2f}")
    assert 0 < ours["bleu"] < 100 and ours["ter"] > 0


def test_segment_chrf_equals_sacrebleu_sentence_level(files: dict[str, str]) -> None:
    ours = _score_json("--hyp", files["hyp"], "--ref", files["ref"])["scores"]["segment_chrf"]
    out = _sacrebleu(
        files["ref"], "-i", files["hyp"], "-m", "chrf", "--chrf-word-order", "2", "-sl", "-w", "4"
    )
    theirs = [float(x) for x in re.findall(r"= ([\d.]+)\s*$", out, flags=re.M)]
    assert len(theirs) == len(HYP)
    assert ours == pytest.approx(theirs, abs=6e-5)


def test_compare_equals_sacrebleu_paired_bootstrap(files: dict[str, str]) -> None:
    ours = _score_json("--hyp", files["hyp"], "--ref", files["ref"], "--compare", files["hyp2"])[
        "compare"
    ]
    out = _sacrebleu(
        files["ref"],
        "-i",
        files["hyp"],
        files["hyp2"],
        "-m",
        "bleu",
        "chrf",
        "ter",
        "--chrf-word-order",
        "2",
        "--paired-bs",
        "-w",
        "4",
        "-f",
        "text",
        "--no-color",
    )
    p_values = [float(p) for p in re.findall(r"\(p = ([\d.]+)\)", out)]
    estimates = [tuple(map(float, m)) for m in re.findall(r"([\d.]+) \(([\d.]+) ± ([\d.]+)\)", out)]
    names = ["BLEU", "chrF2++", "TER"]
    assert list(ours["metrics"]) == names
    assert [ours["metrics"][n]["p_value"] for n in names] == pytest.approx(p_values, abs=6e-5)
    # table rows: baseline BLEU, chrF, TER, then the compared system
    mine = [
        (e["score"], e["mean"], e["ci"])
        for who in ("baseline", "system")
        for e in (ours["metrics"][n][who] for n in names)
    ]
    assert len(estimates) == 6
    for a, b in zip(mine, estimates, strict=True):
        assert a == pytest.approx(b, abs=6e-5)
    assert ours["seed"] == 12345 and ours["n_samples"] == 1000
    assert "seed:12345" in ours["signatures"]["BLEU"]


def test_bootstrap_shape_and_determinism() -> None:
    a = paired_bootstrap(HYP, HYP2, [REF], n_samples=200, seed=7)
    b = paired_bootstrap(HYP, HYP2, [REF], n_samples=200, seed=7)
    c = paired_bootstrap(HYP, HYP2, [REF], n_samples=200, seed=8)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()
    d = a.to_dict()
    assert set(d["metrics"]) == {"BLEU", "chrF2++", "TER"}
    for comp in d["metrics"].values():
        assert set(comp) == {"baseline", "system", "p_value", "significant"}
        assert 0 < comp["p_value"] <= 1
        assert comp["significant"] == (comp["p_value"] < 0.05)
        for side in ("baseline", "system"):
            assert comp[side]["ci"] >= 0
    # the actual scores are the plain corpus scores, not resampled ones
    plain = score_mt(HYP2, [REF])
    assert d["metrics"]["BLEU"]["system"]["score"] == pytest.approx(plain.bleu)
    assert d["metrics"]["TER"]["system"]["score"] == pytest.approx(plain.ter)
    assert os.environ.get("SACREBLEU_SEED") is None  # our seed does not leak


def test_bootstrap_rejects_seed_zero() -> None:
    with pytest.raises(ValueError):
        paired_bootstrap(HYP, HYP2, [REF], seed=0)


def test_text_output_names_metrics_and_weakest_line(files: dict[str, str]) -> None:
    code, out = _align("score", "--hyp", files["hyp"], "--ref", files["ref"])
    assert code == 0, out
    for word in ("BLEU", "chrF2++", "TER", "nrefs:1", "lowest segment chrF2++"):
        assert word in out
    seg = score_mt(HYP, [REF]).segment_chrf
    worst = min(range(len(seg)), key=seg.__getitem__)
    assert f"line {worst + 1} (" in out.split("lowest segment chrF2++:")[1].split(",")[0]


def test_json_written_to_file(files: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    code, text = _align(
        "score", "--hyp", files["hyp"], "--ref", files["ref"], "--format", "json", "-o", str(out)
    )
    assert code == 0 and text == ""
    assert json.loads(out.read_text(encoding="utf-8"))["scores"]["n_segments"] == len(HYP)


@pytest.mark.parametrize("which", ["ref", "src", "compare"])
def test_mismatched_line_count_names_the_file(
    files: dict[str, str], tmp_path: Path, which: str
) -> None:
    short = _write(tmp_path / "short.txt", HYP[:-2])
    args = ["score", "--hyp", files["hyp"], "--ref", files["ref"]]
    args += {"ref": ["--ref", short], "src": ["--src", short], "compare": ["--compare", short]}[
        which
    ]
    code, out = _align(*args)
    assert code == 2
    assert out.strip().splitlines()[-1].startswith(f"align: error: {short}: has 6 lines")
    assert files["hyp"] in out


def test_bad_inputs_exit_2(files: dict[str, str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    code, out = _align("score", "--hyp", missing, "--ref", files["ref"])
    assert code == 2 and f"{missing}: no such file" in out
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out = _align("score", "--hyp", str(empty), "--ref", files["ref"])
    assert code == 2 and "is empty" in out
    code, out = _align("score", "--hyp", files["hyp"], "--ref", files["ref"], "--glossary", "g.tsv")
    assert code == 2 and "--src" in out
    code, _ = _align("score", "--hyp", files["hyp"])  # no reference
    assert code == 2
    code, _ = _align("score", "--hyp", files["hyp"], "--ref", files["ref"], "--seed", "0")
    assert code == 2


def test_library_rejects_mismatched_streams() -> None:
    with pytest.raises(InputError, match="reference 1 has 7 segments"):
        score_mt(HYP, [REF[:-1]])
    with pytest.raises(InputError, match="no segments"):
        score_mt([], [[]])


def test_term_accuracy_from_glossary(files: dict[str, str], tmp_path: Path) -> None:
    glossary = pytest.importorskip("align.glossary")
    if not hasattr(glossary, "term_accuracy") or not hasattr(glossary, "load_glossary"):
        pytest.skip("align.glossary has no term_accuracy yet")

    gloss = tmp_path / "g.tsv"
    gloss.write_text("en\tru\tforbidden:ru\nKhankendi\tХанкенди\tСтепанакерт\n", encoding="utf-8")
    args = ["--hyp", files["hyp"], "--ref", files["ref"], "--src", files["src"]]
    ours = _score_json(*args, "--glossary", str(gloss), "-s", "en", "-t", "ru")["scores"][
        "term_accuracy"
    ]
    # HYP line 4 renders Khankendi as the forbidden Степанакерт; HYP2 gets it right.
    assert (ours["correct"], ours["total"]) == (0, 1)
    _write(tmp_path / "hyp2.txt", HYP2)
    args2 = ["--hyp", str(tmp_path / "hyp2.txt"), "--ref", files["ref"], "--src", files["src"]]
    theirs = _score_json(*args2, "--glossary", str(gloss), "-s", "en", "-t", "ru")["scores"][
        "term_accuracy"
    ]
    assert (theirs["correct"], theirs["total"]) == (1, 1)


_words = st.lists(
    st.text(alphabet="абвгдежзиклмнопрстуabcdefxyz", min_size=1, max_size=8), min_size=4, max_size=9
).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(_words, min_size=1, max_size=6))
def test_identical_output_scores_perfectly(lines: list[str]) -> None:
    s = score_mt(lines, [lines])
    assert s.bleu == pytest.approx(100.0)
    assert s.chrf == pytest.approx(100.0)
    assert s.ter == pytest.approx(0.0)
    assert s.segment_chrf == pytest.approx([100.0] * len(lines))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_words, _words), min_size=1, max_size=6))
def test_scores_stay_in_range(pairs: list[tuple[str, str]]) -> None:
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    s = score_mt(hyps, [refs])
    assert 0 <= s.bleu <= 100 + 1e-9 and 0 <= s.chrf <= 100 + 1e-9 and s.ter >= 0
    assert len(s.segment_chrf) == len(hyps)
    assert all(0 <= x <= 100 + 1e-9 for x in s.segment_chrf)


def test_compare_header_names_the_systems_in_column_order(files: dict[str, str]) -> None:
    """The header reads 'first -> second' in the order of the score columns below it."""
    data = _score_json("--hyp", files["hyp"], "--ref", files["ref"], "--compare", files["hyp2"])
    code, text = _align("score", "--hyp", files["hyp"], "--ref", files["ref"],
                        "--compare", files["hyp2"])  # fmt: skip
    assert code == 0
    header = next(ln for ln in text.splitlines() if ln.startswith("paired bootstrap:"))
    first, second = header.removeprefix("paired bootstrap: ").split(" (")[0].split(" -> ")
    lines = text.splitlines()
    after = lines[lines.index(header) + 1 :]
    bleu = next(ln for ln in after if ln.strip().startswith("BLEU"))
    left, right = (
        float(part.split()[1 if i == 0 else 0]) for i, part in enumerate(bleu.split("->"))
    )
    comp = data["compare"]
    by_name = {comp["baseline_name"]: comp["metrics"]["BLEU"]["baseline"]["score"],
               comp["system_name"]: comp["metrics"]["BLEU"]["system"]["score"]}  # fmt: skip
    assert by_name[first] == pytest.approx(left, abs=0.006)
    assert by_name[second] == pytest.approx(right, abs=0.006)
