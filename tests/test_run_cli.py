"""``align run SOURCE REFERENCE``, ``--print-config`` and ``--config``."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.aligner.beadio import format_vecalign, read_vecalign
from align.cli import main
from align.errors import InputError
from align.run.job import RunConfig, read_config
from align.text.ingest import ingest_file
from align.text.segment import segment_document
from align.tmx import read_tmx, validate_tmx

ROOT = Path(__file__).resolve().parents[1]
N_BEADS = 12


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def small_pair(tmp_path_factory) -> dict[str, Path]:
    """The seed's first beads as a new document pair: one sentence per paragraph, with gold."""
    out = tmp_path_factory.mktemp("pair")
    en = [
        s.text for s in segment_document(ingest_file(ROOT / "seeds/000_07d8ad3adaf52f90.txt", "en"))
    ]
    ru = [s.text for s in segment_document(ingest_file(ROOT / "seeds/interview.ru.txt", "ru"))]
    gold = read_vecalign(ROOT / "seeds/interview.en-ru.gold")[:N_BEADS]
    n_en = max(i for b in gold for i in b.src) + 1
    n_ru = max(j for b in gold for j in b.tgt) + 1
    paths = {"src": out / "talk.en.txt", "ref": out / "talk.ru.txt", "gold": out / "talk.gold"}
    paths["src"].write_text("\n\n".join(en[:n_en]) + "\n", encoding="utf-8")
    paths["ref"].write_text("\n\n".join(ru[:n_ru]) + "\n", encoding="utf-8")
    paths["gold"].write_text(format_vecalign(gold), encoding="utf-8")
    return paths


def test_run_on_a_new_pair(tmp_path, small_pair):
    out = tmp_path / "out"
    res = _invoke("run", str(small_pair["src"]), str(small_pair["ref"]), "-s", "en", "-t", "ru",
                  "-g", str(ROOT / "glossaries/interview.tsv"), "--gold", str(small_pair["gold"]),
                  "-o", str(out), "--packages-dir", str(tmp_path / "none"))  # fmt: skip
    assert res.exit_code == 0, res.output
    # Output names follow the source's stem, languages follow -s/-t.
    for name in ("talk.en.txt", "talk.ru.txt", "talk.en-ru.align", "talk.en-ru.tmx", "talk.tbx",
                 "scores.json", "report.html"):  # fmt: skip
        assert (out / name).is_file(), name
    assert not (tmp_path / "outputs").exists() and not list(out.glob("interview*"))
    src_lines = (out / "talk.en.txt").read_text(encoding="utf-8").splitlines()
    source = small_pair["src"].read_text(encoding="utf-8")
    assert src_lines == [line for line in source.splitlines() if line]
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores["alignment"]["vs_gold"]["f1_strict"] >= 0.9
    units = list(read_tmx(out / "talk.en-ru.tmx", "en", "ru"))
    assert validate_tmx(out / "talk.en-ru.tmx") == [] and len(units) >= N_BEADS - 1
    assert all(u.tuid.startswith("talk-") for u in units)
    assert f"segments:   {len(src_lines)} en" in res.output


def test_run_source_only_skips_alignment_with_a_note(tmp_path, small_pair):
    out = tmp_path / "out"
    res = _invoke("run", str(small_pair["src"]), "-s", "en", "-t", "ru", "-o", str(out),
                  "--packages-dir", str(tmp_path / "none"))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "no reference given: alignment, TMX and scores skipped" in res.output
    assert (out / "talk.en.txt").is_file() and not list(out.glob("*.tmx"))


@pytest.mark.parametrize("which", ["reference", "gold", "glossary"])
def test_named_input_that_is_missing_stops_before_writing(tmp_path, small_pair, which):
    args = {"reference": [str(small_pair["src"]), str(tmp_path / "nope.txt")],
            "gold": [str(small_pair["src"]), str(small_pair["ref"]), "--gold", str(tmp_path / "nope.txt")],
            "glossary": [str(small_pair["src"]), "-g", str(tmp_path / "nope.txt")]}[which]  # fmt: skip
    out = tmp_path / "out"
    res = _invoke("run", *args, "-s", "en", "-t", "ru", "-o", str(out))
    assert res.exit_code == 2
    assert res.stderr.strip().startswith(f"align: error: {tmp_path / 'nope.txt'}: no such file")
    assert len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_usage_errors():
    # -o - is not a folder.
    res = _invoke("run", "a.txt", "b.txt", "-s", "en", "-t", "ru", "-o", "-")
    assert res.exit_code == 2 and "give a folder" in res.stderr
    # A document of our own needs its languages: nothing is assumed to be en/ru.
    res = _invoke("run", "a.txt", "b.txt", "-s", "de")
    assert res.exit_code == 2 and "-t/--tgt-lang" in res.stderr and "-s/" not in res.stderr


def test_languages_may_come_from_the_config(tmp_path, small_pair):
    cfg = tmp_path / "run.toml"
    cfg.write_text('src_lang = "en"\ntgt_lang = "ru"\n', encoding="utf-8")
    res = _invoke("run", str(small_pair["src"]), "--config", str(cfg), "--print-config")
    assert res.exit_code == 0, res.output
    assert tomllib.loads(res.stdout)["tgt_lang"] == "ru"


