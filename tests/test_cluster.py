"""Translation on a dask.distributed LocalCluster (2 worker processes, 127.0.0.1 only).

One cluster for the module; every test talks to it over loopback.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mt_fixtures import fixture_archives  # noqa: F401

from align.errors import AlignError
from align.mt.cache import MTCache
from align.mt.engine import Translator
from align.mt.packages import install_package

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["Baku", "Moscow", "capital", "talks", "and", "the", "of", "city", "river", "peace"]


def corpus(n: int) -> list[str]:
    import random

    rng = random.Random(3)
    segs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12))) + "." for _ in range(n)]
    segs[5] = ""  # empty lines stay empty
    segs[9] = segs[4]  # duplicates are translated once
    segs[17] = " ".join(["Baku and Moscow, the capital."] * 60)  # over the input limit: split
    return segs


@pytest.fixture(scope="module")
def packages(tmp_path_factory, fixture_archives):  # noqa: F811
    root = tmp_path_factory.mktemp("cluster-packages")
    for pair in (("en", "ru"), ("ru", "en"), ("en", "az")):
        install_package(fixture_archives[pair], root)
    return root


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    env = {"PYTHONPATH": str(ROOT)}  # workers import this checkout's align
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            env=env,
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def cached_rows(db: Path) -> int:
    """Rows in the translation cache so far (0 while the command is still creating it)."""
    import sqlite3

    try:
        with sqlite3.connect(db, timeout=30) as con:
            return con.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def local_run(packages: Path, src: str, tgt: str, segs: list[str]):
    with Translator.load(src, tgt, packages, allow_fixture=True, cache=False) as tr:
        return tr.translate_segments(segs)


def cluster_run(client, packages: Path, src, tgt, segs, cache=None, progress=None, chunk=7):
    from align.mt.cluster import ClusterRunner

    runner = ClusterRunner(client)
    tr = Translator.load(src, tgt, packages, allow_fixture=True, cache=cache, cluster=runner)
    tr.chunk_size = chunk
    with tr:
        assert tr.engines == []  # no model loaded on the client
        return tr.translate_segments(segs, progress=progress), runner


def same(a, b) -> None:
    assert [r.text for r in a] == [r.text for r in b]
    assert [r.notes for r in a] == [r.notes for r in b]
    assert [r.score for r in a] == pytest.approx([r.score for r in b])


def test_cluster_output_equals_single_process(client, packages, tmp_path):
    segs = corpus(150)
    want = local_run(packages, "en", "ru", segs)
    db = tmp_path / "mt.sqlite3"
    got, runner = cluster_run(client, packages, "en", "ru", segs, cache=MTCache(db))
    same(got, want)
    assert runner.chunks_done >= 150 // 7
    assert any(n.startswith("split into") for n in got[17].notes)
    # The client's cache holds every result: a rerun sends nothing to the workers.
    again, runner2 = cluster_run(client, packages, "en", "ru", segs, cache=MTCache(db))
    same(again, want)
    assert runner2.chunks_done == 0
    assert all(r.cached for k, r in enumerate(again) if segs[k].strip())
    # A pivot route (ru→en→az) goes through the workers hop by hop.
    ru = [r.text for r in want[:40]]
    same(cluster_run(client, packages, "ru", "az", ru)[0], local_run(packages, "ru", "az", ru))


def test_worker_killed_mid_run_gives_identical_output(client, packages):
    segs = corpus(400)
    want = local_run(packages, "en", "ru", segs)
    before = client.run(os.getpid)
    killed: dict[str, object] = {}

    def kill_once(_n: float) -> None:
        if killed:
            return
        busy = {w: k for w, k in client.processing().items() if k}
        if not busy:
            return
        addr = next(iter(busy))
        killed.update(addr=addr, tasks=len(busy[addr]))
        os.kill(before[addr], signal.SIGKILL)

    got, _ = cluster_run(client, packages, "en", "ru", segs, progress=kill_once, chunk=3)
    assert killed and killed["tasks"] >= 1, "no worker was busy when the run went on"
    same(got, want)
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker


def test_worker_without_the_package_is_named(client, packages, tmp_path):
    import dataclasses

    from align.mt.cluster import ClusterRunner
    from align.mt.engine import DecodeOptions
    from align.mt.packages import read_package

    info = read_package(packages / "translate-en_ru-fixture")
    gone = dataclasses.replace(info, path=tmp_path / "nowhere" / info.name, name="no-such-pkg")
    with pytest.raises(AlignError) as err:
        ClusterRunner(client).translate(gone, "k", DecodeOptions(), ["Baku."], lambda _r: None)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith("worker tcp://127.0.0.1:")
    assert "no-such-pkg is not installed" in msg


def test_unreachable_scheduler_fails_fast():
    from align.mt.cluster import open_client

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = time.monotonic()
    with pytest.raises(AlignError) as err, open_client(f"tcp://127.0.0.1:{port}"):
        pass
    assert time.monotonic() - t < 10
    assert "cannot reach the dask scheduler" in str(err.value)


def test_cli_on_a_running_scheduler_and_ctrl_c_leaves_it_running(client, packages, tmp_path):
    segs = [s for s in corpus(3000) if s.strip()]
    src = tmp_path / "doc.en.txt"
    src.write_text("\n".join(segs[:200]) + "\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALIGN_CACHE_DIR=str(tmp_path / "cache"))
    base = [sys.executable, "-c", "from align.cli import main; main()", "translate",
            "-f", "en", "-t", "ru", "--allow-fixture", "--packages-dir", str(packages)]  # fmt: skip
    addr = client.scheduler.address
    local = subprocess.run([*base, str(src), "-o", str(tmp_path / "a")], env=env,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert local.returncode == 0, local.stderr
    remote = subprocess.run([*base, str(src), "-o", str(tmp_path / "b"), "--cluster", addr,
                             "--no-cache"], env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    name = "doc.ru.fixture.txt"
    assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()

    # Ctrl-C on the client: exit 130 promptly, the scheduler and workers stay up.
    big = tmp_path / "big.en.txt"
    big.write_text("\n".join(f"{s} {k}" for k, s in enumerate(segs * 4)) + "\n")
    proc = subprocess.Popen([*base, str(big), "-o", str(tmp_path / "c"), "--cluster", addr,
                             "--chunk-size", "20"], env=env, stderr=subprocess.PIPE, text=True)  # fmt: skip
    db = tmp_path / "cache" / "mt.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if cached_rows(db) > 400:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "run ended before Ctrl-C"
    t = time.monotonic()
    proc.send_signal(signal.SIGINT)
    rc = proc.wait(timeout=30)
    assert rc == 130, proc.stderr.read()
    assert time.monotonic() - t <= 2.0
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").rglob("*"))
    assert len(client.scheduler_info()["workers"]) == 2
    assert client.submit(sum, [1, 2], pure=False).result(timeout=30) == 3


def test_align_batch_on_cluster_equals_local(client, tmp_path):
    """`align align --batch --cluster` gives the local run's beads (USE-m3 on the workers)."""
    seeds = ROOT / "seeds"
    en, ru = seeds / "000_07d8ad3adaf52f90.txt", seeds / "interview.ru.txt"
    if not (en.exists() and ru.exists()):
        pytest.skip("seed documents not present")
    lines = ru.read_text(encoding="utf-8").splitlines()
    short = tmp_path / "short.ru.txt"
    short.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    for tag in ("here", "there"):
        (tmp_path / f"{tag}.tsv").write_text(
            f"{en}\t{ru}\t{tag}/full.tsv\n{en}\t{short}\t{tag}/half.jsonl\n"
            f"{en}\t{short}\t{tag}/half.xlf\n",
            encoding="utf-8",
        )
    # The local run embeds into its own cache; the workers use theirs (the cluster's
    # environment), so the cluster run computes its vectors itself.
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALIGN_CACHE_DIR=str(tmp_path / "cache"))
    base = [sys.executable, "-c", "from align.cli import main; main()", "align", "-s", "en",
            "-t", "ru", "--segment", "--batch"]  # fmt: skip
    here = subprocess.run([*base, str(tmp_path / "here.tsv")], env=env, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert here.returncode == 0, here.stderr
    there = subprocess.run([*base, str(tmp_path / "there.tsv"), "--cluster",
                            client.scheduler.address], env=env, capture_output=True, text=True,
                           timeout=600)  # fmt: skip
    assert there.returncode == 0, there.stderr
    assert "aligned 3 of 3 pairs" in there.stderr
    for name in ("full.tsv", "half.jsonl", "half.xlf"):
        mine = (tmp_path / "here" / name).read_bytes()
        assert mine and (tmp_path / "there" / name).read_bytes() == mine
    # Both name the source document, not the output file (the cluster path once did).
    assert f'original="{en.name}"' in (tmp_path / "there" / "half.xlf").read_text()


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("local", ("local", None)),
        ("local:3", ("local", 3)),
        ("tcp://h:8786", ("tcp", "tcp://h:8786")),
    ],
)
def test_cluster_spec(spec, want):
    from align.mt.cluster import parse_spec

    assert parse_spec(spec) == want


