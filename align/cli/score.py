"""``align score`` (MT quality) and ``align score-alignment`` (alignment quality)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from align.cli.options import (
    command,
    emit,
    format_option,
    glossary_option,
    output_option,
    src_lang_option,
    tgt_lang_option,
)
from align.errors import InputError
from align.paths import check_outputs, note_repeats, once_each

_FORMAT = format_option(
    ["txt", "json"],
    "txt",
    help="txt: a short summary; json: every figure, for scripts and reports.",
)
_OUTPUT = output_option(help="Write the result to this file; - or none: standard output.")


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@command()
@click.option("--hyp", required=True, help="Translation to score, one segment per line.")
@click.option(
    "--ref",
    "refs",
    multiple=True,
    required=True,
    help="Reference translation, line-parallel to --hyp. Repeat for several references "
    "(a file named twice counts once).",
)
@click.option("--src", default=None, help="Source text, line-parallel (needed with --glossary).")
@glossary_option(help="Glossary (TSV/CSV/TBX) for term accuracy: were names rendered right?")
@src_lang_option(required=False, help="Source language (BCP 47; needed with --glossary).")
@tgt_lang_option(
    required=False,
    help="Target language (BCP 47); picks BLEU's tokenizer (zh, ja, ko); needed with --glossary.",
)
@click.option(
    "--compare",
    default=None,
    help="A second translation of the same source: test whether the two really differ "
    "(paired bootstrap resampling).",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for --compare.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=1),
    default=12345,
    show_default=True,
    help="Random seed for --compare, so results repeat (sacrebleu's default).",
)
@click.option(
    "--segments", is_flag=True, help="Text format: list chrF++ of every line, not just the lowest."
)
@_FORMAT
@_OUTPUT
def score(
    hyp: str,
    refs: tuple[str, ...],
    src: str | None,
    glossary: str | None,
    src_lang: str,
    tgt_lang: str,
    compare: str | None,
    samples: int,
    seed: int,
    segments: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Score a translation against references: BLEU, chrF++ and TER (sacrebleu).

    Every figure comes with its sacrebleu signature, so it can be compared with
    published numbers. Segment-level chrF++ points at the weakest lines. With
    --glossary and --src, also reports how many glossary terms the translation
    renders as the glossary says. With --compare, runs sacrebleu's paired
    bootstrap test between --hyp and the other translation.

    All files are plain text, one segment per line, with the same number of lines;
    or XLIFF: the MT draft (--hyp) and its post-edit (--ref) matched by unit id,
    whose TER is HTER, the share of the draft the post-editor had to change.
    A draft made by a test fixture model is labelled so in the output.

    \b
    Example:
      align score --hyp mt.ru.txt --ref human.ru.txt -s en -t ru \\
        --src en.txt -g names.tsv --compare other-mt.ru.txt
    """
    from align.scoring.files import load_scoring_inputs
    from align.scoring.mt import paired_bootstrap, score_mt
    from align.scoring.render import bootstrap_text, mt_text

    out = output
    unique, repeats = once_each(refs)
    note_repeats(repeats, "used as one reference")
    refs = tuple(unique)
    if glossary and not (src_lang and tgt_lang):
        raise click.UsageError(
            "term accuracy needs both languages: -s/--src-lang and -t/--tgt-lang"
        )
    check_outputs([hyp, *refs, src, glossary, compare], [out])
    inputs = load_scoring_inputs(hyp, list(refs), src=src, compare=compare)
    if glossary and inputs.sources is None:
        raise InputError(glossary, "term accuracy needs the source text too (--src)")
    if inputs.skipped:
        click.echo(f"align: note: {inputs.skipped} unit(s) without a post-edited target left out",
                   err=True)  # fmt: skip
    if glossary:
        from align.glossary import load_glossary

        glossary_obj = load_glossary(glossary)
    else:
        glossary_obj = None
    scores = score_mt(
        inputs.hyps,
        inputs.refs,
        sources=inputs.sources,
        glossary=glossary_obj,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
    )
    boot = None
    if inputs.compare is not None:
        boot = paired_bootstrap(
            inputs.hyps,
            inputs.compare,
            inputs.refs,
            names=(hyp, str(compare)),
            n_samples=samples,
            seed=seed,
            tgt_lang=tgt_lang,
        )
    if fmt == "json":
        data = {"hyp": hyp, "refs": list(refs), "src": src, "glossary": glossary}
        data["fixture"] = inputs.fixture
        data["scores"] = scores.to_dict()
        if inputs.hter:
            data["hter"] = scores.ter
        if boot is not None:
            data["compare"] = boot.to_dict()
        emit(_dump(data), out)
        return
    label = hyp + (" [TEST FIXTURE output: not a translation]" if inputs.fixture else "")
    text = mt_text(scores, label, all_segments=segments)
    if inputs.hter:
        text += f"  HTER     {scores.ter:6.2f}  (TER of the MT draft against its post-edit)\n"
    if boot is not None:
        text += bootstrap_text(boot)
    emit(text, out)


@command()
@click.option("--gold", required=True, help="Gold alignment (vecalign format, e.g. [0]:[0, 1]).")
@click.option("--pred", required=True, help="Alignment to evaluate, same format and segmentation.")
@_FORMAT
@_OUTPUT
def score_alignment(gold: str, pred: str, fmt: str, output: str | None) -> None:
    """Compare a sentence alignment with a hand-made gold one.

    Reports precision, recall and F1 in vecalign's strict sense (beads must match
    exactly) and lax sense (a bead counts if it overlaps a gold bead on both
    sides), and how many gold beads of each type (1-1, 2-1, 1-0, …) were found.
    Both files must index the same segmented texts (0-based line numbers).

    \b
    Example:
      align score-alignment --gold seeds/interview.en-ru.gold --pred out.vecalign
    """
    from align.scoring.alignment import score_alignment_files
    from align.scoring.render import alignment_text

    check_outputs([gold, pred], [output])
    result = score_alignment_files(gold, pred)
    if fmt == "json":
        emit(_dump({"gold": str(Path(gold)), "pred": str(Path(pred)), **result}), output)
    else:
        emit(alignment_text(result, gold, pred), output)
