"""An interrupt landing between saving a result and counting it.

CI once caught `align translate` saying "332 newly translated segment(s) kept" over
a cache of 334 rows: Ctrl-C arrived after a batch's commit, before its count. Here
the signal is sent at exactly that moment, for each place that saves and counts.
"""

from __future__ import annotations

import signal
import threading

import pytest
from click.testing import CliRunner
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.cli import Terminated, handle_sigterm, main
from align.interrupts import held


@pytest.fixture
def sigterm_raises():
    """The CLI's SIGTERM handler for the test, the previous one afterwards."""
    before = signal.getsignal(signal.SIGTERM)
    handle_sigterm()
    yield
    signal.signal(signal.SIGTERM, before)


@pytest.mark.parametrize(
    ("sig", "stop"), [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)]
)
def test_held_signal_is_raised_when_the_block_ends(sig, stop, sigterm_raises):
    steps = []
    before = signal.getsignal(sig)
    with pytest.raises(stop):
        with held():
            signal.raise_signal(sig)
            steps.append("after the signal")  # the block is not cut short
            signal.raise_signal(sig)  # a second one is not raised twice
            steps.append("end")
        steps.append("after the block")  # never: the signal is raised here
    assert steps == ["after the signal", "end"]
    # The handler in force ran: Python's for SIGINT, the CLI's for SIGTERM, which
    # leaves the default behind so that a second SIGTERM kills at once.
    assert signal.getsignal(sig) is (before if sig == signal.SIGINT else signal.SIG_DFL)


def test_held_without_a_signal_changes_nothing():
    before = signal.getsignal(signal.SIGINT)
    with held():
        pass
    assert signal.getsignal(signal.SIGINT) is before


def test_held_outside_the_main_thread_runs_the_block():
    errors: list[BaseException] = []
    ran: list[bool] = []

    def work() -> None:
        try:
            with held():
                ran.append(True)
        except BaseException as exc:  # signal.signal would raise ValueError here
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert ran == [True] and errors == []


def test_translator_count_matches_cache_when_stopped_after_a_commit(
    tmp_path,
    packages_dir,  # noqa: F811
    monkeypatch,
):
    from align.mt.cache import MTCache
    from align.mt.engine import Translator

    put = MTCache.put_many
    calls = {"n": 0}

    def put_then_ctrl_c(self, key, items):
        put(self, key, items)
        calls["n"] += 1
        if calls["n"] == 2:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(MTCache, "put_many", put_then_ctrl_c)
    cache = MTCache(tmp_path / "mt.sqlite3")
    texts = [f"the capital and the river {i}." for i in range(40)]
    with Translator.load(
        "en", "ru", packages_dir, allow_fixture=True, cache=cache, batch_size=4
    ) as tr:
        tr.flush_every = 4  # several commits
        with pytest.raises(KeyboardInterrupt):
            tr.translate_segments(texts)
        assert calls["n"] == 2
        assert 0 < tr.stats["translated"] == cache.count() < len(texts)


def test_translate_lists_a_file_written_just_before_ctrl_c(
    tmp_path,
    packages_dir,  # noqa: F811
    monkeypatch,
):
    from align.cli import translate

    write = translate.write_output

    def write_then_ctrl_c(*args, **kwargs):
        replaced = write(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)
        return replaced

    monkeypatch.setattr(translate, "write_output", write_then_ctrl_c)
    for name in ("a", "b"):
        (tmp_path / f"{name}.en.txt").write_text(f"The capital {name}.\n")
    out = tmp_path / "out"
    args = ["translate", str(tmp_path / "a.en.txt"), str(tmp_path / "b.en.txt"), "-s", "en",
            "-t", "ru", "-o", str(out), "--allow-fixture", "--packages-dir", str(packages_dir),
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 130, res.output
    assert "1 file(s) written" in res.stderr
    assert len([p for p in out.rglob("*") if p.is_file()]) == 1


@pytest.fixture
def ctrl_c_after_write(monkeypatch):
    """`align align` with a hashing embedder, and Ctrl-C the moment a pair is written."""
    from align.aligner import align
    from align.aligner.embed import HashEmbedder
    from align.cli import aligncmd

    write = aligncmd._Job.write

    def compute(self, src, tgt):
        return align(src, tgt, "en", "en", embedder=HashEmbedder())

    def write_then_ctrl_c(self, *args, **kwargs):
        tally = write(self, *args, **kwargs)
        signal.raise_signal(signal.SIGINT)
        return tally

    monkeypatch.setattr(aligncmd._Job, "compute", compute)
    monkeypatch.setattr(aligncmd._Job, "write", write_then_ctrl_c)


def test_align_batch_counts_a_pair_written_just_before_ctrl_c(tmp_path, ctrl_c_after_write):
    rows = []
    for k in range(3):
        (tmp_path / f"{k}.a.txt").write_text(f"One line {k}.\nTwo lines {k}.\n")
        (tmp_path / f"{k}.b.txt").write_text(f"One line {k}.\nTwo lines {k}.\n")
        rows.append(f"{k}.a.txt\t{k}.b.txt\tout/{k}.tsv")
    (tmp_path / "pairs.tsv").write_text("\n".join(rows) + "\n")
    res = CliRunner().invoke(
        main, ["align", "--batch", str(tmp_path / "pairs.tsv"), "-s", "en", "-t", "ru"]
    )
    assert res.exit_code == 130, res.output
    assert "align: interrupted: 1 of 3 pairs done" in res.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.tsv"]


def _pair(tmp_path):
    (tmp_path / "a.txt").write_text("One line.\nTwo lines.\n")
    (tmp_path / "b.txt").write_text("One line.\nTwo lines.\n")
    return [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-s", "en", "-t", "ru"]


@pytest.mark.parametrize(
    ("extra", "rerun"),
    [
        ([], "rerun to resume (embeddings already computed are cached)"),
        (["--no-cache"], "a rerun starts over (--no-cache: nothing was cached)"),
    ],
)
def test_align_ctrl_c_says_what_a_rerun_redoes(tmp_path, monkeypatch, extra, rerun):
    """One pair or a batch: with --no-cache nothing was cached, so nothing resumes."""
    from align.cli import aligncmd

    def compute(self, src, tgt):
        raise KeyboardInterrupt

    monkeypatch.setattr(aligncmd._Job, "compute", compute)
    out = tmp_path / "o.tsv"
    res = CliRunner().invoke(main, ["align", *_pair(tmp_path), "-o", str(out), *extra])
    assert res.exit_code == 130, res.output
    assert res.stderr.splitlines()[-1] == f"align: interrupted: nothing written; {rerun}"
    assert not out.exists()
    (tmp_path / "pairs.tsv").write_text("a.txt\tb.txt\tout/0.tsv\n")
    args = ["align", "--batch", str(tmp_path / "pairs.tsv"), "-s", "en", "-t", "ru", *extra]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 130, res.output
    assert res.stderr.splitlines()[-1].endswith(
        f"0 of 1 pairs done (outputs written whole); {rerun}"
    )


def test_align_one_pair_says_its_output_was_written_when_ctrl_c_follows_the_write(
    tmp_path, ctrl_c_after_write
):
    out = tmp_path / "o.tsv"
    res = CliRunner().invoke(main, ["align", *_pair(tmp_path), "-o", str(out)])
    assert res.exit_code == 130, res.output
    assert "align: interrupted: output written;" in res.stderr
    assert out.read_text().count("\n") == 2
