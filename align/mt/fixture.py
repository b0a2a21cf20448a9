"""Tiny but real Argos packages for tests: a hand-weighted CTranslate2 model + SentencePiece.

Real en↔ru weights cannot be downloaded here, and tests must still exercise the
true install → load → batch-translate path. So we build a genuine CTranslate2
Transformer whose weights are set by hand instead of trained: cross-attention
uses learned position vectors to look at source token *t* at decoder step *t*,
and the output layer maps each source piece to itself, except for a small
lexicon of names and nouns (Baku → Баку). The result copies its input with the
lexicon words swapped — useful for plumbing tests, never a translation, which
is why the metadata carries ``"fixture": true`` and every output says so.

Everything is derived from seeded numbers and text written here, so two builds
produce byte-identical ``.argosmodel`` files; no torch, no network.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from align.fsutil import write_bytes_atomic

# One row per concept: the same word in each language the fixture knows.
# Only whole words that rarely start longer words: the model maps SentencePiece
# pieces, and a lexicon piece also matches as a word prefix.
LEXICON: dict[str, tuple[str, ...]] = {
    "en": (
        "Baku",
        "Moscow",
        "Azerbaijan",
        "Russia",
        "Karabakh",
        "Khankendi",
        "Zangazur",
        "Armenia",
        "Yerevan",
        "president",
        "minister",
        "government",
        "capital",
        "city",
        "country",
        "people",
        "peace",
        "agreement",
        "talks",
        "region",
        "question",
        "answer",
        "news",
        "interview",
        "year",
        "today",
        "border",
        "road",
    ),
    "ru": (
        "Баку",
        "Москва",
        "Азербайджан",
        "Россия",
        "Карабах",
        "Ханкенди",
        "Зангезур",
        "Армения",
        "Ереван",
        "президент",
        "министр",
        "правительство",
        "столица",
        "город",
        "страна",
        "люди",
        "мир",
        "соглашение",
        "переговоры",
        "регион",
        "вопрос",
        "ответ",
        "новости",
        "интервью",
        "год",
        "сегодня",
        "граница",
        "дорога",
    ),
    "az": (
        "Bakı",
        "Moskva",
        "Azərbaycan",
        "Rusiya",
        "Qarabağ",
        "Xankəndi",
        "Zəngəzur",
        "Ermənistan",
        "İrəvan",
        "prezident",
        "nazir",
        "hökumət",
        "paytaxt",
        "şəhər",
        "ölkə",
        "insanlar",
        "sülh",
        "saziş",
        "danışıqlar",
        "bölgə",
        "sual",
        "cavab",
        "xəbərlər",
        "müsahibə",
        "il",
        "bugün",
        "sərhəd",
        "yol",
    ),
}

LANG_NAMES = {"en": "English", "ru": "Russian", "az": "Azerbaijani"}

# Filler words so SentencePiece learns ordinary sub-word pieces in each language.
FILLERS: dict[str, tuple[str, ...]] = {
    "en": (
        "the",
        "of",
        "is",
        "met",
        "said",
        "that",
        "new",
        "will",
        "visit",
        "on",
        "for",
        "between",
        "about",
        "after",
        "long",
        "first",
        "second",
        "open",
        "week",
        "they",
        "we",
        "our",
        "their",
        "very",
        "important",
        "work",
        "trade",
        "open",
        "began",
    ),
    "ru": (
        "встреча",
        "заявил",
        "что",
        "новый",
        "после",
        "между",
        "о",
        "для",
        "долгий",
        "первый",
        "второй",
        "неделя",
        "они",
        "мы",
        "наш",
        "очень",
        "важный",
        "работа",
        "торговля",
        "открыт",
        "начались",
        "визит",
        "будет",
        "сказал",
        "это",
    ),
    "az": (
        "görüş",
        "dedi",
        "ki",
        "yeni",
        "sonra",
        "arasında",
        "haqqında",
        "üçün",
        "uzun",
        "birinci",
        "ikinci",
        "həftə",
        "onlar",
        "biz",
        "bizim",
        "çox",
        "vacib",
        "iş",
        "ticarət",
        "açıq",
        "başladı",
        "səfər",
        "olacaq",
        "bu",
    ),
}

D_MODEL = 96
TOKEN_DIMS = 64  # dims 0..63 carry token identity, the rest position
MAX_POSITIONS = 256
MAX_INPUT_TOKENS = 200  # advertised input limit (position table minus room for </s>)
FIXTURE_VERSION = "1.0"


def fixture_pairs() -> list[tuple[str, str]]:
    """Language pairs the fixture builder can make (every pair of LEXICON languages)."""
    langs = sorted(LEXICON)
    return [(a, b) for a in langs for b in langs if a != b]


def corpus_lines() -> list[str]:
    """A few hundred deterministic lines in every fixture language."""
    rng = random.Random(20240601)
    lines: list[str] = []
    for lang in sorted(LEXICON):
        words = list(LEXICON[lang])
        fill = list(FILLERS[lang])
        for i in range(220):
            n = 5 + i % 9
            sent = [rng.choice(words if rng.random() < 0.35 else fill) for _ in range(n)]
            if i % 3 == 0:
                sent[0] = sent[0].capitalize()
            lines.append(" ".join(sent) + (".", "?", ",", "!")[i % 4])
    return lines


def _lexicon_symbols() -> list[str]:
    seen: dict[str, None] = {}
    for words in LEXICON.values():
        for w in words:
            for form in (w, w[:1].upper() + w[1:]):
                seen.setdefault("▁" + form, None)
    return list(seen)


def train_sentencepiece() -> bytes:
    """Train the shared SentencePiece model; lexicon words are forced single pieces."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()),
        model_writer=buf,
        vocab_size=500,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        user_defined_symbols=_lexicon_symbols(),
        num_threads=1,
        seed_sentencepiece_size=100000,
        minloglevel=2,
    )
    return buf.getvalue()


