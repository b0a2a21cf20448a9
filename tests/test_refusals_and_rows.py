"""Refusals are one line in align's format; broken glossary rows and config values are named.

* ``-o -`` where a file or folder is needed, ``--format tmx|xliff`` without a file and
  ``-s en -t en`` for a bilingual output are well-formed command lines align will not
  carry out: ``align: error: WHAT: problem``, exit 2, nothing written, no click usage
  block (that stays for syntax mistakes: unknown option, missing argument, bad choice).
* A CSV quote that is never closed is an error naming the file and line; a row with an
  empty language cell is kept (termbases have gaps) with a warning naming file and line.
* ``align run --config`` errors about a file a key names say the config file and key.
* A boilerplate rule whose pattern matches empty text would eat every block: refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError
from align.glossary import load_glossary

EN = "The port of Baku is open.\nThe ship left Moscow today.\n"
RU = "Порт Баку открыт.\nКорабль сегодня покинул Москву.\n"
PAIR_EN = "source and target language are both en"
NO_STDOUT = "-o -: standard output is not possible here: "


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("a.en").write_text(EN, encoding="utf-8")
    Path("a.ru").write_text(RU, encoding="utf-8")
    Path("g.tsv").write_text("en\tru\nBaku\tБаку\n", encoding="utf-8")
    return tmp_path


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _cli(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _one_line(res) -> str:  # type: ignore[no-untyped-def]
    assert res.exit_code == 2, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), res.stderr
    return lines[0].removeprefix("align: error: ")


REFUSALS = [
    ("tmx export --src a.en --tgt a.ru -s en -t ru -o -", NO_STDOUT + "a TMX is written to a file"),
    ("translate a.en -s en -t ru -o -", NO_STDOUT + "translate writes one file per input"),
    ("tmx merge a.tmx -o -", NO_STDOUT + "a TMX is written to a file"),
    ("glossary convert g.tsv -o -", NO_STDOUT + "give a .tsv, .csv or .tbx file"),
    ("run a.en a.ru -s en -t ru -o -", NO_STDOUT + "align run writes a folder of files"),
    ("align a.en a.ru -s en -t ru -f xliff -o -", "--format xliff: needs an output file"),
    ("align a.en a.ru -s en -t ru -f tmx", "--format tmx: needs an output file (-o FILE.tmx)"),
    ("align a.en a.ru -s en -t en -f tmx -o x.tmx", PAIR_EN),
    ("run a.en a.ru -s en -t en -o out", PAIR_EN),
    ("tmx export --src a.en --tgt a.ru -s en -t en -o x.tmx", PAIR_EN),
    ("translate a.en -s en -t en -f tmx -o out", PAIR_EN),
]


@pytest.mark.parametrize(("args", "problem"), REFUSALS, ids=[a for a, _ in REFUSALS])
def test_a_refusal_is_one_line_in_aligns_format(work: Path, args: str, problem: str) -> None:
    before = _tree(work)
    assert _one_line(_cli(args.split())).startswith(problem)
    assert _tree(work) == before


@pytest.mark.parametrize(
    "args",
    [
        "tmx export --src a.en --tgt a.ru -s en -t ru --bogus",  # unknown option
        "glossary convert",  # missing argument
        "align a.en a.ru -s en -t ru -f bogus",  # bad choice
    ],
)
def test_syntax_mistakes_keep_clicks_usage_block(work: Path, args: str) -> None:
    res = _cli(args.split())
    assert res.exit_code == 2
    assert "Usage: " in res.stderr and "align: error" not in res.stderr


# --- glossary rows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('en,ru\n"Baku,Баку\n', 2),
        ('en,ru\nShusha,Шуша\n"Baku,Баку\nGanja,Гянджа\n', 3),
        ('en,ru\nBaku,"Ба|\nку"\nShusha,"Шуша', 4),  # a cell spanning lines counts them
    ],
)
def test_an_unclosed_csv_quote_names_the_file_and_line(work: Path, text: str, line: int) -> None:
    Path("g.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_glossary("g.csv")
    assert caught.value.path == "g.csv"
    assert caught.value.problem.startswith(f"line {line}: unclosed quote")
    out = _one_line(_cli(["glossary", "convert", "g.csv", "-o", "g.tbx"]))
    assert out.startswith(f"g.csv: line {line}: unclosed quote")
    assert not Path("g.tbx").exists()


def test_quoted_csv_cells_still_read(work: Path) -> None:
    Path("g.csv").write_text('en,ru,note\n"Baku, city",Баку,"a\nnote"\n', encoding="utf-8")
    [term] = load_glossary("g.csv").terms
    assert term.variants == {"en": ["Baku, city"], "ru": ["Баку"]} and term.note == "a\nnote"


@pytest.mark.parametrize(
    ("name", "text", "line", "lang"),
    [
        ("short.tsv", "en\tru\nBaku\n", 2, "ru"),
        ("noen.tsv", "en\tru\nShusha\tШуша\n\tБаку\n", 3, "en"),
        ("short.csv", "en,ru\nBaku,\n", 2, "ru"),
    ],
)
def test_an_empty_language_cell_is_kept_with_a_warning(
    work: Path, name: str, text: str, line: int, lang: str
) -> None:
    Path(name).write_text(text, encoding="utf-8")
    res = _cli(["glossary", "convert", name, "-o", "out.tbx"])
    assert res.exit_code == 0, res.output
    assert f"align: warning: {name}: line {line}: empty {lang} cell" in res.stderr
    glossary = load_glossary("out.tbx")
    gap = glossary.terms[-1]
    assert lang not in gap.variants  # kept, but no term pair for that language
    assert all(src and tgt for src, tgt in glossary.pairs("en", "ru"))
    assert len(glossary.pairs("en", "ru")) == len(glossary.terms) - 1


def test_many_gaps_are_counted_not_listed(work: Path, capsys: pytest.CaptureFixture) -> None:
    rows = "".join(f"Town{i}\n" for i in range(8))
    Path("gaps.tsv").write_text("en\tru\n" + rows, encoding="utf-8")
    assert len(load_glossary("gaps.tsv").terms) == 8
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4 and lines[-1].startswith("align: warning: gaps.tsv: 5 more rows")


def test_a_full_glossary_loads_quietly(work: Path, capsys: pytest.CaptureFixture) -> None:
    load_glossary("g.tsv")
    assert capsys.readouterr().err == ""


# --- align run --config ----------------------------------------------------------------


def _run_config(extra: str) -> None:
    outputs = "" if "outputs" in extra else 'outputs = "out"'
    Path("c.toml").write_text(
        f'src_lang = "en"\ntgt_lang = "ru"\nreference = ""\nglossary = ""\ngold = ""\n'
        f"mt = false\n{outputs}\n{extra}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('source = ""', "c.toml: key 'source': must name a file"),
        ('source = "missing.txt"', "c.toml: key 'source': missing.txt: no such file"),
        ('source = "a.en"\noutputs = ""', "c.toml: key 'outputs': must name a folder"),
        ('source = "a.en"\nboilerplate_rules = "bad.json"',
         "c.toml: key 'boilerplate_rules': bad.json: \"rules\" must be a list"),
        ('source = "a.en"\nboilerplate_rules = "empty.json"',
         "c.toml: key 'boilerplate_rules': empty.json: rule 1 (eat): pattern '' matches empty"),
        ('source = "a.en"\nsrx = "adir"', "c.toml: key 'srx': adir: is a directory"),
    ],
)  # fmt: skip
def test_run_config_errors_name_the_config_file_and_key(
    work: Path, extra: str, problem: str
) -> None:
    Path("bad.json").write_text('{"rules": 3}', encoding="utf-8")
    rule = {"name": "eat", "match": "search", "pattern": ""}
    Path("empty.json").write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    Path("adir").mkdir()
    _run_config(extra)
    before = _tree(work)
    assert _one_line(_cli(["run", "--config", "c.toml"])).startswith(problem)
    assert _tree(work) == before


# --- boilerplate patterns --------------------------------------------------------------


@pytest.mark.parametrize(
    ("match", "pattern"), [("search", ""), ("search", "x*"), ("search", "^"), ("fullmatch", "")]
)
def test_a_pattern_matching_empty_text_is_refused(tmp_path: Path, match: str, pattern: str) -> None:
    from align.text.boilerplate import load_rules

    rules = tmp_path / "rules.json"
    keep = {"name": "share", "match": "fullmatch", "pattern": "Share"}
    eat = {"name": "eat", "match": match, "pattern": pattern}
    rules.write_text(json.dumps({"rules": [keep, eat]}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(rules)
    assert caught.value.path == str(rules)
    assert caught.value.problem.startswith(f"rule 2 (eat): pattern {pattern!r} matches empty")


def test_ordinary_and_bundled_patterns_still_load(tmp_path: Path) -> None:
    from align.text.boilerplate import load_rules

    rules = tmp_path / "rules.json"
    rule = {"name": "share", "match": "search", "pattern": "^Share( this)?$", "flags": "i"}
    rules.write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    assert [r.name for r in load_rules(rules)] == ["share"]
    assert load_rules(None)
