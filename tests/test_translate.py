"""The batched engine: one result per segment in order, cache, long inputs, pivot, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.mt.cache import MTCache
from align.mt.engine import FIXTURE_NOTE, Translator, split_long
from align.mt.packages import UnknownPairError, install_package

ROOT = Path(__file__).resolve().parents[1]
SEGS = [
    "The president of Azerbaijan met people in Baku today.",
    "",
    "Peace talks began in Moscow.",
    "The president of Azerbaijan met people in Baku today.",
    "Khankendi is a city in Karabakh.",
]
WANT = [
    "The президент of Азербайджан met люди in Баку сегодня.",
    "",
    "Мир переговоры began in Москва.",
    "The президент of Азербайджан met люди in Баку сегодня.",
    "Ханкенди is a город in Карабах.",
]


def test_one_result_per_segment_in_order(packages_dir):  # noqa: F811
    with Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=False) as tr:
        results = tr.translate_segments(SEGS)
    assert [r.text for r in results] == WANT
    assert [r.source for r in results] == SEGS
    assert results[1].score is None and results[1].notes == []
    assert all(isinstance(r.score, float) for r in results if r.source)
    assert all(r.is_fixture and FIXTURE_NOTE in r.notes for r in results if r.source)
    assert {r.package for r in results} == {"translate-en_ru-fixture"}
    assert tr.stats["translated"] == 3  # the duplicate is translated once


def test_fixture_needs_explicit_permission(packages_dir):  # noqa: F811
    with pytest.raises(UnknownPairError, match="test fixtures not used unless asked"):
        Translator.load("en", "ru", packages_dir, cache=False)
    tr = Translator.load("en", "ru", packages_dir, package="translate-en_ru-fixture", cache=False)
    assert tr.is_fixture
    tr.close()


def test_cache_hit_on_rerun_and_resume(tmp_path, packages_dir):  # noqa: F811
    db = tmp_path / "cache" / "mt.sqlite3"
    with Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=MTCache(db)) as tr:
        first = tr.translate_segments(SEGS[:3])
    assert not any(r.cached for r in first)
    with Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=MTCache(db)) as tr:
        again = tr.translate_segments(SEGS)
        assert tr.stats["translated"] == 1  # only the segment never seen before
    assert [r.text for r in again] == WANT
    assert [r.cached for r in again] == [True, False, True, True, False]
    # A different beam size is a different decoding: not served from the cache.
    with Translator.load(
        "en", "ru", packages_dir, allow_fixture=True, beam_size=1, cache=MTCache(db)
    ) as tr:
        tr.translate_segments(SEGS[:1])
        assert tr.stats["translated"] == 1


def test_interrupted_batches_are_kept(tmp_path, packages_dir, monkeypatch):  # noqa: F811
    from align.mt import engine as tmod

    db = tmp_path / "mt.sqlite3"
    segs = [f"Baku and Moscow talks number {i}." for i in range(10)]
    calls = {"n": 0}
    real = tmod.PackageEngine.translate_batch

    def flaky(self, pieces, options):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, pieces, options)

    monkeypatch.setattr(tmod.PackageEngine, "translate_batch", flaky)
    tr = Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=MTCache(db))
    tr.flush_every = 3
    with pytest.raises(KeyboardInterrupt):
        tr.translate_segments(segs)
    tr.close()
    monkeypatch.setattr(tmod.PackageEngine, "translate_batch", real)
    with Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=MTCache(db)) as tr:
        results = tr.translate_segments(segs)
        assert tr.stats == {"translated": 4, "cached": 6, "empty": 0, "by_model": 4,
                            "from_cache": 6}  # fmt: skip
    assert results[9].text == "Баку and Москва переговоры number 9."


def test_long_segment_is_split_not_truncated(packages_dir):  # noqa: F811
    long = " ".join(["Baku and Moscow, the capital."] * 60)
    with Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=False) as tr:
        [r] = tr.translate_segments([long])
    assert r.text == " ".join(["Баку and Москва, the столица."] * 60)
    assert any(n.startswith("split into") and "over 200 tokens" in n for n in r.notes)


def test_decoding_cap_is_reported(packages_dir):  # noqa: F811
    with Translator.load(
        "en", "ru", packages_dir, allow_fixture=True, cache=False, max_decoding_length=4
    ) as tr:
        [r] = tr.translate_segments(["The president of Azerbaijan met people in Baku today."])
    full = "The президент of Азербайджан met люди in Баку сегодня."
    assert full.startswith(r.text) and len(r.text) < len(full)
    assert any("decoding limit (4)" in n for n in r.notes)


def test_pivot_through_english(tmp_path, fixture_archives):  # noqa: F811
    root = tmp_path / "pk"
    for pair in (("ru", "en"), ("en", "az")):
        install_package(fixture_archives[pair], root)
    with Translator.load("ru", "az", root, allow_fixture=True, cache=False) as tr:
        assert tr.name == "translate-ru_en-fixture+translate-en_az-fixture"
        [r] = tr.translate_segments(["Москва и Баку, переговоры"])
        # two legs translated, one segment: the summary counts segments
        assert (tr.stats["translated"], tr.stats["by_model"]) == (2, 1)
    assert r.text == "Moskva и Bakı, danışıqlar"
    assert r.package == tr.name


@dataclass
class FakeChange:
    before: str
    after: str
    term_id: str


@dataclass
class FakeFix:
    text: str
    changes: list


def test_glossary_seam_records_changes(packages_dir):  # noqa: F811
    """Any post-editor with ``fix_segment`` (align.glossary.Glossary is one) is applied."""
    seen = []

    class PostEditor:
        def fix_segment(self, source, target, src_lang, tgt_lang):
            seen.append((source, src_lang, tgt_lang))
            fixed = target.replace("Москва", "Москве")
            changes = [FakeChange("Москва", "Москве", "moscow")] if fixed != target else []
            return FakeFix(fixed, changes)

    with Translator.load("en", "ru", packages_dir, allow_fixture=True, cache=False) as tr:
        results = tr.translate_segments(SEGS[:3], glossary=PostEditor())
    assert results[2].text == "Мир переговоры began in Москве."
    assert results[2].glossary_changes == [
        {"before": "Москва", "after": "Москве", "term_id": "moscow"}
    ]
    assert results[0].glossary_changes == []
    assert seen[0] == (SEGS[0], "en", "ru")
    assert len(seen) == 2  # the empty segment is not sent


def test_a_real_glossary_is_a_post_editor(packages_dir):  # noqa: F811
    from align.glossary import fix_segment, load_glossary

    glossary = load_glossary(ROOT / "glossaries/interview.tsv")
    src, mt = "Talks in Khankendi.", "Переговоры в Степанакерте."
    assert glossary.fix_segment(src, mt, "en", "ru") == fix_segment(glossary, src, mt, "en", "ru")
    assert glossary.fix_segment(src, mt, "en", "ru").text == "Переговоры в Ханкенди."


@given(
    tokens=st.lists(
        st.sampled_from(["▁a", "b", "▁c", ",", ".", "▁dd", "e"]), min_size=0, max_size=300
    ),
    limit=st.integers(min_value=1, max_value=40),
)
def test_split_long_keeps_every_token(tokens, limit):
    chunks = split_long(tokens, limit)
    assert [t for c in chunks for t in c] == tokens
    assert all(len(c) <= limit for c in chunks)
    assert all(c for c in chunks) or tokens == []


def test_engine_does_not_import_torch(packages_dir):  # noqa: F811
    code = (
        "import sys, json\n"
        "from align.mt.engine import Translator\n"
        f"tr = Translator.load('en', 'ru', {str(packages_dir)!r}, allow_fixture=True, cache=False)\n"
        "r = tr.translate_segments(['Baku today.'])\n"
        "print(json.dumps([r[0].text, sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('torch', 'stanza', 'spacy', 'argostranslate'))]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text, heavy = json.loads(proc.stdout)
    assert text == "Баку сегодня."
    assert heavy == []
