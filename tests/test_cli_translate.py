"""End to end through the CLI: install fixture packages, translate files and folders."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def env(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.en.txt").write_text(
        "The president of Azerbaijan met people in Baku today.\n\nPeace talks began in Moscow.\n"
    )
    (src / "sub" / "b.txt").write_text("Khankendi is a city in Karabakh.\n")
    return tmp_path


def counts(stderr: str) -> tuple[int, int]:
    m = re.search(r"\((\d+) by the model, (\d+) from cache(?:, \d+ blank)?\)", stderr)
    assert m, stderr
    return int(m.group(1)), int(m.group(2))


def test_models_install_list_remove_via_cli(tmp_path, fixture_archives):  # noqa: F811
    root = tmp_path / "pk"
    res = run(
        "models",
        "--packages-dir",
        str(root),
        "install",
        str(fixture_archives[("en", "ru")]),
        str(fixture_archives[("ru", "en")]),
    )
    assert res.exit_code == 0, res.output
    assert "installed en→ru translate-en_ru-fixture (test fixture)" in res.output
    (root / "stray").mkdir()
    listing = run("models", "--packages-dir", str(root), "list")
    assert "translate-ru_en-fixture" in listing.output
    assert "TEST FIXTURE" in listing.output
    assert "broken     stray: no metadata.json" in listing.output
    data = json.loads(run("models", "--packages-dir", str(root), "list", "-f", "json").output)
    assert [p["fixture"] for p in data["packages"]] == [True, True]
    assert "pivot" not in listing.output  # en↔ru only: nothing to pivot
    run("models", "--packages-dir", str(root), "install", str(fixture_archives[("en", "az")]))
    listing = run("models", "--packages-dir", str(root), "list")
    assert "ru→az      pivot: translate-ru_en-fixture + translate-en_az-fixture" in listing.output
    res = run("models", "--packages-dir", str(root), "remove", "ru", "en")
    assert res.exit_code == 0 and "removed" in res.output
    assert run("models", "--packages-dir", str(root), "remove", "ru", "en").exit_code == 2


def test_build_fixture_cli(tmp_path):
    res = run(
        "models",
        "--packages-dir",
        str(tmp_path / "pk"),
        "build-fixture",
        "-o",
        str(tmp_path / "fx"),
        "--install",
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "fx").iterdir()) == [
        "translate-en_ru-fixture.argosmodel",
        "translate-ru_en-fixture.argosmodel",
    ]
    assert run("models", "build-fixture", "-o", str(tmp_path), "--pair", "en-xx").exit_code == 2


def test_corrupt_archive_cli_error(tmp_path):
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"PK\x03\x04 not really")
    res = CliRunner().invoke(
        main, ["models", "--packages-dir", str(tmp_path / "pk"), "install", str(bad)]
    )
    assert res.exit_code == 2
    assert f"align: error: {bad}: not an .argosmodel" in res.output
    assert "Traceback" not in res.output


def test_translate_folder_en_ru_then_back(env):
    out = env / "out"
    res = run(
        "translate",
        str(env / "in"),
        "--from",
        "en",
        "--to",
        "ru",
        "-o",
        str(out),
        "--allow-fixture",
    )
    assert res.exit_code == 0, res.output
    a = (out / "a.ru.fixture.txt").read_text().splitlines()
    assert a == [
        "The президент of Азербайджан met люди in Баку сегодня.",
        "",
        "Мир переговоры began in Москва.",
    ]
    assert (out / "sub" / "b.ru.fixture.txt").read_text() == "Ханкенди is a город in Карабах.\n"
    assert counts(res.stderr) == (3, 0)
    assert "TEST FIXTURE" in res.stderr
    back = run(
        "translate",
        str(out / "a.ru.fixture.txt"),
        "-f",
        "ru",
        "-t",
        "en",
        "-o",
        str(env / "back"),
        "--package",
        "translate-ru_en-fixture",
    )
    assert back.exit_code == 0, back.output
    assert (env / "back" / "a.ru.fixture.en.fixture.txt").read_text().splitlines() == [
        "The president of Azerbaijan met people in Baku today.",
        "",
        "Peace talks began in Moscow.",
    ]


def test_rerun_hits_cache(env):
    args = (
        "translate",
        str(env / "in"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--allow-fixture",
    )
    assert counts(run(*args).stderr) == (3, 0)
    assert counts(run(*args).stderr) == (0, 3)


def test_jsonl_provenance(env):
    res = run(
        "translate",
        str(env / "in" / "a.en.txt"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--format",
        "jsonl",
        "--allow-fixture",
        "--beam",
        "1",
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (env / "out" / "a.ru.fixture.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a.en:1", "a.en:2", "a.en:3"]
    assert rows[0]["target"] == "The президент of Азербайджан met люди in Баку сегодня."
    assert all(r["fixture"] is True and r["origin"] == "mt:translate-en_ru-fixture" for r in rows)
    assert rows[0]["glossary_changes"] == []
    assert rows[1]["target"] == "" and rows[1]["score"] is None


def test_fixture_refused_without_permission(env):
    res = run("translate", str(env / "in"), "-f", "en", "-t", "ru", "-o", str(env / "out"))
    assert res.exit_code == 2
    assert "no package translates en→ru" in res.stderr
    assert "align models install" in res.stderr
    assert not (env / "out").exists() or not any((env / "out").rglob("*.txt"))


def test_one_bad_file_does_not_stop_the_others(env):
    (env / "in" / "empty.txt").write_text("")
    (env / "in" / "blank.txt").write_text("\n\n")
    res = run(
        "translate",
        str(env / "in"),
        str(env / "nope.txt"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--allow-fixture",
    )
    assert res.exit_code == 2
    assert f"{env / 'in' / 'empty.txt'}: is empty" in res.stderr
    assert f"{env / 'in' / 'blank.txt'}: is empty" in res.stderr
    assert f"{env / 'nope.txt'}: no such file or folder" in res.stderr
    assert (env / "out" / "a.ru.fixture.txt").exists()
    assert (env / "out" / "sub" / "b.ru.fixture.txt").exists()
    assert not (env / "out" / "empty.ru.fixture.txt").exists()


def test_unwritable_output_folder(env):
    blocker = env / "file"
    blocker.write_text("x")
    res = run(
        "translate",
        str(env / "in"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(blocker / "out"),
        "--allow-fixture",
    )
    assert res.exit_code == 2
    assert "output folder is not writable" in res.stderr
    assert blocker.read_text() == "x"


def test_interrupted_job_resumes(env, monkeypatch):
    from align.mt import engine as tmod

    lines = [f"Baku and Moscow talks number {i}." for i in range(12)]
    (env / "in" / "a.en.txt").write_text("\n".join(lines) + "\n")
    real = tmod.PackageEngine.translate_batch
    calls = {"n": 0, "done": 0}

    def flaky(self, pieces, options):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        calls["done"] += len(pieces)  # no segment here is long enough to be split
        return real(self, pieces, options)

    monkeypatch.setattr(tmod.PackageEngine, "translate_batch", flaky)
    args = (
        "translate",
        str(env / "in" / "a.en.txt"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--allow-fixture",
        "--flush-every",
        "4",
    )
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 130
    assert "rerun to resume" in res.stderr
    assert not (env / "out").exists() or not list((env / "out").rglob("*.txt"))
    monkeypatch.setattr(tmod.PackageEngine, "translate_batch", real)
    res = run(*args)
    assert res.exit_code == 0, res.output
    # every segment finished before Ctrl-C came from the cache
    assert 0 < calls["done"] < 12
    assert counts(res.stderr) == (12 - calls["done"], calls["done"])
    out = (env / "out" / "a.ru.fixture.txt").read_text().splitlines()
    assert out[11] == "Баку and Москва переговоры number 11."
    assert len(out) == 12


def test_glossary_fixes_are_recorded(env):
    import align.glossary

    g = env / "g.tsv"
    g.write_text("id\ten\tru\tforbidden:ru\ntalks\ttalks\tбеседы\tпереговоры\n")
    args = (
        "translate",
        str(env / "in" / "a.en.txt"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--allow-fixture",
        "--glossary",
        str(g),
        "--format",
        "jsonl",
    )
    if not hasattr(align.glossary, "fix_segment"):
        res = run(*args)
        assert res.exit_code == 2
        assert "--glossary needs align.glossary" in res.stderr
        return
    res = run(*args)
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (env / "out" / "a.ru.fixture.jsonl").read_text().splitlines()]
    assert rows[2]["target"] == "Мир беседы began in Москва."
    [change] = rows[2]["glossary_changes"]
    assert (change["before"], change["after"]) == ("переговоры", "беседы")
    assert rows[0]["glossary_changes"] == []


def test_tmx_output_marks_fixture(env):
    pytest.importorskip("align.tmx")
    from lxml import etree

    res = run(
        "translate",
        str(env / "in" / "a.en.txt"),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--format",
        "tmx",
        "--allow-fixture",
    )
    assert res.exit_code == 0, res.output
    root = etree.parse(str(env / "out" / "a.ru.fixture.tmx")).getroot()
    tus = root.findall("body/tu")
    assert len(tus) == 2  # the empty line is not a translation unit
    props = {p.get("type"): p.text for p in tus[0].findall("prop")}
    assert props["x-fixture"] == "true"
    assert props["x-origin"] == "mt:translate-en_ru-fixture"
    assert props["x-segment-id"] == "a.en:1"
    assert "not a translation" in tus[0].findtext("note")
    segs = [s.text for s in tus[0].iter("seg")]
    assert segs == [
        "The president of Azerbaijan met people in Baku today.",
        "The президент of Азербайджан met люди in Баку сегодня.",
    ]


def test_segment_raw_document(env):
    pytest.importorskip("align.text.segment")
    doc = env / "raw" / "page.txt"
    doc.parent.mkdir()
    doc.write_text("Peace talks began in Moscow. The president met people in Baku.\n")
    res = run(
        "translate",
        str(doc),
        "-f",
        "en",
        "-t",
        "ru",
        "-o",
        str(env / "out"),
        "--segment",
        "--format",
        "jsonl",
        "--allow-fixture",
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (env / "out" / "page.ru.fixture.jsonl").read_text().splitlines()]
    assert [r["target"] for r in rows] == [
        "Мир переговоры began in Москва.",
        "The президент met люди in Баку.",
    ]
    assert rows[0]["id"].startswith("page:")
