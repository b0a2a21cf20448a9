"""Batched offline MT on Argos packages: CTranslate2 + SentencePiece, one result per segment.

argostranslate's ``translate()`` re-splits text into sentences, translates them
one call at a time and joins the output. Alignment, glossary fixes and TMX need
the opposite: the segmenter's segments in, the same number out in the same
order, with scores, fast. So we drive ``ctranslate2.Translator.translate_batch``
directly on length-sorted batches, cache every result on disk as each batch
ends (re-runs and resumed jobs skip finished segments), and pivot through a
second package when no direct pair is installed. Calls are kept short (about
half a second) and waited for in Python, so progress moves and Ctrl-C is
prompt; see docs/scale.md. Nothing here imports torch.

Library use (what ``align run`` calls)::

    from align.mt.engine import Translator
    with Translator.load("en", "ru") as tr:            # fixtures excluded
        results = tr.translate_segments(["Baku is the capital."])
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from align.errors import AlignError, InputError
from align.interrupts import held
from align.mt.cache import CachedTranslation, MTCache
from align.mt.packages import PackageInfo, find_route, fingerprint, list_packages

# CTranslate2's OpenMP threads spin while they wait. When the cores are shared
# (other jobs, cluster workers) the spinning threads starve each other: measured
# here with 2 threads under load, 300 fixture segments took 58 s spinning and 1.1 s
# with passive waits. Must be set before libgomp loads (first ctranslate2 import);
# an explicit setting by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEFAULT_MAX_INPUT_TOKENS = 250  # Argos models are trained on sentences; longer inputs degrade
FIXTURE_NOTE = "TEST FIXTURE output: not a translation (align test model copies and swaps words)"

Progress = Callable[[float], Any]


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class TranslationResult:
    """One translated segment with provenance.

    ``source``/``text``: the input and output strings; ``score``: CTranslate2's
    log-probability score, length-normalised, summed over pivot hops (None for blank input); ``package``: the package name, or
    ``a+b`` for a pivot; ``is_fixture``: made by a test fixture, not a translation;
    ``cached``: every hop came from the cache; ``notes``: e.g. a long input split
    in parts; ``glossary_changes``: post-edits (dicts with ``before``, ``after``, ``term``, ``span``).
    """

    source: str
    text: str
    score: float | None
    package: str
    is_fixture: bool
    cached: bool = False
    notes: list[str] = field(default_factory=list)
    glossary_changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def origin(self) -> str:
        """TMX-style origin, e.g. ``mt:translate-en_ru``."""
        return f"mt:{self.package}"

    @property
    def truncated(self) -> bool:
        """True when the model stopped at the decoding limit: the translation may be cut.

        Read by every output format (stderr warning; TMX ``x-truncated`` prop, review
        flag and note; XLIFF the same way), so a cut translation is never silent.
        """
        return any(note.startswith(TRUNCATED_NOTE) for note in self.notes)


# The note (also stored in the MT cache) that marks a translation cut at the limit.
TRUNCATED_NOTE = "output reached the decoding limit"
TRUNCATED_TMX_NOTE = (
    "Machine translation stopped at the decoding limit (--max-length): "
    "the end of the translation may be missing."
)


def mt_review(result: TranslationResult, fixture: bool) -> tuple[dict[str, str], str | None]:
    """TMX props and note of an MT unit: fixture and review flags, one text for both writers.

    A cut-off translation is flagged ``truncated``/``review`` for the reviewer.
    """
    props = {"fixture": "true"} if fixture else {}
    if result.truncated:
        props.update(truncated="yes", review="yes")
    notes = ([FIXTURE_NOTE] if fixture else []) + ([TRUNCATED_TMX_NOTE] if result.truncated else [])
    return props, "\n".join(notes) or None


def truncated_lines(results: Sequence[TranslationResult], labels: Sequence[str]) -> list[str]:
    """``labels[k]`` of every cut translation (line numbers or segment ids), in order."""
    return [label for r, label in zip(results, labels, strict=True) if r.truncated]


def input_token_limit(info: PackageInfo, options: DecodeOptions) -> int:
    """Tokens per model input before a segment is split: option, package, then default.

    One rule for the engine that splits and the cache key that records the split.
    """
    return options.max_input_tokens or info.max_input_tokens or DEFAULT_MAX_INPUT_TOKENS


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings; part of the cache key, since they change the output."""

    beam_size: int = 4
    batch_size: int | None = None  # segments per batch; None: batch by tokens
    batch_tokens: int | None = None  # None: start_tokens(beam), about 0.5 s per call
    max_decoding_length: int = 256
    length_penalty: float = 1.0
    max_input_tokens: int | None = None  # None: the package's limit, else the default

    def batching(self) -> tuple[int, str]:
        """Per-call (size, CTranslate2 batch_type): segments, else padded source tokens."""
        if self.batch_size:
            return self.batch_size, "examples"
        return self.batch_tokens or start_tokens(self.beam_size), "tokens"

    def key(self) -> str:
        return f"b{self.beam_size}:l{self.max_decoding_length}:lp{self.length_penalty}"


