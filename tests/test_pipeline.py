"""`align run` end to end on the seed, with and without the fixture MT packages."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import main
from align.errors import InputError
from align.run.job import RunConfig, run
from align.tmx import read_tmx, validate_tmx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _shared_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "align-cache"))


def _config(tmp_path: Path, **kw) -> RunConfig:
    base = {
        "source": str(ROOT / "seeds/000_07d8ad3adaf52f90.txt"),
        "reference": str(ROOT / "seeds/interview.ru.txt"),
        "gold": str(ROOT / "seeds/interview.en-ru.gold"),
        "glossary": str(ROOT / "glossaries/interview.tsv"),
        "outputs": str(tmp_path / "out"),
        "packages_dir": str(tmp_path / "no-packages"),
    }
    base.update(kw)
    return RunConfig(**base)


def test_run_without_models(tmp_path):
    cfg_path = tmp_path / "run.toml"
    cfg = _config(tmp_path)
    cfg_path.write_text(
        "".join(f'{k} = "{v}"\n' for k, v in vars(cfg).items() if isinstance(v, str)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", "--config", str(cfg_path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert "strict F1" in result.output and "beads:" in result.output
    install_lines = [line for line in result.output.splitlines() if "align models install" in line]
    assert len(install_lines) == 1
    en = (out / "interview.en.txt").read_text(encoding="utf-8").splitlines()
    assert en[0].startswith("No deep crisis") and len(en) == 72
    tmx = out / "interview.en-ru.tmx"
    assert validate_tmx(tmx) == []
    units = list(read_tmx(tmx, "en", "ru"))
    assert all(u.source and u.target for u in units)
    assert {u.props["origin"] for u in units} == {"aligned"}
    assert {u.props["translation"] for u in units} == {"human"}
    assert all(u.props["source-segments"].startswith("000_07d8ad3adaf52f90:") for u in units)
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores["alignment"]["vs_gold"]["f1_strict"] >= 0.9
    assert "mt" not in scores or scores["mt"] == {}
    assert (out / "interview.tbx").exists()
    assert not list(out.glob("*mt*"))
    page = lxml.html.parse(str(out / "report.html")).getroot()
    assert len(page.xpath("//table[@class='beads']/tbody/tr")) == scores["alignment"]["beads"]
    assert page.xpath("//mark[@class='ok']")
    assert not page.xpath("//div[contains(@class,'fixture')]")


def test_run_with_fixture_models_is_labelled(tmp_path, packages_dir):  # noqa: F811
    cfg = _config(tmp_path, packages_dir=str(packages_dir))
    # Installed but not named: the fixture is never used.
    plain = run(cfg)
    assert "mt" not in plain.scores or not plain.scores["mt"]
    assert any("align models install" in n for n in plain.notes)

    names = [p.name for p in packages_dir.iterdir()]
    result = run(_config(tmp_path, packages_dir=str(packages_dir), mt_packages=names))
    out = tmp_path / "out"
    assert result.fixture
    assert (out / "interview.mt.ru.fixture.txt").exists()
    assert (out / "interview.mt.en.fixture.txt").exists()
    assert not (out / "interview.mt.ru.txt").exists()
    mt_lines = (out / "interview.mt.ru.fixture.txt").read_text(encoding="utf-8").splitlines()
    assert len(mt_lines) == 72
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores["fixture_model_used"] is True
    assert scores["mt"]["en-ru"]["fixture"] is True and "bleu" in scores["mt"]["en-ru"]
    units = list(read_tmx(out / "interview.mt.en-ru.fixture.tmx", "en", "ru"))
    assert units and all(u.props.get("fixture") == "true" for u in units)
    assert all("not a translation" in (u.note or "") for u in units)
    page = lxml.html.parse(str(out / "report.html")).getroot()
    assert page.xpath("//div[contains(@class,'fixture')]")
    assert page.xpath("//td[@class='mt']")


def test_wrong_language_reference_stops_before_writing(tmp_path):
    cfg = _config(tmp_path, reference=str(ROOT / "seeds/000_07d8ad3adaf52f90.txt"))
    with pytest.raises(InputError, match="not ru"):
        run(cfg)
    assert not (tmp_path / "out").exists()


def test_mismatched_gold_stops_before_writing(tmp_path):
    gold = tmp_path / "bad.gold"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not match"):
        run(_config(tmp_path, gold=str(gold)))
    assert not (tmp_path / "out").exists()


def test_missing_reference_skips_alignment(tmp_path):
    result = run(_config(tmp_path, reference=str(tmp_path / "none.ru.txt")))
    assert any("reference" in n and "skipped" in n for n in result.notes)
    assert (tmp_path / "out" / "interview.en.txt").exists()
    assert not (tmp_path / "out" / "interview.en-ru.tmx").exists()


def test_bad_config_is_one_line_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('colour = "blue"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--config", str(cfg)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"align: error: {cfg}: unknown key 'colour' (see `align run --print-config` for every key)"
    )
