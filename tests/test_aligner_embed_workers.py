"""UseEmbedder's parallel parts: same vectors, same order, really concurrent, BLAS kept at one thread."""

from __future__ import annotations

import threading

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from threadpoolctl import threadpool_info

from align.aligner.embed import UseEmbedder, _split


@given(st.lists(st.text(max_size=3), max_size=200), st.integers(1, 8), st.integers(1, 40))
def test_split_keeps_every_item_in_order_in_balanced_parts(items, parts, min_part):
    out = _split(items, parts, min_part)
    assert [x for part in out for x in part] == items
    assert 1 <= len(out) <= parts
    sizes = [len(p) for p in out]
    assert max(sizes) - min(sizes) <= 1
    if len(out) > 1:
        assert min(sizes) >= min_part


def test_parallel_parts_give_the_serial_vectors_in_order():
    lines = [f"Sentence number {k} is about {w}." for k, w in enumerate(["rain", "tax"] * 30)]
    lines += ["Дождь идёт третий день.", "短句。", "x"]
    serial = UseEmbedder(workers=1)
    parallel = UseEmbedder(workers=3)
    parallel._model = serial._load()
    a, b = serial.encode(lines), parallel.encode(lines)
    assert a.shape == b.shape == (len(lines), 512)
    np.testing.assert_allclose(a, b, atol=1e-5)
    # every row is closest to its own serial vector: nothing was reordered
    assert (np.argmax(b @ a.T, axis=1) == np.arange(len(lines))).all()


def _blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


class _Meeting:
    """A fake model whose calls must overlap: each waits at a barrier for the others."""

    def __init__(self, parties: int):
        self.barrier = threading.Barrier(parties, timeout=10)
        self.threads: set[int] = set()
        self.blas: list[list[int]] = []

    def encode(self, texts):
        self.threads.add(threading.get_ident())
        self.blas.append(_blas_threads())
        self.barrier.wait()  # raises BrokenBarrierError if the parts run one after another
        return np.ones((len(texts), 512), dtype=np.float32)


def test_parts_run_at_once_with_one_blas_thread_each():
    before = _blas_threads()
    e = UseEmbedder(workers=2)
    e._model = fake = _Meeting(2)
    out = e.encode([f"line {k}" for k in range(64)])
    assert out.shape == (64, 512)
    assert len(fake.threads) == 2
    assert all(seen and all(n == 1 for n in seen) for seen in fake.blas)
    assert _blas_threads() == before  # the limit is lifted afterwards


def test_short_calls_stay_in_one_part():
    e = UseEmbedder(workers=4)
    e._model = fake = _Meeting(1)
    e.encode([f"line {k}" for k in range(UseEmbedder.min_part * 2 - 1)])
    assert len(fake.blas) == 1  # one model call
