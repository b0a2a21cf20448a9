"""``-s auto``: guessed by ingest and segment, detected by tmx export, refused in one line elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import cli, work_folder

EN = "The port of Baku is open.\nThe ship left Moscow today.\n"
RU = "Порт Баку открыт.\nКорабль сегодня покинул Москву.\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    return work_folder(tmp_path, monkeypatch, {"en.txt": EN, "ru.txt": RU})


def refusal(option: str, command: str, example: str) -> str:
    return (f"align: error: {option} auto: align {command} cannot detect the language; "
            f"give a BCP 47 tag (e.g. {example})\n")  # fmt: skip


CASES = [
    (["translate", "en.txt", "-s", "auto", "-t", "ru", "-o", "out"],
     refusal("-s/--src-lang/--from", "translate", "-s en")),
    (["translate", "en.txt", "--from", "auto", "-t", "ru", "-o", "out"],
     refusal("-s/--src-lang/--from", "translate", "-s en")),
    (["translate", "en.txt", "-s", "en", "--tgt-lang=auto", "-o", "out"],
     refusal("-t/--tgt-lang/--to", "translate", "-t ru")),
    (["align", "en.txt", "ru.txt", "-s", "auto", "-t", "ru", "-o", "a.tmx"],
     refusal("-s/--src-lang", "align", "-s en")),
    (["align", "en.txt", "ru.txt", "-s", "en", "-t", "AUTO", "-o", "a.tsv"],
     refusal("-t/--tgt-lang", "align", "-t ru")),
]  # fmt: skip


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_auto_is_refused_where_no_language_is_detected(work, args, expected):
    res = cli(*args)
    assert res.exit_code == 2
    assert res.stderr == expected
    assert sorted(p.name for p in work.iterdir()) == ["en.txt", "ru.txt"]


@pytest.mark.parametrize("command", ["segment", "ingest"])
def test_auto_still_guesses_the_language_in_segment_and_ingest(work, command):
    res = cli(command, "ru.txt", "-s", "auto")
    assert res.exit_code == 0, res.stderr
    assert [line for line in res.stdout.splitlines() if line] == RU.splitlines()


# --- every command detects or refuses `auto` in one line ----------------------------------

GLOSSARY = "id\ten\tru\nbaku\tBaku\tБаку\n"


@pytest.fixture
def more(work):
    """``work`` plus a glossary and a TMX (en -> ru) made by align itself."""
    Path("g.tsv").write_text(GLOSSARY, encoding="utf-8")
    res = cli("tmx", "export", "--src", "en.txt", "--tgt", "ru.txt", "-s", "en", "-t", "ru",
              "-o", "m.tmx")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    return work


def from_input(option: str, command: str, example: str) -> str:
    first = option.split("/")[0]
    return (f"align: error: {option} auto: align {command} takes the language from the input "
            f"when {first} is left out; leave it out, or give a BCP 47 tag (e.g. {example})\n")  # fmt: skip


REFUSED = [
    (["glossary", "check", "en.txt", "ru.txt", "-g", "g.tsv", "-s", "auto", "-t", "ru"],
     refusal("-s/--src-lang", "glossary check", "-s en")),
    (["glossary", "fix", "en.txt", "ru.txt", "-g", "g.tsv", "-s", "en", "-t", "auto", "-o", "f.txt"],
     refusal("-t/--tgt-lang", "glossary fix", "-t ru")),
    (["score", "--hyp", "ru.txt", "--ref", "ru.txt", "-t", "auto"],
     refusal("-t/--tgt-lang", "score", "-t ru")),
    (["score", "--hyp", "ru.txt", "--ref", "ru.txt", "--src", "en.txt", "-g", "g.tsv",
      "-s", "en", "-t", "auto"], refusal("-t/--tgt-lang", "score", "-t ru")),
    (["score", "--hyp", "ru.txt", "--ref", "ru.txt", "-s", "Auto"],
     refusal("-s/--src-lang", "score", "-s en")),
    (["run", "en.txt", "ru.txt", "-s", "auto", "-t", "ru", "-o", "out"],
     refusal("-s/--src-lang", "run", "-s en")),
    (["tmx", "to-tsv", "m.tmx", "-s", "auto", "-o", "m.tsv"],
     from_input("-s/--src-lang", "tmx to-tsv", "-s en")),
    (["tmx", "merge", "m.tmx", "-t", "auto", "-o", "all.tmx"],
     from_input("-t/--tgt-lang", "tmx merge", "-t ru")),
    (["review", "m.tmx", "-s", "auto", "--export", "r.tmx"],
     from_input("-s/--src-lang", "review", "-s en")),
]  # fmt: skip


@pytest.mark.parametrize(("args", "expected"), REFUSED, ids=[" ".join(c[0][:2]) for c in REFUSED])
def test_auto_is_refused_in_one_line_by_every_command_that_cannot_detect(more, args, expected):
    before = sorted(p.name for p in more.iterdir())
    res = cli(*args)
    assert res.exit_code == 2
    assert res.stderr == expected
    assert res.stdout == ""
    assert sorted(p.name for p in more.iterdir()) == before  # nothing written, no journal


def test_run_config_auto_stays_refused(more):
    Path("c.toml").write_text('src_lang = "auto"\ntgt_lang = "ru"\n', encoding="utf-8")
    res = cli("run", "en.txt", "ru.txt", "--config", "c.toml", "-o", "out")
    assert res.exit_code == 2
    assert res.stderr == (
        "align: error: c.toml: key 'src_lang': 'auto' is not a BCP 47 language tag "
        "like en, ru or pt-BR\n"
    )
    assert not Path("out").exists()


LONG_EN = "".join(
    f"{s}\n"
    for s in (
        "The port of Baku is open to ships from every country on the Caspian Sea.",
        "The ship left Moscow today with a cargo of grain and machinery for the south.",
        "Officials said that the new agreement would be signed by both governments next week.",
        "The talks between the two delegations continued late into the night.",
    )
)
LONG_RU = "".join(
    f"{s}\n"
    for s in (
        "Порт Баку открыт для судов из всех стран Каспийского моря.",
        "Корабль сегодня покинул Москву с грузом зерна и техники для юга.",
        "Чиновники заявили, что новое соглашение подпишут оба правительства на следующей неделе.",
        "Переговоры между двумя делегациями продолжались до поздней ночи.",
    )
)


@pytest.mark.parametrize("given", [["-s", "auto", "-t", "auto"], ["-s", "AUTO"], []])
def test_tmx_export_auto_detects_like_leaving_the_languages_out(work, given):
    Path("a.en.txt").write_text(LONG_EN, encoding="utf-8")
    Path("a.ru.txt").write_text(LONG_RU, encoding="utf-8")
    res = cli("tmx", "export", "--src", "a.en.txt", "--tgt", "a.ru.txt", *given, "-o", "a.tmx")
    assert res.exit_code == 0, res.stderr
    assert "align: note: languages en -> ru (from the input; -s/-t to set)" in res.stderr
    text = Path("a.tmx").read_text(encoding="utf-8")
    assert 'srclang="en"' in text and "auto" not in text
    assert text.count('xml:lang="en"') == 4 and text.count('xml:lang="ru"') == 4


def test_tmx_export_help_says_auto_detects():
    out = " ".join(cli("tmx", "export", "--help").stdout.split())
    assert "Source language (BCP 47, e.g. en); default (or auto): the input's own, else " in out
    assert "Target language (BCP 47, e.g. ru); default (or auto): the input's own, else " in out
