"""align translate never loses work: skipped files named, own outputs not re-read,
colliding outputs refused before work, a full disk fails only the files it hits."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401
from tmpfs import fill, tmpfs

from align.cli import main
from align.mt import cache as cache_mod
from align.mt.cache import CachedTranslation, MTCache


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def env(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def lines(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    words = [
        "the",
        "port",
        "of",
        "baku",
        "is",
        "open",
        "today",
        "and",
        "ships",
        "wait",
        "for",
        "the",
        "captain",
    ]
    return "".join(" ".join(rnd.choice(words) for _ in range(15)).capitalize() + ".\n"
                   for _ in range(n))  # fmt: skip


def translate(*args: str):
    return run("translate", *args, "-s", "en", "-t", "ru", "--allow-fixture")


def test_own_outputs_are_not_retranslated(env):
    folder = env / "o8"
    folder.mkdir()
    (folder / "a.en.txt").write_text("The port is open.\n")
    for _ in range(3):
        res = translate(str(folder), "-o", str(folder))
        assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["a.en.txt", "a.ru.fixture.txt"]
    assert f"skipped {folder / 'a.ru.fixture.txt'}: an output of align translate" in res.stderr
    assert "translated 1 file(s)" in res.stderr


def test_colliding_outputs_stop_before_work(env):
    col = env / "col"
    col.mkdir()
    (col / "a.en.txt").write_text("The port is open.\n")
    (col / "a.txt").write_text("The ship is late.\n")
    res = translate(str(col), "-o", str(env / "out"))
    assert res.exit_code == 2
    err = res.stderr.strip().splitlines()[-1]
    assert err.startswith("align: error: ") and "a.ru.txt" in err
    assert str(col / "a.en.txt") in err and str(col / "a.txt") in err
    assert not (env / "out").exists() or not any((env / "out").iterdir())
    assert not (env / "cache" / "mt.sqlite3").exists()  # no model, no cache: nothing was done


def test_every_skipped_file_is_listed_with_a_reason(env):
    docs = env / "docs"
    (docs / ".git").mkdir(parents=True)
    (docs / ".git" / "HEAD").write_text("ref\n")
    (docs / "a.txt").write_text("The port is open.\n")
    (docs / "notes.md").write_text("# Notes\n")
    (docs / "slides.key").write_bytes(b"PK\x03\x04")
    (docs / "page.html").write_text("<p>Hi</p>")
    (docs / ".hidden.txt").write_text("x\n")
    os.mkfifo(docs / "pipe.txt")
    res = translate(str(docs), "-o", str(env / "out"))
    assert res.exit_code == 0, res.stderr
    skipped = {ln.removeprefix("align: skipped ").split(": ", 1)[0]
               for ln in res.stderr.splitlines() if ln.startswith("align: skipped ")}  # fmt: skip
    want = {".git", "notes.md", "slides.key", "page.html", ".hidden.txt", "pipe.txt"}
    assert skipped == {str(docs / n) for n in want}
    assert ".md is not a format align translates" in res.stderr
    assert ".html is a document: add --segment" in res.stderr
    assert "skipped 6 file(s)" in res.stderr and "translated 1 file(s)" in res.stderr


def test_full_disk_fails_one_file_and_keeps_the_rest(env):
    src = env / "in"
    src.mkdir()
    (src / "a.en.txt").write_text(lines(1, 1))
    (src / "b.en.txt").write_text(lines(20, 2))  # ~10 KB of JSON lines: more than is left
    (src / "c.en.txt").write_text(lines(1, 3))
    with tmpfs(env / "out", "8k") as out:  # two 4 KB pages: a and c take one each
        res = translate(str(src), "-o", str(out), "--format", "jsonl", "--beam", "1")
        names = sorted(p.name for p in out.iterdir())
        kept = (out / "a.ru.fixture.jsonl").read_text()
    assert res.exit_code == 2
    assert names == ["a.ru.fixture.jsonl", "c.ru.fixture.jsonl"]  # no temp file left behind
    assert len(kept.splitlines()) == 1
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("align: error:")]
    assert errors == [f"align: error: {out / 'b.ru.fixture.jsonl'}: cannot be written "
                      "(No space left on device); other files go on"]  # fmt: skip
    assert "Traceback" not in res.stderr


def test_cache_on_a_full_disk_is_reported_once_and_skipped(env, monkeypatch):
    src = env / "in"
    src.mkdir()
    for k in range(3):
        (src / f"{k}.en.txt").write_text(lines(3, k))
    with tmpfs(env / "cachefs", "64k") as cdir:
        monkeypatch.setenv("ALIGN_CACHE_DIR", str(cdir))
        fill(cdir)
        res = translate(str(src), "-o", str(env / "out"))
    assert res.exit_code == 0, res.stderr
    assert res.stderr.count("translation cache cannot be") == 1
    assert "continuing without it" in res.stderr
    assert sorted(p.name for p in (env / "out").iterdir()) == [
        f"{k}.ru.fixture.txt" for k in range(3)
    ]


def test_cache_write_failure_disables_the_cache_once(tmp_path, monkeypatch):
    warned: list[str] = []
    monkeypatch.setattr(cache_mod, "warn", warned.append)
    with tmpfs(tmp_path / "c", "128k") as cdir:
        db = MTCache(cdir / "mt.sqlite3")
        db.put_many("k", [("a", CachedTranslation("б", 0.5))])
        fill(cdir)
        big = [(f"s{i}" * 200, CachedTranslation("t" * 2000, 0.1)) for i in range(200)]
        db.put_many("k", big)  # database or disk is full: no exception
        db.put_many("k", big)
        assert db.get_many("k", ["a"]) == {}  # off for the rest of the run
        db.close()
    assert len(warned) == 1 and "cannot be written" in warned[0]
    assert "full" in warned[0] or "I/O" in warned[0]


def test_read_only_cache_is_reported_and_skipped(tmp_path, monkeypatch):
    warned: list[str] = []
    monkeypatch.setattr(cache_mod, "warn", warned.append)
    db = MTCache(tmp_path / "mt.sqlite3")
    db.close()
    ro = MTCache.__new__(MTCache)
    ro.path, ro.disabled = tmp_path / "mt.sqlite3", None
    ro._db = sqlite3.connect(f"file:{ro.path}?mode=ro", uri=True)
    ro.put_many("k", [("a", CachedTranslation("b", None))])
    assert ro.disabled and "readonly" in ro.disabled.replace("-", "").lower()
    assert len(warned) == 1


def test_translate_writes_only_into_its_output_folder(env, monkeypatch):
    monkeypatch.chdir(env)
    docs = env / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.en.txt").write_text("The port is open.\n")
    (docs / "sub" / "b.txt").write_text("The ship is late.\n")
    (docs / "empty.txt").write_text("")

    def tree() -> set[str]:
        return {p.relative_to(env).as_posix() for p in env.rglob("*")
                if "cache" not in p.relative_to(env).parts}  # fmt: skip

    before = tree()
    res = translate("docs", "-o", "out/ru", "--format", "tmx")
    assert res.exit_code == 2  # empty.txt fails, the others are translated
    assert tree() - before == {"out", "out/ru", "out/ru/a.ru.fixture.tmx", "out/ru/sub",
                               "out/ru/sub/b.ru.fixture.tmx"}  # fmt: skip


def test_a_giant_line_fails_that_file_only(env, monkeypatch):
    monkeypatch.setenv("ALIGN_MAX_SEGMENT_CHARS", "1000")
    src = env / "in"
    src.mkdir()
    (src / "a.en.txt").write_text("The port is open.\n")
    (src / "b.en.txt").write_text("ok\n" + "word " * 1000 + "\n")
    res = translate(str(src), "-o", str(env / "out"))
    assert res.exit_code == 2
    assert f"{src / 'b.en.txt'}: line 2 has 5,000 characters" in res.stderr
    assert sorted(p.name for p in (env / "out").iterdir()) == ["a.ru.fixture.txt"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "a.en", "b.en", "a.ru", "x.y"]), st.sampled_from(["", "sub"])
        ),
        min_size=1,
        max_size=6,
        unique=True,
    )
)
def test_plan_outputs_refuses_exactly_the_collisions(tmp_path_factory, names):
    """Property: the plan is refused iff two inputs share an output name, and it names both."""
    from align.cli.translate import Job, output_path, plan_outputs
    from align.errors import OutputError

    root = tmp_path_factory.mktemp("plan")
    jobs = [Job(root / "in" / d / f"{n}.txt", Path(d) / f"{n}.txt") for n, d in names]
    dests = [output_path(root / "out", j.rel, "en", "ru", "txt", False) for j in jobs]
    collide = len(set(dests)) < len(dests)
    try:
        planned = plan_outputs(jobs, root / "out", "en", "ru", "txt", False)
    except OutputError as exc:
        assert collide
        named = [j for j in jobs if f" {j.path} " in exc.message]
        assert len(named) == 2  # both inputs, which share one output: the one refused
        out = output_path(root / "out", named[0].rel, "en", "ru", "txt", False)
        assert out == output_path(root / "out", named[1].rel, "en", "ru", "txt", False)
        assert exc.message.startswith(f"{out}: both ")
    else:
        assert not collide and planned == dests
        assert not {str(j.path) for j in jobs} & {str(d) for d in planned}