MIN_TOKENS = 64  # a few segments: smaller batches waste the cores (GEMM efficiency)


def start_tokens(beam_size: int) -> int:
    """Padded source tokens per CTranslate2 call: 256 / beam^0.75, at least MIN_TOKENS.

    Measured on bench/translate_throughput.py's base-size package with 2 threads on
    this 2-core machine: about 0.5 s per call idle, 1-1.5 s under load (beam 1:
    8-16 segments; beam 4: 3-4). A call blocks progress, so calls are kept short.
    """
    return max(MIN_TOKENS, int(256 / beam_size**0.75))


def chunk_segments(options: DecodeOptions) -> int:
    """Segments per chunk: about four calls' worth, so sorting by length inside it pays."""
    size, kind = options.batching()
    return max(8, 4 * size // 32) if kind == "tokens" else max(8, 4 * size)


class BatchSizer:
    """Cuts a chunk of segments into CTranslate2 calls of at most ``budget()`` padded tokens.

    The cut depends only on the segments and the options, never on timing or on
    the machine: CTranslate2's output for a segment can change (rarely, in the
    last bits of a score, occasionally a word) with what else is in its batch,
    so the same chunk must give the same batches everywhere, on one process or
    on any cluster worker, for outputs to be identical. ``batch_size`` in the
    options counts segments instead of tokens.
    """

    def __init__(self, options: DecodeOptions, *, max_segments: int | None = None) -> None:
        size, kind = options.batching()
        self.examples = size if kind == "examples" else None
        self.tokens = size if kind == "tokens" else 1 << 30
        self.max_segments = max_segments

    def budget(self) -> int:
        return self.tokens

    def batches(self, order: Sequence[int], rows: Sequence[list[list[str]]]):
        """Yield lists of indices into ``rows`` (each a segment's token rows), in ``order``."""
        batch: list[int] = []
        n_rows = longest = 0
        for k in order:
            n, length = len(rows[k]), max(len(r) for r in rows[k])
            grown = (n_rows + n) * max(longest, length)
            if batch and (
                (self.examples and len(batch) >= self.examples)
                or (not self.examples and grown > self.tokens)
                or (self.max_segments and len(batch) >= self.max_segments)
            ):
                yield batch
                batch, n_rows, longest = [], 0, 0
            batch.append(k)
            n_rows += n
            longest = max(longest, length)
        if batch:
            yield batch


def split_long(tokens: list[str], limit: int) -> list[list[str]]:
    """Cut an over-long token list into chunks of at most ``limit`` tokens.

    Cuts go after clause punctuation when possible, else at a word start, so
    each chunk is still translatable text; no token is dropped.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[list[str]] = []
    start = 0
    while len(tokens) - start > limit:
        end = start + limit
        floor = start + max(1, limit // 2)
        cut = next(
            (i + 1 for i in range(end - 1, floor - 1, -1) if tokens[i][-1:] in '.,;:!?)»"'),
            None,
        )
        if cut is None:
            cut = next((i for i in range(end - 1, floor - 1, -1) if tokens[i].startswith("▁")), end)
        chunks.append(tokens[start:cut])
        start = cut
    chunks.append(tokens[start:])
    return chunks


_abandoned = threading.Event()


def wait_for(jobs: list[Any], poll: float = 0.02) -> list[Any]:
    """Results of asynchronous CTranslate2 jobs, waiting in Python so Ctrl-C is seen at once.

    A blocking ``translate_batch`` defers KeyboardInterrupt until the call returns.
    Here the interrupt is raised within ``poll`` seconds; the call in flight cannot
    be cancelled and is marked abandoned (see :func:`has_abandoned_work`).
    """
    try:
        for job in jobs:
            while not job.done():
                time.sleep(poll)
        return [job.result() for job in jobs]
    except BaseException:
        if not all(job.done() for job in jobs):
            _abandoned.set()
        raise


def has_abandoned_work() -> bool:
    """True when an interrupted CTranslate2 call is still running in this process.

    Python's exit waits for it (tens of seconds for a large batch); a CLI that has
    saved its state may end the process at once instead (``os._exit``).
    """
    return _abandoned.is_set()


class PackageEngine:
    """One loaded package: its CTranslate2 translator and SentencePiece model."""

    def __init__(self, info: PackageInfo, *, threads: int | None = None) -> None:
        if info.tokenizer != "sentencepiece":
            raise InputError(info.path, "packages with a BPE tokenizer are not supported yet")
        import ctranslate2
        import sentencepiece as spm

        self.info = info
        try:
            self.sp = spm.SentencePieceProcessor(model_file=str(info.path / "sentencepiece.model"))
            self.translator = ctranslate2.Translator(
                str(info.path / "model"),
                device="cpu",
                compute_type="default",
                inter_threads=1,
                intra_threads=threads or available_cores(),
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise InputError(info.path, f"cannot load the model ({exc})") from None
        self.key = fingerprint(info)
        self.target_prefix = str(info.metadata.get("target_prefix") or "")

    def limit(self, options: DecodeOptions) -> int:
        return input_token_limit(self.info, options)

    def decode(self, tokens: list[str]) -> str:
        if self.target_prefix and tokens[:1] == [self.target_prefix]:
            tokens = tokens[1:]
        unk = self.sp.unk_id()
        if all(self.sp.piece_to_id(t) != unk or t == "<unk>" for t in tokens):
            text = self.sp.decode_pieces(tokens)
        else:  # pieces copied from the source by replace_unknowns
            text = "".join(tokens).replace("▁", " ")
        return text.strip()

    def translate_batch(self, pieces: list[list[str]], options: DecodeOptions):
        prefix = [[self.target_prefix]] * len(pieces) if self.target_prefix else None
        size, kind = options.batching()
        jobs = self.translator.translate_batch(
            pieces,
            target_prefix=prefix,
            beam_size=options.beam_size,
            max_batch_size=size,
            batch_type=kind,
            max_decoding_length=options.max_decoding_length,
            length_penalty=options.length_penalty,
            replace_unknowns=True,
            return_scores=True,
            asynchronous=True,
        )
        return wait_for(jobs)

    def translate_texts(
        self,
        texts: Sequence[str],
        options: DecodeOptions,
        sizer: BatchSizer,
        on_batch: Callable[[list[tuple[str, CachedTranslation]]], Any],
    ) -> None:
        """Translate ``texts`` in short CTranslate2 calls, handing each finished batch on.

        Texts are sorted by length (less padding) and cut into batches of at most
        ``sizer.budget()`` padded source tokens (see :func:`start_tokens`), so a call
        is short and an interrupt (KeyboardInterrupt) loses at most the batch in
        flight. ``on_batch`` gets each finished batch's ``(source, translation)`` pairs.
        """
        limit = self.limit(options)
        pieces = self.sp.encode(list(texts), out_type=str)
        rows = [split_long(t, limit) if len(t) > limit else [t] for t in pieces]
        order = sorted(range(len(rows)), key=lambda k: max(len(r) for r in rows[k]))
        for batch in sizer.batches(order, rows):
            group = [texts[k] for k in batch]
            on_batch(self._translate_rows(group, [rows[k] for k in batch], options, limit))

    def _translate_rows(
        self, group: list[str], rows: list[list[list[str]]], options: DecodeOptions, limit: int
    ) -> list[tuple[str, CachedTranslation]]:
        flat = [r for parts in rows for r in parts]
        owners = [j for j, parts in enumerate(rows) for _ in parts]
        outputs = self.translate_batch(flat, options)
        texts_out: list[list[str]] = [[] for _ in group]
        scores: list[list[float]] = [[] for _ in group]
        capped = [False] * len(group)
        for j, res in zip(owners, outputs, strict=True):
            hyp = res.hypotheses[0]
            texts_out[j].append(self.decode(hyp))
            scores[j].append(float(res.scores[0]) if res.scores else 0.0)
            capped[j] = capped[j] or len(hyp) >= options.max_decoding_length
        fresh = []
        for j, src in enumerate(group):
            notes = []
            if len(texts_out[j]) > 1:
                notes.append(f"split into {len(texts_out[j])} parts: input over {limit} tokens")
            if capped[j]:
                notes.append(f"{TRUNCATED_NOTE} ({options.max_decoding_length})")
            score = sum(scores[j]) / len(scores[j])
            fresh.append((src, CachedTranslation(" ".join(texts_out[j]), score, tuple(notes))))
        return fresh

    def close(self) -> None:
        self.translator.unload_model()


class Translator:
    """Translate segments with one Argos package or a pivot chain, through the on-disk cache.

    Built with :meth:`load`; use as a context manager (``with Translator.load(...) as tr``)
    so the CTranslate2 models and the cache are closed. Method: Argos Translate's
    package format (SentencePiece + CTranslate2 OpenNMT models), decoded in batches with
    ``ctranslate2.Translator.translate_batch`` instead of argostranslate's sentence-at-a-time
    ``translate()``.

    Local by default. With ``cluster`` (an :class:`align.mt.cluster.ClusterRunner`)
    the models are loaded on the cluster's workers instead, never here: this
    object only resolves the route, reads and writes the cache, and keeps order.
    """

    def __init__(
        self,
        route: Sequence[PackageInfo],
        *,
        options: DecodeOptions | None = None,
        threads: int | None = None,
        cache: MTCache | None = None,
        flush_every: int = 512,
        cluster: Any = None,
    ) -> None:
        if not route:
            raise ValueError("empty route")
        self.route = list(route)
        self.options = options or DecodeOptions()
        self.cluster = cluster
        self.engines = [] if cluster else [PackageEngine(p, threads=threads) for p in self.route]
        self.keys = [e.key for e in self.engines] or [fingerprint(p) for p in self.route]
        self.chunk_size: int | None = None  # segments per chunk; None: chunk_segments()
        self.cache = cache
        self.flush_every = flush_every  # most segments per CTranslate2 call
        # translated/cached: unique texts per hop (a pivot counts each leg); by_model/
        # from_cache: input segments, each once (by the model if any hop needed it).
        self.stats = {"translated": 0, "cached": 0, "empty": 0, "by_model": 0, "from_cache": 0}

    @classmethod
    def load(
        cls,
        from_code: str,
        to_code: str,
        packages_dir: str | Path | None = None,
        *,
        package: str | None = None,
        allow_fixture: bool = False,
        beam_size: int = 4,
        batch_size: int | None = None,
        batch_tokens: int | None = None,
        threads: int | None = None,
        max_decoding_length: int = 256,
        cache: MTCache | bool | None = True,
        cache_dir: str | Path | None = None,
        cluster: Any = None,
    ) -> Translator:
        """Load the best installed route for a pair (direct, else pivot via English).

        Args:
            from_code, to_code: BCP 47 codes of the pair (``en``, ``ru``).
            packages_dir: packages folder; None: argostranslate's (``align models path``).
            package: use this installed package (folder name), even a test fixture.
            allow_fixture: let route finding pick test fixture packages.
            beam_size: decoder beam (1 = greedy).
            batch_size, batch_tokens: batch limits (segments, tokens); None: defaults.
            threads: CTranslate2 intra-op threads; None: CTranslate2's default.
            max_decoding_length: most target tokens per segment.
            cache: True opens the default on-disk cache (``$ALIGN_CACHE_DIR``), an
                ``MTCache`` is used as is, False/None disables caching.
            cluster: translate on a Dask cluster (:mod:`align.mt.cluster`); None: here.

        Returns:
            A ready Translator (close it, or use ``with``).

        Raises:
            UnknownPairError: no installed package or pivot for the pair (fixtures
                are never chosen unless allowed or named).
            InputError: a package cannot be loaded (BPE tokenizer, broken model).
            AlignError: ``from_code`` equals ``to_code``.
        """
        if from_code == to_code:
            raise AlignError(None, f"source and target language are both {from_code}")
        route = find_route(
            from_code, to_code, packages_dir, package=package, allow_fixture=allow_fixture
        )
        if cache is True:
            cache = MTCache.default(cache_dir)
        options = DecodeOptions(
            beam_size=beam_size,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            max_decoding_length=max_decoding_length,
        )
        return cls(route, options=options, threads=threads, cache=cache or None, cluster=cluster)

    @property
    def name(self) -> str:
        """Package name, or names joined by ``+`` for a pivot chain."""
        return "+".join(p.name for p in self.route)

    @property
    def is_fixture(self) -> bool:
        return any(p.is_fixture for p in self.route)

    @property
    def from_code(self) -> str:
        return self.route[0].from_code

    @property
    def to_code(self) -> str:
        return self.route[-1].to_code

    def _limit(self, hop: int) -> int:
        return input_token_limit(self.route[hop], self.options)

    def _hop(
        self, hop: int, texts: list[str], progress: Progress | None, weight: float
    ) -> tuple[dict[str, CachedTranslation], set[str]]:
        """Translate unique non-empty texts with one package of the route.

        Finished batches (or cluster chunks) go to the cache as they arrive, so an
        interrupt keeps them. Returns text -> translation, and the set of texts
        that came from the cache.
        """
        key = f"{self.keys[hop]}:{self.options.key()}:in{self._limit(hop)}"
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        done = self.cache.get_many(key, unique) if self.cache else {}
        hits = set(done)
        self.stats["cached"] += len(hits)
        if progress and hits:
            progress(len(hits) * weight)
        misses = [t for t in unique if t not in done]

        def store(fresh: list[tuple[str, CachedTranslation]]) -> None:
            with held():  # the cache and the count an interrupt reports agree
                if self.cache:
                    self.cache.put_many(key, fresh)
                done.update(fresh)
                self.stats["translated"] += len(fresh)
            if progress:
                progress(len(fresh) * weight)

        size = self.chunk_size or chunk_segments(self.options)
        # Same chunks, hence same batches, here or on any worker: identical outputs.
        chunks = [misses[i : i + size] for i in range(0, len(misses), size)]
        if chunks and self.cluster is not None:
            self.cluster.translate(self.route[hop], self.keys[hop], self.options, chunks, store)
        else:
            sizer = BatchSizer(self.options, max_segments=self.flush_every)
            for chunk in chunks:
                self.engines[hop].translate_texts(chunk, self.options, sizer, store)
        return done, hits

    def translate_segments(
        self,
        segments: Sequence[str],
        *,
        glossary: PostEditor | None = None,
        progress: Progress | None = None,
    ) -> list[TranslationResult]:
        """Translate each segment; the result list matches the input one-to-one, in order.

        ``glossary`` is any :class:`PostEditor` (an ``align.glossary.Glossary``); each
        non-empty output is post-edited with it and the changes recorded in
        ``TranslationResult.glossary_changes``. ``progress`` is called with counts of
        input segments done. Blank segments give blank results without a model call.

        Segments are never split or merged (except internally for inputs over the
        model's limit, which are translated in parts and joined, with a note).
        """
        segments = list(segments)
        current = [s.strip() for s in segments]
        cached_all = [True] * len(segments)
        notes: list[list[str]] = [[] for _ in segments]
        score: list[float | None] = [None] * len(segments)
        # Progress counts input segments: scale unique-text counts to the input size.
        n_unique = len({t for t in current if t})
        weight = len(segments) / (n_unique * len(self.route)) if n_unique else 0.0
        for hop in range(len(self.route)):
            table, hits = self._hop(hop, current, progress, weight)
            nxt = []
            for k, text in enumerate(current):
                if not text:
                    nxt.append("")
                    continue
                tr = table[text]
                nxt.append(tr.text)
                notes[k].extend(tr.notes)
                score[k] = tr.score if score[k] is None else score[k] + (tr.score or 0.0)
            # A segment counts as cached only when every hop came from the cache.
            for k, text in enumerate(current):
                cached_all[k] = cached_all[k] and text in hits
            current = nxt
        results = []
        for k, src in enumerate(segments):
            empty = not src.strip()
            r = TranslationResult(
                source=src,
                text=current[k],
                score=None if empty else score[k],
                package=self.name,
                is_fixture=self.is_fixture,
                cached=cached_all[k] and not empty,
                notes=notes[k] + ([FIXTURE_NOTE] if self.is_fixture and not empty else []),
            )
            results.append(r)
        if progress and not n_unique and segments:
            progress(float(len(segments)))
        if glossary is not None:
            apply_glossary(results, glossary, self.from_code, self.to_code)
        self._count_segments(results)
        return results

    def _count_segments(self, results: Sequence[TranslationResult]) -> None:
        """Add each segment once to ``stats``: blank, from the cache (every hop), or by the model."""
        blank = sum(1 for r in results if not r.source.strip())
        cached = sum(1 for r in results if r.cached)
        self.stats["empty"] += blank
        self.stats["from_cache"] += cached
        self.stats["by_model"] += len(results) - blank - cached

    def close(self) -> None:
        for engine in self.engines:
            engine.close()
        if self.cache:
            self.cache.close()

    def __enter__(self) -> Translator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _change_dict(change: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(change) and not isinstance(change, type):
        return dataclasses.asdict(change)
    if isinstance(change, dict):
        return dict(change)
    return {"change": str(change)}


class PostEditor(Protocol):
    """What ``translate_segments(glossary=...)`` needs; ``align.glossary.Glossary`` is one.

    MT is a stage below the glossary, so the engine names only this interface and
    the glossary stage implements it (dependency inversion, no import upwards).
    """

    def fix_segment(self, source: str, target: str, src_lang: str, tgt_lang: str) -> Any:
        """Return an object with ``text`` (the fixed target) and ``changes`` (a list)."""
        ...


def apply_glossary(
    results: list[TranslationResult], glossary: PostEditor, src_lang: str, tgt_lang: str
) -> None:
    """Post-fix each non-empty target with ``glossary.fix_segment`` and record the changes."""
    for r in results:
        if not r.text:
            continue
        fixed = glossary.fix_segment(r.source, r.text, src_lang, tgt_lang)
        r.text = fixed.text
        r.glossary_changes = [_change_dict(c) for c in fixed.changes]


def installed_pairs_summary(packages_dir: str | Path | None = None) -> list[str]:
    """Human-readable list of installed pairs, fixtures flagged (for messages and `align run`)."""
    return [
        f"{p.pair} ({p.name}{', test fixture' if p.is_fixture else ''})"
        for p in list_packages(packages_dir)
    ]