def _piece_map(from_code: str, to_code: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for src, tgt in zip(LEXICON[from_code], LEXICON[to_code], strict=True):
        mapping["▁" + src] = "▁" + tgt
        mapping["▁" + src[:1].upper() + src[1:]] = "▁" + tgt[:1].upper() + tgt[1:]
    return mapping


def _unit_rows(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """Random zero-sum unit vectors: zero mean keeps LayerNorm a pure rescale."""
    rows = rng.standard_normal((n, dims))
    rows -= rows.mean(axis=1, keepdims=True)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def build_model_spec(vocab: Sequence[str], mapping: dict[str, str]):
    """The hand-set CTranslate2 TransformerSpec (see module docstring for the idea)."""
    from ctranslate2.specs import transformer_spec

    d, t = D_MODEL, TOKEN_DIMS
    v = len(vocab)
    rng = np.random.default_rng(7)
    tok = np.zeros((v, d))
    tok[:, :t] = _unit_rows(rng, v, t)
    pos = np.zeros((MAX_POSITIONS, d))
    pos[:, t:] = _unit_rows(rng, MAX_POSITIONS, d - t)
    proj_t = np.diag([1.0] * t + [0.0] * (d - t))
    proj_p = np.eye(d) - proj_t

    spec = transformer_spec.TransformerSpec.from_config(
        (1, 1), 1, pre_norm=True, no_final_norm=False
    )
    spec.config.add_source_eos = True
    spec.config.add_source_bos = False
    f32 = np.float32

    def zero_layer_norm(ln) -> None:
        ln.gamma = np.ones(d, dtype=f32)
        ln.beta = np.zeros(d, dtype=f32)

    def zero_ffn(ffn) -> None:
        zero_layer_norm(ffn.layer_norm)
        ffn.linear_0.weight = np.zeros((8, d), dtype=f32)
        ffn.linear_1.weight = np.zeros((d, 8), dtype=f32)

    enc = spec.encoder
    # Embeddings are scaled by sqrt(d) inside CTranslate2: pre-divide.
    enc.embeddings[0].weight = (tok / np.sqrt(d)).astype(f32)
    enc.position_encodings.encodings = pos.astype(f32)
    zero_layer_norm(enc.layer_norm)
    # The encoder's final LayerNorm is a pure rescale of tok+pos (both zero-sum).
    for layer in enc.layer:
        zero_layer_norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = np.zeros((3 * d, d), dtype=f32)
        layer.self_attention.linear[1].weight = np.zeros((d, d), dtype=f32)
        zero_ffn(layer.ffn)

    dec = spec.decoder
    dec.embeddings.weight = np.zeros((v, d), dtype=f32)  # step position is all it needs
    dec.position_encodings.encodings = pos.astype(f32)
    zero_layer_norm(dec.layer_norm)
    for layer in dec.layer:
        zero_layer_norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = np.zeros((3 * d, d), dtype=f32)
        layer.self_attention.linear[1].weight = np.zeros((d, d), dtype=f32)
        att = layer.attention
        zero_layer_norm(att.layer_norm)
        # Queries: the decoder step's position; keys: each source position.
        att.linear[0].weight = (6.0 * proj_p).astype(f32)
        kv = np.concatenate([12.0 * proj_p, proj_t])  # keys see position, values token
        att.linear[1].weight = kv.astype(f32)
        att.linear[2].weight = np.eye(d, dtype=f32)
        zero_ffn(layer.ffn)

    index = {p: i for i, p in enumerate(vocab)}
    out = np.zeros((v, d))
    for i, piece in enumerate(vocab):
        if piece == "<s>":
            continue
        target = mapping.get(piece, piece)
        out[index[target]] += tok[i]
    dec.projection.weight = (20.0 * out).astype(f32)

    spec.register_source_vocabulary(list(vocab))
    spec.register_target_vocabulary(list(vocab))
    spec.validate()
    return spec


def _metadata(from_code: str, to_code: str) -> dict:
    return {
        "package_version": FIXTURE_VERSION,
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": LANG_NAMES[from_code],
        "to_code": to_code,
        "to_name": LANG_NAMES[to_code],
        "type": "translate",
        "links": [],
        "fixture": True,
        "max_input_tokens": MAX_INPUT_TOKENS,
        "description": (
            "align TEST FIXTURE, not a translation model: copies the input and swaps "
            "a small lexicon of names and nouns."
        ),
    }


def package_name(from_code: str, to_code: str) -> str:
    return f"translate-{from_code}_{to_code}-fixture"


def _zip_dir(root: Path, top: str) -> bytes:
    """Zip ``root`` under folder ``top`` with fixed timestamps, so bytes are reproducible."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        dir_info = zipfile.ZipInfo(f"{top}/", date_time=(2020, 1, 1, 0, 0, 0))
        dir_info.external_attr = 0o40755 << 16
        zf.writestr(dir_info, b"")
        for path in sorted(p for p in root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(f"{top}/{rel}" + ("/" if path.is_dir() else ""))
            info.date_time = (2020, 1, 1, 0, 0, 0)
            if path.is_dir():
                info.external_attr = 0o40755 << 16
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def self_check(package_dir: Path, from_code: str, to_code: str) -> None:
    """Translate the corpus with the built model; any piece off the lexicon map is a bug."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    mapping = _piece_map(from_code, to_code)
    probes = [line for line in corpus_lines() if any(w in line for w in LEXICON[from_code])]
    probes = [*probes[:60], "Unknown Ж words: Baku, Баку, Bakı 12345."]
    pieces = sp.encode(probes, out_type=str)
    tr = ctranslate2.Translator(str(package_dir / "model"), device="cpu", intra_threads=1)
    results = tr.translate_batch(pieces, beam_size=2, max_decoding_length=MAX_POSITIONS)
    for src, res in zip(pieces, results, strict=True):
        want = [mapping.get(p, p) if sp.piece_to_id(p) != sp.unk_id() else "<unk>" for p in src]
        if res.hypotheses[0] != want:
            raise RuntimeError(f"fixture self-check failed: {src} -> {res.hypotheses[0]}")


def build_fixture_package(out_dir: str | Path, from_code: str = "en", to_code: str = "ru") -> Path:
    """Write ``out_dir/translate-<from>_<to>-fixture.argosmodel`` and return its path."""
    if (from_code, to_code) not in fixture_pairs():
        raise ValueError(f"no fixture lexicon for {from_code}->{to_code}")
    out_dir = Path(out_dir)
    name = package_name(from_code, to_code)
    sp_bytes = train_sentencepiece()
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = build_model_spec(vocab, _piece_map(from_code, to_code))
    with tempfile.TemporaryDirectory(prefix="align-fixture-") as tmp:
        root = Path(tmp) / name
        (root / "model").mkdir(parents=True)
        spec.save(str(root / "model"))
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        meta = _metadata(from_code, to_code)
        (root / "metadata.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        (root / "README.md").write_text(
            f"# {name}\n\n{meta['description']}\nBuilt by `align models build-fixture`.\n"
        )
        self_check(root, from_code, to_code)
        data = _zip_dir(root, name)
    target = out_dir / f"{name}.argosmodel"
    write_bytes_atomic(target, data)
    return target


def build_fixture_packages(
    out_dir: str | Path, pairs: Iterable[tuple[str, str]] = (("en", "ru"), ("ru", "en"))
) -> list[Path]:
    """Build one fixture package per pair (default en→ru and ru→en)."""
    return [build_fixture_package(out_dir, a, b) for a, b in pairs]
