"""Hold Ctrl-C and SIGTERM while a result is saved and counted, so the two agree.

An interrupt is raised between any two bytecodes. Landing after a cache commit
but before its counter moved, it made ``align translate`` report 332 segments
kept when the cache held 334; landing after an output's rename but before it was
listed, a file was written but not counted. Inside :func:`held` such a signal is
noted and delivered again when the block ends, so the block runs whole or not at
all from the interrupt's point of view.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Defer SIGINT and SIGTERM to the end of the block (main thread only).

    Keep the block short (a commit, a rename and its count): Ctrl-C waits for it.
    Elsewhere than the main thread this does nothing, as signals are only
    delivered to the main thread. A signal held here is re-raised with
    :func:`signal.raise_signal`, so the handler in force (KeyboardInterrupt,
    the CLI's ``Terminated``) runs as if it had arrived just after the block.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def note(signum: int, _frame: object) -> None:
        pending.append(signum)

    before = {sig: signal.signal(sig, note) for sig in _HELD}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        for sig in dict.fromkeys(pending):
            signal.raise_signal(sig)