@pytest.mark.parametrize("spec", ["local:0", "local:x", "h:8786", "tcp://h", ""])
def test_bad_cluster_spec_is_one_line(spec):
    from align.mt.cluster import parse_spec

    with pytest.raises(AlignError, match=r"expected local"):
        parse_spec(spec)


def test_ctrl_c_on_local_cluster_stops_its_workers(packages, tmp_path):
    """Ctrl-C as a terminal sends it (to the whole process group) with --cluster local:2."""
    segs = [s for s in corpus(3000) if s.strip()]
    big = tmp_path / "big.en.txt"
    big.write_text("\n".join(f"{s} {k}" for k, s in enumerate(segs * 4)) + "\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALIGN_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from align.cli import main; main()", "translate", str(big),
         "-f", "en", "-t", "ru", "--allow-fixture", "--packages-dir", str(packages),
         "-o", str(tmp_path / "out"), "--cluster", "local:2"],
        env=env, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    db = tmp_path / "cache" / "mt.sqlite3"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if cached_rows(db) > 200:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "run ended before Ctrl-C"
    t = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    rc = proc.wait(timeout=30)
    took = time.monotonic() - t
    stderr = proc.stderr.read()
    assert rc == 130, stderr
    assert took <= 2.0, f"{took:.1f} s"
    assert "Traceback" not in stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))
    # nothing of the command is left running (worker processes included)
    for _ in range(100):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("processes of the interrupted command are still running")


def test_scheduler_without_workers_is_an_error_not_a_hang():
    from distributed import LocalCluster

    from align.mt.cluster import open_client

    with LocalCluster(
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None
    ) as empty:
        t = time.monotonic()
        with (
            pytest.raises(AlignError, match="has no workers"),
            open_client(empty.scheduler_address),
        ):
            pass
        assert time.monotonic() - t < 10
