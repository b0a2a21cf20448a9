"""The MT part of ``align run``: translate both ways when real models are installed.

Test fixture packages are used only when named in the run's ``mt_packages``;
their outputs carry ``.fixture`` in the file name, a TMX note and prop, and a
report banner, so they are never mistaken for translations.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from align.errors import AlignError
from align.fsutil import write_text_atomic
from align.model import Bead, Segment, TranslationUnit


def _package_for(
    names: list[str], from_code: str, to_code: str, directory: str | None
) -> str | None:
    from align.mt.packages import list_packages

    for pkg in list_packages(directory):
        if pkg.name in names and (pkg.from_code, pkg.to_code) == (from_code, to_code):
            return pkg.name
    return None


def _scoring_pairs(
    beads: list[Bead], mt: list[str], refs: list[Segment], sources: list[Segment], mt_side: str
) -> tuple[list[str], list[str], list[str]]:
    """Bead-level (hyp, ref, source) triples: MT is per source sentence, references merge and split."""
    hyps, out_refs, srcs = [], [], []
    for b in beads:
        if not b.src or not b.tgt:
            continue
        mine, theirs = (b.src, b.tgt) if mt_side == "src" else (b.tgt, b.src)
        hyps.append(" ".join(mt[i] for i in mine))
        out_refs.append(" ".join(refs[j].text for j in theirs))
        srcs.append(" ".join(sources[i].text for i in mine))
    return hyps, out_refs, srcs


def mt_stage(result: Any, config: Any) -> None:
    inputs = result.inputs
    beads = inputs.gold or result.beads
    directions = [(config.src_lang, config.tgt_lang, inputs.segments, inputs.ref_segments, "src")]
    if inputs.reference is not None:
        directions.append(
            (config.tgt_lang, config.src_lang, inputs.ref_segments, inputs.segments, "tgt")
        )
    result.scores.setdefault("mt", {})
    with contextlib.ExitStack() as stack:
        runner = None
        if config.cluster:
            from align.mt.cluster import ClusterRunner, open_client

            runner = ClusterRunner(stack.enter_context(open_client(config.cluster)))
        missing = _translate_directions(result, config, directions, beads, runner)
    _after_directions(result, missing)


def _translate_directions(
    result: Any, config: Any, directions: list, beads: Any, runner: Any
) -> list[str]:
    from align.mt.engine import FIXTURE_NOTE, Translator
    from align.mt.packages import UnknownPairError

    inputs = result.inputs
    missing: list[str] = []
    for from_code, to_code, segments, refs, side in directions:
        named = _package_for(config.mt_packages, from_code, to_code, config.packages_dir)
        try:
            tr = Translator.load(
                from_code,
                to_code,
                config.packages_dir,
                package=named,
                beam_size=config.beam_size,
                cache=config.mt_cache,
                cluster=runner,
            )
        except UnknownPairError:
            missing.append(f"{from_code}→{to_code}")
            continue
        with tr:
            glossary = inputs.glossary if config.mt_glossary_fix else None
            translated = tr.translate_segments([s.text for s in segments], glossary=glossary)
        mt = [r.text for r in translated]
        cut = [seg.id for seg, r in zip(segments, translated, strict=True) if r.truncated]
        if cut:
            result.notes.append(
                f"MT {from_code}→{to_code}: {len(cut)} translation(s) cut at the decoding "
                f"limit ({', '.join(cut[:5])}{' ...' if len(cut) > 5 else ''}); flagged in the TMX"
            )
        tag = ".fixture" if tr.is_fixture else ""
        result.fixture |= tr.is_fixture
        result.mt[f"{from_code}-{to_code}"] = mt
        txt = config.out(f"mt.{to_code}{tag}.txt")
        write_text_atomic(txt, "".join(line + "\n" for line in mt))
        result.outputs.append(txt)
        if side == "src":
            _write_mt_tmx(result, config, segments, translated, tr.is_fixture, tag)
        entry: dict[str, Any] = {"package": tr.name, "fixture": tr.is_fixture}
        if tr.is_fixture:
            entry["note"] = FIXTURE_NOTE
        changes = sum(len(r.glossary_changes) for r in translated)
        entry["glossary_fixes"] = changes
        if refs and beads:
            from align.scoring.mt import score_mt

            hyps, ref_lines, src_lines = _scoring_pairs(beads, mt, refs, segments, side)
            try:
                sc = score_mt(
                    hyps,
                    [ref_lines],
                    sources=src_lines,
                    glossary=inputs.glossary,
                    src_lang=from_code,
                    tgt_lang=to_code,
                )
            except AlignError as exc:
                result.notes.append(f"MT {from_code}→{to_code} not scored: {exc.message}")
            else:
                entry.update(sc.to_dict())
        result.scores["mt"][f"{from_code}-{to_code}"] = entry
    return missing


def _after_directions(result: Any, missing: list[str]) -> None:
    if missing:
        pair = missing[0].split("→")
        result.notes.append(
            f"no Argos model installed for {', '.join(missing)}: MT skipped. Install one with "
            f"`align models install FILE.argosmodel`, or `align models install --online {pair[0]} {pair[1]}` "
            "where there is internet"
        )


def _write_mt_tmx(
    result, config, segments: list[Segment], translated, fixture: bool, tag: str
) -> None:
    from align.mt.engine import mt_review
    from align.tmx import write_tmx

    units = []
    for seg, r in zip(segments, translated, strict=True):
        props = {"origin": r.origin, "document": result.inputs.document.id, "segment-id": seg.id}
        if r.glossary_changes:
            props["glossary"] = f"fixed {len(r.glossary_changes)}"
        review, note = mt_review(r, fixture)
        props.update(review)
        units.append(
            TranslationUnit(
                seg.text,
                r.text,
                config.src_lang,
                config.tgt_lang,
                tuid=seg.id,
                props=props,
                note=note,
            )
        )
    path = config.out(f"mt.{config.src_lang}-{config.tgt_lang}{tag}.tmx")
    header = {"fixture": "true"} if fixture else None
    write_tmx(path, units, src_lang=config.src_lang, tgt_lang=config.tgt_lang, header_props=header)
    result.outputs.append(Path(path))
