"""An input named more than once is processed once (directly, via a folder, by two spellings)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from cli_helpers import cli
from mt_fixtures import fixture_archives, mt_env, packages_dir  # noqa: F401

from align.cli.translate import Job
from align.paths import file_identity, once_each

LANGS = ["-s", "en", "-t", "ru", "--allow-fixture"]


@pytest.fixture
def docs(mt_env, monkeypatch):  # noqa: F811
    monkeypatch.chdir(mt_env)
    (mt_env / "docs" / "sub").mkdir(parents=True)
    Path("docs/b.txt").write_text("Baku is a city.\n", encoding="utf-8")
    Path("docs/sub/a.txt").write_text("Peace talks began.\nThe port is open.\n", encoding="utf-8")
    os.symlink("docs/sub/a.txt", "link.txt")
    return mt_env


def outputs(folder: str) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())


def segments_done(stderr: str) -> int:
    m = re.search(r"translated \d+ file\(s\), (\d+) segments", stderr)
    assert m, stderr
    return int(m.group(1))


IDS = ["folder-then-file", "file-then-folder", "folder-and-subfolder", "two-spellings",
       "dotdot", "symlink", "same-name"]  # fmt: skip


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (["docs", "docs/sub/a.txt"], ["b.ru.fixture.txt", "sub/a.ru.fixture.txt"]),
        (["docs/sub/a.txt", "docs"], ["a.ru.fixture.txt", "b.ru.fixture.txt"]),
        (["docs", "docs/sub"], ["b.ru.fixture.txt", "sub/a.ru.fixture.txt"]),
        (["docs", "./docs/"], ["b.ru.fixture.txt", "sub/a.ru.fixture.txt"]),
        (["docs/sub/a.txt", "docs/sub/../sub/a.txt"], ["a.ru.fixture.txt"]),
        (["docs/sub/a.txt", "link.txt"], ["a.ru.fixture.txt"]),
        (["docs/b.txt", "docs/b.txt"], ["b.ru.fixture.txt"]),
    ],
    ids=IDS,
)
def test_translate_processes_a_repeated_input_once(docs, inputs, expected):
    res = cli("translate", *inputs, *LANGS, "-o", "out")
    assert res.exit_code == 0, res.stderr
    assert outputs("out") == expected  # the first mention decides the output's place
    singles = {"a.ru.fixture.txt": 2, "sub/a.ru.fixture.txt": 2, "b.ru.fixture.txt": 1}
    assert segments_done(res.stderr) == sum(singles[name] for name in expected)
    assert "named more than once" in res.stderr


def test_once_each_keeps_the_first_mention_and_pairs_each_repeat(tmp_path):
    (tmp_path / "d").mkdir()
    a = tmp_path / "d" / "a.txt"
    a.write_text("x\n")
    os.link(a, tmp_path / "hard.txt")
    jobs = [Job(a, Path("a.txt")), Job(tmp_path / "hard.txt", Path("hard.txt")),
            Job(tmp_path / "d" / ".." / "d" / "a.txt", Path("d/a.txt"))]  # fmt: skip
    kept, repeats = once_each(jobs, lambda job: job.path)
    assert kept == [jobs[0]]
    assert repeats == [(jobs[1], jobs[0]), (jobs[2], jobs[0])]


def test_translate_repeat_note_names_both_spellings(docs):
    res = cli("translate", "docs/sub/a.txt", "link.txt", *LANGS, "-o", "out")
    assert res.exit_code == 0, res.stderr
    assert (
        "align: note: link.txt: named more than once (also as docs/sub/a.txt); translated once"
        in res.stderr.splitlines()
    )


def test_once_each_on_plain_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.tmx").write_text("x")
    os.symlink("a.tmx", "link.tmx")
    names = ["a.tmx", "./a.tmx", "link.tmx", "missing.txt", "./missing.txt", "-", "-", "b.tmx"]
    kept, repeats = once_each(names)
    assert kept == ["a.tmx", "missing.txt", "-", "b.tmx"]
    assert repeats == [("./a.tmx", "a.tmx"), ("link.tmx", "a.tmx"),
                       ("./missing.txt", "missing.txt"), ("-", "-")]  # fmt: skip
    assert file_identity("a.tmx") == file_identity(tmp_path / "link.tmx")
    assert file_identity("missing.txt") == str(tmp_path / "missing.txt")


# --- the other commands that take several inputs ------------------------------------------

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu tuid="1"><tuv xml:lang="en"><seg>Baku is a city.</seg></tuv><tuv xml:lang="ru"><seg>Баку - город.</seg></tuv></tu>
<tu tuid="2"><tuv xml:lang="en"><seg>The port is open.</seg></tuv><tuv xml:lang="ru"><seg>Порт открыт.</seg></tuv></tu>
</body></tmx>
"""


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("sub").mkdir()
    Path("a.tmx").write_text(TMX, encoding="utf-8")
    os.symlink("a.tmx", "link.tmx")
    return tmp_path


