"""``align run --config``: a config value goes through the check of its command-line twin.

Languages, the output name, the outputs folder, the cluster and the numeric ranges are
refused in one line naming the file and the key (exit 2) before anything is written,
and languages are normalised as ``-s/-t`` are (``eng_Latn`` -> ``en``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError
from align.run.job import read_config

ROOT = Path(__file__).resolve().parents[1]


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def job(tmp_path: Path) -> dict[str, str]:
    """A tiny document pair; the config keys that run it fast, writing to tmp_path/out."""
    (tmp_path / "a.en").write_text("The museum opens at ten. Tickets cost 15 euros.\n", "utf-8")
    (tmp_path / "a.ru").write_text("Музей открывается в десять. Билеты стоят 15 евро.\n", "utf-8")
    return {"source": f'"{tmp_path / "a.en"}"', "reference": f'"{tmp_path / "a.ru"}"',
            "gold": '""', "glossary": '""', "mt": "false", "outputs": f'"{tmp_path / "out"}"',
            "packages_dir": f'"{tmp_path / "no-models"}"'}  # fmt: skip


def _config(tmp_path: Path, keys: dict[str, str], line: str) -> Path:
    key, _, value = line.partition(" = ")
    cfg = tmp_path / "run.toml"
    cfg.write_text("".join(f"{k} = {v}\n" for k, v in (keys | {key: value}).items()), "utf-8")
    return cfg


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('src_lang = "/../../ESCAPED"',
         "key 'src_lang': '/../../ESCAPED' is not a BCP 47 language tag like en, ru or pt-BR"),
        ('src_lang = "xx"', "key 'src_lang': 'xx' is not a BCP 47 language tag"),
        ('tgt_lang = "../x"', "key 'tgt_lang': '../x' is not a BCP 47 language tag"),
        ('tgt_lang = "auto"', "key 'tgt_lang': 'auto' is not a BCP 47 language tag"),
        ('name = "../NAMEESC"', "key 'name': '../NAMEESC' is not a plain file-name stem"),
        ('name = ""', "key 'name': '' is not a plain file-name stem"),
        ('name = ".hidden"', "key 'name': '.hidden' is not a plain file-name stem"),
        ('name = "/tmp/abs"', "key 'name': '/tmp/abs' is not a plain file-name stem"),
        ('name = "a\\\\b"', "key 'name': 'a\\\\b' is not a plain file-name stem"),
        ('name = "a:b"', "key 'name': 'a:b' is not a plain file-name stem"),
        ('name = "tab\\there"', "key 'name': 'tab\\there' is not a plain file-name stem"),
        ("max_bead = 99", "key 'max_bead' must be between 1 and 4, not 99"),
        ("max_bead = 0", "key 'max_bead' must be between 1 and 4, not 0"),
        ("beam_size = 17", "key 'beam_size' must be between 1 and 16, not 17"),
        ('outputs = "-"', "key 'outputs': align run writes a folder of files; give a folder"),
        ('cluster = "bogus"', "key 'cluster': 'bogus' is not local, local:N"),
        ('cluster = "local:0"', "key 'cluster': 'local:0' is not local, local:N"),
    ],
)  # fmt: skip
def test_bad_config_value_stops_before_anything_is_written(tmp_path, job, line, problem):
    cfg = _config(tmp_path, job, line)
    # above tmp_path only new entries count: the session's shared caches (SQLite -wal/-shm
    # files) may come and go there while this test runs
    above = [tmp_path.parent, tmp_path.parent.parent]
    before, above_before = _tree(tmp_path), [sorted(os.listdir(d)) for d in above]
    res = _invoke("run", "--config", str(cfg))
    assert _tree(tmp_path) == before
    assert [sorted(os.listdir(d)) for d in above] == above_before, "nothing written above"
    assert not (tmp_path / "out").exists()
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith(f"align: error: {cfg}: {problem}")
    assert len(res.stderr.strip().splitlines()) == 1
    with pytest.raises(InputError) as err:
        read_config(cfg)
    assert err.value.message.startswith(f"{cfg}: {problem}")


def test_bad_config_value_is_refused_even_when_the_command_line_overrides_it(tmp_path, job):
    """The config is checked whole, as for a value of the wrong type."""
    cfg = _config(tmp_path, job, 'src_lang = "xx"')
    res = _invoke("run", str(tmp_path / "a.en"), "-s", "en", "-t", "ru", "--config", str(cfg))
    assert res.exit_code == 2 and f"{cfg}: key 'src_lang'" in res.stderr
    assert not (tmp_path / "out").exists()


def test_config_languages_take_their_preferred_form(tmp_path, job):
    """eng_Latn in the config is en, as -s eng_Latn is: file names, TMX and glossary agree."""
    keys = job | {"src_lang": '"eng_Latn"', "tgt_lang": '"rus_Cyrl"',
                  "glossary": f'"{ROOT / "glossaries/interview.tsv"}"'}  # fmt: skip
    cfg = _config(tmp_path, keys, 'name = "talk"')
    printed = _invoke("run", "--config", str(cfg), "--print-config")
    assert printed.exit_code == 0, printed.output
    assert 'src_lang = "en"' in printed.stdout and 'tgt_lang = "ru"' in printed.stdout
    cli = _invoke("run", str(tmp_path / "a.en"), "-s", "eng_Latn", "-t", "rus_Cyrl",
                  "--print-config")  # fmt: skip
    assert 'src_lang = "en"' in cli.stdout and 'tgt_lang = "ru"' in cli.stdout
    res = _invoke("run", "--config", str(cfg))
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    assert {"talk.en.txt", "talk.ru.txt", "talk.en-ru.tmx", "talk.tbx"} <= set(_tree(out))
    assert not [p for p in _tree(out) if "Latn" in p or "Cyrl" in p]
    assert 'xml:lang="en"' in (out / "talk.en-ru.tmx").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["-s", "auto", "-t", "ru"], "align: error: -s/--src-lang auto: align run cannot detect "
         "the language; give a BCP 47 tag (e.g. -s en)\n"),
        (["-s", "en", "-t", "ru", "--cluster", "bogus"],
         "Invalid value for --cluster: 'bogus' is not local, local:N"),
        (["-s", "en", "-t", "ru", "-o", "-"],
         "align: error: -o -: standard output is not possible here: align run writes a folder"),
    ],
)  # fmt: skip
def test_command_line_values_get_the_same_checks(tmp_path, job, args, problem):
    before = _tree(tmp_path)
    res = _invoke("run", str(tmp_path / "a.en"), *args, "--packages-dir", str(tmp_path / "none"),
                  *(() if "-o" in args else ("-o", str(tmp_path / "out"))))  # fmt: skip
    assert res.exit_code == 2, res.output
    assert problem in res.stderr
    assert _tree(tmp_path) == before


def test_missing_or_folder_config_is_reported_like_any_input(tmp_path):
    res = _invoke("run", "--config", str(tmp_path / "missing.toml"))
    assert res.exit_code == 2
    assert res.stderr == f"align: error: {tmp_path / 'missing.toml'}: no such file\n"
    res = _invoke("run", "--config", str(tmp_path))
    assert res.exit_code == 2
    assert res.stderr == f"align: error: {tmp_path}: is a directory, expected a file\n"
    assert _tree(tmp_path) == []


@pytest.mark.parametrize("name", ["interview", "talk-2024_v2", "статья", "a b", "x.y"])
def test_plain_names_pass(name):
    from align.run.job import check_name

    assert check_name(name) == name


def test_a_document_that_reads_as_another_language_is_warned(tmp_path, capsys):
    from align.run.job import _check_language
    from align.text.ingest import ingest_file

    az = tmp_path / "a.az"
    az.write_text(
        "Çayın üzərindəki yeni körpü bazar ertəsi səhər nəqliyyatın hərəkətinə açıldı.\n"
        "Şəhər rəsmiləri bildiriblər ki, işlər təxminən üç il çəkib.\n"
        "Yerli mağazalar yol qısaldığı üçün daha çox müştəri gözləyirlər.\n",
        "utf-8",
    )
    _check_language(ingest_file(str(az), lang="tr"), "tr", str(az), "src_lang")
    err = capsys.readouterr().err
    assert err.startswith(f"align: warning: {az}: src_lang = tr but the text reads as az (")
    assert err.count("\n") == 1
    _check_language(ingest_file(str(az), lang="az"), "az", str(az), "src_lang")
    assert capsys.readouterr().err == ""
    with pytest.raises(InputError, match="is written in Latin script, not ru"):
        _check_language(ingest_file(str(az), lang="ru"), "ru", str(az), "src_lang")
