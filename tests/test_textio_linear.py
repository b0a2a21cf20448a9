"""The linear stray-byte and broken-UTF-8 scans agree with the plain per-byte loops."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from align.text import textio


def _few_stray_reference(data: bytes) -> textio.DecodedText | None:
    stray = [i for i, b in enumerate(data) if b > 0x7F]
    return textio._as_cp1252(data, stray[:4])


def _mostly_utf8_reference(data: bytes) -> tuple[str, list[tuple[int, int]]] | None:
    bad: list[tuple[int, int]] = []
    parts: list[str] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            parts.append(data[pos:start].decode("utf-8") + "\ufffd")
            bad.append((start, end))
            pos = end
            if len(bad) > 1000:
                return None
    return textio._utf8_verdict("".join(parts), bad)


_bytes = st.one_of(
    st.binary(max_size=200),
    st.lists(
        st.one_of(
            st.text(max_size=8).map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.sampled_from([b"\x96", b"\xe9", b"\xff", b"\xd0", b"\xe2\x80", b"word "]),
        ),
        max_size=30,
    ).map(b"".join),
)


@settings(max_examples=300, deadline=None)
@given(_bytes)
def test_few_stray_bytes_matches_reference(data: bytes) -> None:
    assert textio._few_stray_bytes(data) == _few_stray_reference(data)


@settings(max_examples=300, deadline=None)
@given(_bytes)
def test_mostly_utf8_matches_reference(data: bytes) -> None:
    assert textio._mostly_utf8(data) == _mostly_utf8_reference(data)


def test_mostly_utf8_gives_up_past_the_cap() -> None:
    assert textio._mostly_utf8("ёж ".encode("cp1251") * 1001) is None
    broken = "ёж ".encode("cp1251") * 400 + "ёжик".encode() * 400
    assert textio._mostly_utf8(broken) == _mostly_utf8_reference(broken) is not None
