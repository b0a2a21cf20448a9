"""MT quality figures computed by sacrebleu itself, so they match published numbers.

We never re-implement a metric: BLEU, chrF++ (chrF with word n-grams up to 2) and
TER come from sacrebleu's metric classes, and the significance test is sacrebleu's
own paired bootstrap (``sacrebleu.significance.PairedTest``), the same code path as
``sacrebleu --paired-bs``. Signatures are kept with every score because a BLEU
figure without its tokenizer and version is not comparable with anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from align.errors import InputError

# Names as sacrebleu reports them (chrF with word_order=2 calls itself "chrF2++").
BLEU_NAME = "BLEU"
CHRF_NAME = "chrF2++"
TER_NAME = "TER"
DEFAULT_SEED = 12345  # sacrebleu's own default, so `sacrebleu --paired-bs` agrees with us
DEFAULT_SAMPLES = 1000


@dataclass
class TermScore:
    """Glossary term accuracy: how many expected target terms the output used."""

    correct: int
    total: int
    score: float


@dataclass
class MTScores:
    """Corpus scores of one system against one or more references.

    ``bleu``, ``chrf`` (chrF++) and ``ter`` are sacrebleu corpus scores on a 0..100
    scale; ``signatures`` their sacrebleu signatures (for reporting); ``segment_chrf``
    one chrF++ per segment, in input order; ``term_accuracy`` when a glossary was given.
    """

    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str]
    segment_chrf: list[float]
    n_segments: int
    n_refs: int
    bleu_detail: dict[str, Any] = field(default_factory=dict)
    term_accuracy: TermScore | None = None
    # 1-based lines whose reference (any of them) is empty: scored against nothing.
    empty_ref_lines: list[int] = field(default_factory=list)
    # 1-based lines where the output and every reference are empty: nothing to score.
    blank_lines: list[int] = field(default_factory=list)

    def lowest(self, n: int = 5) -> list[int]:
        """0-based indices of the ``n`` weakest segments by chrF2++.

        Blank/blank pairs have nothing to score and perfect segments (100) are not
        weak, so neither is ever listed.
        """
        blank = {k - 1 for k in self.blank_lines}
        ranked = sorted(
            (i for i, s in enumerate(self.segment_chrf) if i not in blank and s < 100.0),
            key=lambda i: (self.segment_chrf[i], i),
        )
        return ranked[:n]

    def summary(self) -> str:
        """One line for run summaries, e.g. ``BLEU 23.40, chrF2++ 51.20, TER 60.10, terms 9/10``."""
        text = f"BLEU {self.bleu:.2f}, chrF2++ {self.chrf:.2f}, TER {self.ter:.2f}"
        if self.term_accuracy is not None:
            text += f", terms {self.term_accuracy.correct}/{self.term_accuracy.total}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "summary": self.summary()}


@dataclass
class SystemEstimate:
    """A system's actual score and its bootstrap mean with the 95% CI half-width."""

    score: float
    mean: float | None
    ci: float | None


@dataclass
class MetricComparison:
    baseline: SystemEstimate
    system: SystemEstimate
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


@dataclass
class BootstrapResult:
    """Paired bootstrap resampling of two systems on the same segments."""

    baseline_name: str
    system_name: str
    n_samples: int
    seed: int | None
    metrics: dict[str, MetricComparison]
    signatures: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for name, comp in self.metrics.items():
            out["metrics"][name]["significant"] = comp.significant
        return out


