"""Merge and language-code invariants, checked on generated data."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from align.model import TranslationUnit
from align.tmx import format_lang, lang_matches, merge_tmx, read_tmx, write_tmx

sources = st.sampled_from(["One.", "Two.", "Three.", "Four & <five>."])
targets = st.sampled_from(["Один.", "Два.", "Три.", "Четыре."])
dates = st.sampled_from(["20200101T000000Z", "20220101T000000Z", "20240101T000000Z"])
files = st.lists(
    st.lists(st.tuples(sources, targets, dates), min_size=1, max_size=6), min_size=1, max_size=3
)


@settings(max_examples=40, deadline=None)
@given(contents=files)
def test_merge_keeps_one_newest_pair_per_source(tmp_path_factory, contents):
    tmp = tmp_path_factory.mktemp("merge")
    paths = []
    for i, rows in enumerate(contents):
        path = tmp / f"{i}.tmx"
        units = [TranslationUnit(s, t, "en", "ru", creationdate=d) for s, t, d in rows]
        write_tmx(path, units, src_lang="en", tgt_lang="ru")
        paths.append(path)
    stats = merge_tmx(paths, tmp / "out.tmx")
    merged = [(u.source, u.target) for u in read_tmx(tmp / "out.tmx", "en", "ru")]

    # Model: the last of the newest rows per source, in order of first appearance.
    flat = [row for rows in contents for row in rows]
    expected: dict[str, tuple[str, str]] = {}
    for s, t, d in flat:
        if s not in expected or d >= expected[s][1]:
            expected[s] = (t, d)
    assert merged == [(s, t) for s, (t, _) in expected.items()]
    assert stats.read == len(flat) and stats.written == len(expected)
    assert stats.read - stats.written == stats.duplicates + stats.conflicts


codes = st.one_of(
    st.sampled_from(["en", "ru", "de", "pt-BR", "en_GB", "zh-Hant", "sr-Latn-RS", "EN"]),
    st.from_regex(r"[a-z]{2,3}(-[A-Za-z]{4})?(-[A-Za-z]{2})?", fullmatch=True),
)


@given(code=codes, style=st.sampled_from(["region", "plain"]))
def test_language_codes_normalise_stably_and_still_match(code, style):
    written = format_lang(code, style)
    assert format_lang(written, style) == written
    assert lang_matches(code.split("-")[0], written)
    assert lang_matches(written, written.upper().replace("-", "_"))
