"""Inputs for the align review tests: a small TMX and the seed's `align run` folder."""

from __future__ import annotations

from pathlib import Path

from align.model import TranslationUnit
from align.tmx import write_tmx

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "glossaries/interview.tsv"

PAIRS = [
    ("The summit took place in Khankendi.", "Саммит прошёл в Степанакерте.", "0.9997"),
    (
        "Baku and Moscow will restore partnership.",
        "Баку и Москва восстановят партнёрство.",
        "0.9998",
    ),
    (
        "It rained.",
        "Дождь шёл весь день, и все промокли до нитки, кроме водителя автобуса.",
        "0.42",
    ),
    ("The talks continue.", "Переговоры продолжаются.", "0.9999"),
]


def small_tmx(path: Path) -> Path:
    """Four units: a forbidden rendering, a clean pair, a low-score long pair, a clean pair."""
    units = [
        TranslationUnit(s, t, "en", "ru", tuid=f"u{n}", props={"score": sc, "origin": "aligned"})
        for n, (s, t, sc) in enumerate(PAIRS, 1)
    ]
    write_tmx(path, units, src_lang="en", tgt_lang="ru")
    return path


def run_folder(out: Path) -> Path:
    """The seed interview through `align run` (no MT models): the folder align review opens."""
    from align.run.job import RunConfig, run

    run(
        RunConfig(
            source=str(ROOT / "seeds/000_07d8ad3adaf52f90.txt"),
            reference=str(ROOT / "seeds/interview.ru.txt"),
            gold=str(ROOT / "seeds/interview.en-ru.gold"),
            glossary=str(GLOSSARY),
            outputs=str(out),
            packages_dir=str(out.parent / "no-packages"),
        )
    )
    return out