def test_print_config_round_trips_through_config(tmp_path, small_pair):
    args = ["run", str(small_pair["src"]), str(small_pair["ref"]), "-s", "en", "-t", "ru",
            "-g", "terms.tsv", "--gold", str(small_pair["gold"]), "-o", "result dir",
            "--mt-package", "translate-en_ru-fixture"]  # fmt: skip
    first = _invoke(*args, "--print-config")
    assert first.exit_code == 0, first.output
    keys = tomllib.loads(first.stdout)
    assert list(keys) == [f.name for f in dataclasses.fields(RunConfig)]
    assert keys["source"] == str(small_pair["src"]) and keys["outputs"] == "result dir"
    assert keys["name"] == "talk" and keys["skip_missing"] is False
    assert keys["mt_packages"] == ["translate-en_ru-fixture"]
    # Every key has its own comment line just above it.
    lines = first.stdout.splitlines()
    for n, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[n - 1].startswith("# ") and len(lines[n - 1]) > 10, line
    cfg = tmp_path / "run.toml"
    cfg.write_text(first.stdout, encoding="utf-8")
    second = _invoke("run", "--config", str(cfg), "--print-config")
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout


def test_seed_defaults_and_command_line_over_config(tmp_path):
    res = _invoke("run", "--print-config")
    assert res.stdout == RunConfig().to_toml()
    assert tomllib.loads(res.stdout)["source"] == "seeds/000_07d8ad3adaf52f90.txt"
    cfg = tmp_path / "run.toml"
    cfg.write_text('tgt_lang = "de"\nreview_below = 0.7\noutputs = "from-config"\n')
    res = _invoke("run", "--config", str(cfg), "-o", "from-cli", "--print-config")
    keys = tomllib.loads(res.stdout)
    assert (keys["tgt_lang"], keys["review_below"], keys["outputs"]) == ("de", 0.7, "from-cli")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('colour = "blue"\n', "unknown key 'colour'"),
        ("max_bead = 2.5\n", "key 'max_bead' must be an integer, not 2.5"),
        ('mt = "yes"\n', "key 'mt' must be true or false, not 'yes'"),
        ("review_below = 2\n", "key 'review_below' must be between 0.0 and 1.0, not 2"),
        ("mt_packages = [1]\n", "key 'mt_packages' must be a list of strings"),
        ("source = [\n", "is not a readable TOML config"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, problem):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_config(cfg)
    assert problem in err.value.message and str(cfg) in err.value.message
    res = _invoke("run", "--config", str(cfg))
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1


_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    name=_text,
    source=_text,
    glossary=st.none() | _text.filter(bool),
    packages=st.lists(_text, max_size=3),
    review=st.none() | st.floats(0, 1, allow_nan=False),
    bead=st.integers(1, 9),
    mt=st.booleans(),
)
def test_any_config_survives_toml(name, source, glossary, packages, review, bead, mt):
    cfg = RunConfig(name=name, source=source, glossary=glossary, mt_packages=packages,
                    review_below=review, max_bead=bead, mt=mt)  # fmt: skip
    assert RunConfig(**tomllib.loads(cfg.to_toml())) == cfg


def test_readme_documents_every_config_key():
    """The README's table is the --print-config comments: same keys, defaults and meanings."""
    from align.run.job import _toml_value

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cfg = RunConfig()
    for f in dataclasses.fields(RunConfig):
        row = f"| `{f.name}` | `{_toml_value(getattr(cfg, f.name))}` | {f.metadata['help']} |"
        assert row in readme, f"README lacks the row for {f.name}: {row}"


def test_config_knobs_reach_the_job(tmp_path, small_pair, packages_dir):  # noqa: F811
    """max_bead, review_below and mt from the config change what the job does."""
    out = tmp_path / "out"
    cfg = tmp_path / "run.toml"
    cfg.write_text(
        "max_bead = 1\nreview_below = 1.0\nmt = false\n"
        f'mt_packages = ["translate-en_ru-fixture"]\npackages_dir = "{packages_dir}"\n',
        encoding="utf-8",
    )
    res = _invoke("run", str(small_pair["src"]), str(small_pair["ref"]), "-s", "en", "-t", "ru",
                  "--config", str(cfg), "-o", str(out))  # fmt: skip
    assert res.exit_code == 0, res.output
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert set(scores["alignment"]["by_type"]) <= {"1-1", "1-0", "0-1"}
    assert scores["alignment"]["review"] == scores["alignment"]["beads"]
    assert "mt" not in scores and not list(out.glob("*mt*"))


def test_a_document_without_a_title_says_so(tmp_path):
    (tmp_path / "a.en").write_text("The museum opens at ten. Tickets cost 15 euros.\n", "utf-8")
    (tmp_path / "a.ru").write_text("Музей открывается в десять. Билеты стоят 15 евро.\n", "utf-8")
    res = _invoke("run", str(tmp_path / "a.en"), str(tmp_path / "a.ru"), "-s", "en", "-t", "ru",
                  "-o", str(tmp_path / "out"), "--packages-dir", str(tmp_path / "none"))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "title:      (none found)" in res.output