def _check_refs(hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> list[list[str]]:
    if not hyps:
        raise InputError(None, "no segments to score")
    if not refs:
        raise InputError(None, "at least one reference is needed")
    streams = [list(r) for r in refs]
    for i, stream in enumerate(streams, 1):
        if len(stream) != len(hyps):
            raise InputError(
                None, f"reference {i} has {len(stream)} segments but the output has {len(hyps)}"
            )
    return streams


def _metrics(tgt_lang: str | None) -> dict[str, Any]:
    """Fresh sacrebleu metric objects; the target language picks BLEU's tokenizer."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    from align.langtags import language_subtag

    lang = language_subtag(tgt_lang) if tgt_lang else ""
    try:
        bleu = BLEU(trg_lang=lang) if lang else BLEU()
    except Exception as exc:  # e.g. ja/ko tokenizers need optional MeCab packages
        raise InputError(None, f"BLEU cannot tokenize language {lang!r}: {exc}") from None
    # sacrebleu's TER splits CJK characters only inside its normaliser
    # (TercomTokenizer with normalized=True); asian_support alone changes nothing
    # but the signature. So CJK targets get both, and the signature says so truly.
    asian = lang in {"zh", "ja", "ko"}
    ter = TER(asian_support=True, normalized=True) if asian else TER()
    return {BLEU_NAME: bleu, CHRF_NAME: CHRF(word_order=2), TER_NAME: ter}


def _term_score(
    glossary: Any,
    sources: Sequence[str] | None,
    hyps: Sequence[str],
    src_lang: str | None,
    tgt_lang: str | None,
) -> TermScore:
    from align.glossary import load_glossary, term_accuracy

    if sources is None:
        raise InputError(None, "term accuracy needs the source segments")
    if len(sources) != len(hyps):
        raise InputError(None, f"source has {len(sources)} segments but the output has {len(hyps)}")
    if not src_lang or not tgt_lang:
        raise InputError(None, "term accuracy needs the source and target language codes")
    if isinstance(glossary, str | Path):
        glossary = load_glossary(glossary)
    acc = term_accuracy(glossary, list(sources), list(hyps), src_lang, tgt_lang)
    return TermScore(int(acc.correct), int(acc.total), float(acc.score))


def score_mt(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str]],
    *,
    sources: Sequence[str] | None = None,
    glossary: Any = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> MTScores:
    """Score ``hyps`` against reference streams (``refs[k][i]`` is reference k of segment i).

    Metrics come from sacrebleu (Post 2018), with their signatures: BLEU (Papineni et
    al. 2002; tokenizer chosen for ``tgt_lang``), chrF++ (Popović 2017) and TER (Snover
    et al. 2006), all on a 0..100 scale (TER: lower is better). ``glossary`` (a loaded
    glossary or a path) adds term accuracy (WMT 2021 terminology task); it needs
    ``sources`` and both language codes.

    Returns:
        MTScores with corpus scores, per-segment chrF++ and sacrebleu signatures.

    Raises:
        InputError: no segments, no reference, a reference stream of another length,
            or term accuracy without sources or language codes.
    """
    streams = _check_refs(hyps, refs)
    hyps = list(hyps)
    metrics = _metrics(tgt_lang)
    bleu = metrics[BLEU_NAME].corpus_score(hyps, streams)
    chrf = metrics[CHRF_NAME].corpus_score(hyps, streams)
    ter = metrics[TER_NAME].corpus_score(hyps, streams)
    seg_metric = metrics[CHRF_NAME]
    segment = [
        float(seg_metric.sentence_score(h, [s[i] for s in streams]).score)
        for i, h in enumerate(hyps)
    ]
    terms = None
    if glossary is not None:
        terms = _term_score(glossary, sources, hyps, src_lang, tgt_lang)
    empty_refs = [i + 1 for i in range(len(hyps)) if any(not s[i].strip() for s in streams)]
    blank = [
        i
        for i in empty_refs
        if not hyps[i - 1].strip() and all(not s[i - 1].strip() for s in streams)
    ]
    return MTScores(
        bleu=float(bleu.score),
        chrf=float(chrf.score),
        ter=float(ter.score),
        signatures={name: str(m.get_signature()) for name, m in metrics.items()},
        segment_chrf=segment,
        n_segments=len(hyps),
        n_refs=len(streams),
        bleu_detail={
            "precisions": [float(p) for p in bleu.precisions],
            "bp": float(bleu.bp),
            "ratio": float(bleu.ratio),
            "hyp_len": int(bleu.sys_len),
            "ref_len": int(bleu.ref_len),
        },
        term_accuracy=terms,
        empty_ref_lines=empty_refs,
        blank_lines=blank,
    )


@contextmanager
def _sacrebleu_seed(seed: int | None) -> Iterator[None]:
    """sacrebleu reads its RNG seed from SACREBLEU_SEED only; set it for one call."""
    old = os.environ.get("SACREBLEU_SEED")
    os.environ["SACREBLEU_SEED"] = "none" if seed is None else str(seed)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SACREBLEU_SEED", None)
        else:
            os.environ["SACREBLEU_SEED"] = old


def _opt_float(x: Any) -> float | None:
    return None if x is None else float(x)


def paired_bootstrap(
    baseline: Sequence[str],
    system: Sequence[str],
    refs: Sequence[Sequence[str]],
    *,
    names: tuple[str, str] = ("baseline", "system"),
    n_samples: int = DEFAULT_SAMPLES,
    seed: int | None = DEFAULT_SEED,
    tgt_lang: str | None = None,
) -> BootstrapResult:
    """Is ``system`` really different from ``baseline``? sacrebleu's paired bootstrap.

    ``seed`` makes the resampling repeatable (None draws fresh entropy). sacrebleu
    treats seed 0 as "unseeded", so seeds must be positive.
    """
    from sacrebleu.significance import PairedTest

    if seed is not None and seed < 1:
        raise ValueError("seed must be a positive integer (sacrebleu treats 0 as unseeded)")
    if n_samples < 1:
        raise ValueError("n_samples must be positive")
    streams = _check_refs(baseline, refs)
    if len(system) != len(baseline):
        raise InputError(None, f"the two systems have {len(baseline)} and {len(system)} segments")
    with _sacrebleu_seed(seed):
        test = PairedTest(
            [(names[0], list(baseline)), (names[1], list(system))],
            _metrics(tgt_lang),
            references=streams,
            test_type="bs",
            n_samples=n_samples,
        )
        sigs, table = test()
    comparisons: dict[str, MetricComparison] = {}
    for name in sigs:
        base, other = table[name][0], table[name][1]
        comparisons[name] = MetricComparison(
            baseline=SystemEstimate(float(base.score), _opt_float(base.mean), _opt_float(base.ci)),
            system=SystemEstimate(float(other.score), _opt_float(other.mean), _opt_float(other.ci)),
            p_value=float(other.p_value),
        )
    return BootstrapResult(
        baseline_name=names[0],
        system_name=names[1],
        n_samples=n_samples,
        seed=seed,
        metrics=comparisons,
        signatures={name: str(sig) for name, sig in sigs.items()},
    )
