"""The main job's TMX in a real CAT tool: OmegaT fills every 1-1 sentence with our Russian."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_tmx_omegat import FILTERS, OMEGAT_JAR, PROJECT

from align.aligner.beadio import read_vecalign
from align.run.job import RunConfig, run
from align.tmx import validate_tmx

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.omegat,
    pytest.mark.skipif(
        not OMEGAT_JAR.is_file(), reason="OmegaT not installed (apt-get install omegat)"
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no java on PATH for OmegaT"),
]


def test_omegat_fills_one_to_one_sentences_from_run_tmx(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    run(
        RunConfig(
            source=str(ROOT / "seeds/000_07d8ad3adaf52f90.txt"),
            reference=str(ROOT / "seeds/interview.ru.txt"),
            gold=str(ROOT / "seeds/interview.en-ru.gold"),
            glossary=str(ROOT / "glossaries/interview.tsv"),
            outputs=str(out),
            packages_dir=str(tmp_path / "no-packages"),
        )
    )
    tmx = out / "interview.en-ru.tmx"
    assert [p for p in validate_tmx(tmx) if p.level == "error"] == []

    proj = tmp_path / "proj"
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (proj / sub).mkdir(parents=True)
    (proj / "omegat.project").write_text(PROJECT, "utf-8")
    (proj / "omegat" / "filters.xml").write_text(FILTERS, "utf-8")
    shutil.copy(out / "interview.en.txt", proj / "source" / "interview.txt")
    shutil.copy(tmx, proj / "tm" / "auto" / "interview.tmx")
    subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(proj),
         "--mode=console-translate", f"--config-dir={tmp_path / 'config'}",
         "--disable-project-locking", "--no-team"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    target = (proj / "target" / "interview.txt").read_text("utf-8").splitlines()
    english = (out / "interview.en.txt").read_text("utf-8").splitlines()
    russian = (out / "interview.ru.txt").read_text("utf-8").splitlines()
    beads = read_vecalign(out / "interview.en-ru.align")
    one_to_one = [(b.src[0], b.tgt[0]) for b in beads if b.kind == "1-1"]
    assert len(one_to_one) >= 60
    for i, j in one_to_one:
        assert target[i] == russian[j], f"line {i}: {english[i]!r}"
