"""The fixture packages: real, tiny, deterministic, labelled, and Argos-compatible."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile

import ctranslate2
import pytest
import sentencepiece as spm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mt_fixtures import fixture_archives, packages_dir  # noqa: F401

from align.mt.engine import Translator
from align.mt.fixture import FILLERS, LEXICON, build_fixture_package
from align.mt.packages import validate_archive


def test_build_is_deterministic_small_and_valid(tmp_path, fixture_archives):  # noqa: F811
    again = build_fixture_package(tmp_path, "en", "ru")
    first = fixture_archives[("en", "ru")]
    assert again.name == "translate-en_ru-fixture.argosmodel"
    assert again.read_bytes() == first.read_bytes()
    assert again.stat().st_size < 1_000_000
    top, meta = validate_archive(again)
    assert top == "translate-en_ru-fixture"
    assert meta["fixture"] is True
    assert (meta["from_code"], meta["to_code"]) == ("en", "ru")
    assert "not a translation" in meta["description"]


def test_archive_layout_matches_argos(fixture_archives):  # noqa: F811
    with zipfile.ZipFile(fixture_archives[("ru", "en")]) as zf:
        names = set(zf.namelist())
    top = "translate-ru_en-fixture/"
    for rel in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json"):
        assert top + rel in names
    assert all(n.startswith(top) for n in names)


def test_model_runs_in_plain_ctranslate2(tmp_path, fixture_archives):  # noqa: F811
    with zipfile.ZipFile(fixture_archives[("en", "ru")]) as zf:
        zf.extractall(tmp_path)
    root = tmp_path / "translate-en_ru-fixture"
    config = json.loads((root / "model" / "config.json").read_text())
    assert config["add_source_eos"] is True
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    tr = ctranslate2.Translator(str(root / "model"), intra_threads=1)
    pieces = sp.encode(["The president met people in Baku."], out_type=str)
    out = tr.translate_batch(pieces, beam_size=1)
    assert sp.decode_pieces(out[0].hypotheses[0]) == "The президент met люди in Баку."


WORDS = st.lists(st.sampled_from(LEXICON["en"] + FILLERS["en"]), min_size=1, max_size=30)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=WORDS)
def test_fixture_swaps_exactly_the_lexicon_words(packages_dir, words):  # noqa: F811
    """Invariant: every lexicon word is swapped, every other word is copied, order kept."""
    mapping = dict(zip(LEXICON["en"], LEXICON["ru"], strict=True))
    with Translator.load(
        "en", "ru", packages_dir, allow_fixture=True, cache=False, threads=1
    ) as tr:
        [result] = tr.translate_segments([" ".join(words)])
    assert result.text == " ".join(mapping.get(w, w) for w in words)
    assert result.is_fixture


def test_argostranslate_reads_installed_fixture(tmp_path, packages_dir):  # noqa: F811
    """argostranslate's own Package class loads what we installed (no torch import)."""
    if importlib.util.find_spec("argostranslate") is None:
        pytest.skip("argostranslate (the argos extra) is not installed")
    code = (
        "import sys; from argostranslate.package import get_installed_packages; "
        f"ps = get_installed_packages(path=[__import__('pathlib').Path({str(packages_dir)!r})]); "
        "print(sorted((p.from_code, p.to_code, type(p.tokenizer).__name__) for p in ps)); "
        "print('torch' in sys.modules)"
    )
    env = dict(
        os.environ,
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "d"),
        XDG_CONFIG_HOME=str(tmp_path / "c"),
        XDG_CACHE_HOME=str(tmp_path / "k"),
        ARGOS_PACKAGES_DIR=str(tmp_path / "argos"),
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "[('en', 'ru', 'SentencePieceTokenizer'), ('ru', 'en', 'SentencePieceTokenizer')]"
    )
    assert lines[1] == "False"