def test_tmx_merge_reads_a_file_named_twice_once(here):
    res = cli("tmx", "merge", "a.tmx", "sub/../a.tmx", "link.tmx", "-o", "all.tmx")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [
        "align: note: sub/../a.tmx: named more than once (also as a.tmx); merged once",
        "align: note: link.tmx: named more than once (also as a.tmx); merged once",
        "read 2 units from 1 file; dropped 0 duplicates; resolved 0 conflicts "
        "(higher standing, then newest kept); wrote 2 to all.tmx",
    ]


def test_score_counts_a_reference_named_twice_once(here):
    Path("hyp.txt").write_text("Баку город.\nПорт открыт.\n", encoding="utf-8")
    Path("ref.txt").write_text("Баку - город.\nПорт открыт.\n", encoding="utf-8")
    os.link("ref.txt", "hard.txt")
    res = cli("score", "--hyp", "hyp.txt", "--ref", "ref.txt", "--ref", "./ref.txt",
              "--ref", "hard.txt", "-f", "json")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [
        "align: note: ./ref.txt: named more than once (also as ref.txt); used as one reference",
        "align: note: hard.txt: named more than once (also as ref.txt); used as one reference",
    ]
    data = json.loads(res.stdout)
    assert data["refs"] == ["ref.txt"]
    once = cli("score", "--hyp", "hyp.txt", "--ref", "ref.txt", "-f", "json")
    assert data["scores"] == json.loads(once.stdout)["scores"]  # nrefs:1, same figures
    text = cli("score", "--hyp", "hyp.txt", "--ref", "ref.txt", "--ref", "./ref.txt")
    assert text.stdout.splitlines()[0] == "hyp.txt: 2 segments, 1 reference"


def test_models_install_installs_a_file_named_twice_once(here, fixture_archives):  # noqa: F811
    archive = fixture_archives[("en", "ru")]
    os.symlink(archive, "model.argosmodel")
    res = cli("models", "--packages-dir", "pk", "install", str(archive), "model.argosmodel",
              f"{archive.parent}/../{archive.parent.name}/{archive.name}")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines() == [
        "installed en→ru translate-en_ru-fixture (test fixture) -> pk/translate-en_ru-fixture"
    ]
    assert res.stderr.splitlines() == [
        f"align: note: model.argosmodel: named more than once (also as {archive}); installed once",
        f"align: note: {archive.parent}/../{archive.parent.name}/{archive.name}: named more than "
        f"once (also as {archive}); installed once",
    ]
    assert [p.name for p in Path("pk").iterdir()] == ["translate-en_ru-fixture"]


def test_models_build_fixture_builds_a_pair_named_twice_once(here):
    res = cli("models", "--packages-dir", "pk", "build-fixture", "-o", "fx",
              "--pair", "en-ru", "--pair", "en-ru", "--install")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines() == [
        "built fx/translate-en_ru-fixture.argosmodel",
        "installed en→ru translate-en_ru-fixture (test fixture) -> pk/translate-en_ru-fixture",
    ]
    assert res.stderr == "align: note: --pair en-ru: named more than once; built once\n"
