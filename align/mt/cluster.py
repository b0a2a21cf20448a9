"""Translation on a Dask cluster: chunks of segments out, results back as they finish.

``--cluster SPEC`` picks the cluster:

* ``local`` / ``local:N``: a ``dask.distributed.LocalCluster`` of N worker
  processes (default: the cores here), one thread each, listening on 127.0.0.1
  only; it lives as long as the command.
* ``tcp://HOST:PORT``: a running scheduler (``dask scheduler`` and
  ``dask worker tcp://HOST:PORT --nthreads 1`` on each machine); it is left running.

Design (why it avoids the known CTranslate2 + multiprocessing failures):
workers are stateless translators. A worker process loads a package once, on
first use, into a per-process table keyed by the package's path, version and
fingerprint, and keeps it; ``ctranslate2.Translator`` objects are never pickled
or sent. The client alone owns the translation cache (:class:`align.mt.cache.MTCache`):
it drops cached segments before sending and stores each chunk as it arrives,
so an interrupted distributed run resumes exactly like a local one. A bounded
window of chunks is in flight at a time, so memory and the scheduler's load do
not grow with the corpus, and Ctrl-C has little to cancel. When a worker dies
mid-chunk the scheduler reruns the chunk elsewhere; CTranslate2's output does
not depend on batching, so the result is identical.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from align.errors import AlignError
from align.mt.cache import CachedTranslation

CONNECT_TIMEOUT = 8.0  # seconds; a dead scheduler must fail within 10 s
Store = Callable[[list[tuple[str, CachedTranslation]]], Any]


class WorkerError(Exception):
    """A problem on a worker that the user must fix there (message names the worker).

    A plain one-argument exception so that it pickles back to the client intact.
    """


def parse_spec(spec: str) -> tuple[str, Any]:
    """``local`` -> ("local", None); ``local:3`` -> ("local", 3); ``tcp://h:p`` -> ("tcp", addr).

    Raises AlignError on anything else.
    """
    spec = spec.strip()
    if spec == "local":
        return "local", None
    if spec.startswith("local:"):
        n = spec[len("local:") :]
        if n.isdigit() and 0 < int(n) <= 256:
            return "local", int(n)
        raise AlignError(None, f"--cluster {spec}: expected local:N with N a number of workers")
    if spec.startswith("tcp://") and ":" in spec[len("tcp://") :]:
        return "tcp", spec
    raise AlignError(
        None, f"--cluster {spec}: expected local, local:N or tcp://HOST:PORT (a dask scheduler)"
    )


@contextlib.contextmanager
def open_client(spec: str) -> Iterator[Any]:
    """Yield a ``distributed.Client`` for ``spec``; a local cluster is closed afterwards.

    Raises AlignError (one line) when ``distributed`` is missing or the scheduler
    cannot be reached within :data:`CONNECT_TIMEOUT` seconds.
    """
    kind, arg = parse_spec(spec)
    try:
        from distributed import Client
    except ImportError:
        raise AlignError(
            None, "--cluster needs dask.distributed (pip install distributed)"
        ) from None
    if kind == "local":
        from align.mt.engine import available_cores

        cluster = local_cluster(arg or available_cores())
        client = Client(cluster)
        try:
            yield client
        except BaseException:  # Ctrl-C or an error: don't wait for tasks cut short
            _stop_local_workers(cluster)
            _quiet_close(client, cluster)
            raise
        _quiet_close(client, cluster)
        return
    try:
        client = Client(arg, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise AlignError(
            None,
            f"--cluster {arg}: cannot reach the dask scheduler within "
            f"{CONNECT_TIMEOUT:.0f} s ({type(exc).__name__}); is `dask scheduler` running there?",
        ) from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        _quiet_close(client, None)
        raise AlignError(
            None,
            f"--cluster {arg}: the scheduler has no workers; start some with "
            f"`dask worker {arg} --nthreads 1`",
        ) from None
    try:
        yield client
    finally:
        _quiet_close(client, None)  # the remote cluster keeps running


# dask's nannies give workers MALLOC_TRIM_THRESHOLD_=65536; it makes CTranslate2 about
# 30% slower (measured: 11.2 vs 8.0 seg/s on the base-size package, one thread), so
# align's workers go without it. On `dask worker` machines set
# DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON__MALLOC_TRIM_THRESHOLD_=None.
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def local_cluster(n_workers: int, **kwargs: Any) -> Any:
    """A LocalCluster of ``n_workers`` processes x 1 thread on 127.0.0.1 only, no dashboard."""
    import dask
    from distributed import LocalCluster

    options = {
        "n_workers": n_workers,
        "threads_per_worker": 1,
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": None,
        "silence_logs": logging.ERROR,
        **kwargs,
    }
    with dask.config.set(WORKER_CONFIG):  # read once per nanny, restarts included
        return LocalCluster(**options)


def _stop_local_workers(cluster: Any) -> None:
    """Kill this command's own worker processes: a graceful close waits for running tasks
    (seconds), and their results are no longer wanted."""
    import os
    import signal

    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    for nanny in list(getattr(cluster, "workers", {}).values()):
        pid = getattr(nanny, "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _quiet_close(client: Any, cluster: Any, timeout: float = 5) -> None:
    """Close without the tracebacks distributed logs about tasks cut short.

    A local cluster's worker processes end with this process if the close times out.
    """
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    with contextlib.suppress(Exception):
        client.close(timeout=timeout)
    if cluster is not None:
        with contextlib.suppress(Exception):
            cluster.close(timeout=timeout)


class ClusterRunner:
    """Sends a route hop's uncached texts to the workers in chunks (see module doc).

    ``threads``: CTranslate2 threads per worker model (one per worker thread).
    Each chunk is one task; its size is the Translator's ``chunk_size`` (the same
    chunks give the same outputs, locally or here).
    """

    def __init__(self, client: Any, *, threads: int = 1) -> None:
        self.client = client
        self.threads = threads
        self.chunks_done = 0

    def translate(
        self, info: Any, key: str, options: Any, chunks: Sequence[list[str]], store: Store
    ) -> None:
        """Translate each chunk of texts with package ``info`` on the workers.

        ``store`` gets each chunk's ``(source, translation)`` pairs as it finishes.
        Raises AlignError when a worker lacks the package (naming the worker);
        KeyboardInterrupt cancels the chunks in flight and is re-raised.
        """
        args = (str(info.path.resolve()), info.name, info.package_version, key, options)

        def done(_k: int, result: list[tuple[str, CachedTranslation]]) -> None:
            store(result)
            self.chunks_done += 1

        run_tasks(
            self.client, translate_chunk, [(*args, self.threads, list(c)) for c in chunks], done
        )


def run_tasks(
    client: Any,
    fn: Callable[..., Any],
    arg_lists: Sequence[tuple[Any, ...]],
    on_result: Callable[[int, Any], Any],
) -> None:
    """Run ``fn(*args)`` for each args on the cluster; ``on_result(index, result)`` as each ends.

    At most twice as many tasks as worker threads are in flight, so memory and
    the scheduler's queue stay small and Ctrl-C has little to cancel. A task whose
    worker dies is rerun elsewhere by the scheduler. A :class:`WorkerError` becomes
    an AlignError (one line naming the worker); on any exception (KeyboardInterrupt
    included) the tasks in flight are cancelled and the exception re-raised.
    """
    from distributed import as_completed

    try:
        slots = sum(client.nthreads().values())
    except Exception:
        slots = 1
    todo = iter(enumerate(arg_lists))
    index: dict[Any, int] = {}

    def submit() -> Any:
        item = next(todo, None)
        if item is None:
            return None
        fut = client.submit(fn, *item[1], pure=False)
        index[fut] = item[0]
        return fut

    first = [f for f in (submit() for _ in range(max(2, 2 * slots))) if f is not None]
    ready = as_completed(first)
    try:
        for fut in ready:
            k = index.pop(fut)
            try:
                result = fut.result()
            except WorkerError as exc:
                raise AlignError(None, str(exc)) from None
            on_result(k, result)
            nxt = submit()
            if nxt is not None:
                ready.add(nxt)
    except BaseException:
        if index:
            with contextlib.suppress(Exception):
                client.cancel(list(index), force=True)
        raise


# --- worker side -------------------------------------------------------------------

_MODELS: dict[tuple[str, str, str, int], Any] = {}
_MODELS_LOCK = threading.Lock()


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return f"worker {get_worker().address}"
    except Exception:  # called outside a worker (tests, local fallback)
        import socket

        return f"worker on {socket.gethostname()}"


def _resolve(path: str, name: str) -> Path:
    """The package folder on this worker: the client's path, else this worker's packages dir."""
    p = Path(path)
    if p.is_dir():
        return p
    from align.mt.packages import packages_dir

    alt = packages_dir() / name
    if alt.is_dir():
        return alt
    raise WorkerError(
        f"{_worker_name()}: package {name} is not installed at {path}; install it at the same "
        "path on every worker or give --packages-dir"
    )


def worker_engine(path: str, name: str, version: str, key: str, threads: int) -> Any:
    """This process's engine for a package, loaded on first use and kept (never pickled).

    Keyed by package path + version + fingerprint, so a changed package is reloaded.
    Raises WorkerError when the package is missing or differs from the client's.
    """
    ident = (path, version, key, threads)
    with _MODELS_LOCK:
        engine = _MODELS.get(ident)
        if engine is None:
            from align.errors import AlignError as _AlignError
            from align.mt.engine import PackageEngine
            from align.mt.packages import read_package

            try:
                engine = PackageEngine(read_package(_resolve(path, name)), threads=threads)
            except _AlignError as exc:
                raise WorkerError(f"{_worker_name()}: {exc.message}") from None
            if engine.key != key:
                raise WorkerError(
                    f"{_worker_name()}: package {name} at {path} differs from the client's "
                    f"({engine.key} != {key}); install the same version everywhere"
                )
            _MODELS[ident] = engine
    return engine


def translate_chunk(
    path: str,
    name: str,
    version: str,
    key: str,
    options: Any,
    threads: int,
    texts: list[str],
) -> list[tuple[str, CachedTranslation]]:
    """Dask task: translate one chunk with this worker's cached engine, in input order."""
    from align.mt.engine import BatchSizer

    engine = worker_engine(path, name, version, key, threads)
    out: dict[str, CachedTranslation] = {}
    engine.translate_texts(texts, options, BatchSizer(options), out.update)
    return [(t, out[t]) for t in texts]
