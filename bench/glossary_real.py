"""Glossary check and fix on real text: WMT22 en→ru, human reference and four MT systems.

The glossary (bench/data/glossary_real/glossary.tsv, 62 names and terms of the
test set) is checked against the human reference and the outputs of Online-B,
PROMT, SRPOL and eTranslation; ``fix`` runs on every output. Hand labels in
bench/data/glossary_real/ say, for every occurrence any version of the checker
called not ok, what the target really does (``labels.tsv``: ok / forbidden /
missing), and for every change any version of the fixer made, whether it is
right (``fixes.tsv``: correct / wrong / breaks).

Lines 1–1000 are the development part (read while tuning the morphology and the
fixer); lines 1001–2037 are the test part (its new changes labelled after the
code was frozen; bench/data/glossary_real/README.md says exactly what was seen
when). Figures are printed for both parts and for all lines, with the issue's
targets. A check or fix that no label covers is counted as
``unlabelled`` (the figures are then incomplete; ``--todo`` lists them).

Speed: check and fix are timed on every output, and the same is timed in a
subprocess for the glossary code as it was before issue #13 (``--baseline``, a
git revision extracted to a temporary folder; the glossary is given to it
without the ``adj:ru`` column it does not know), so the ratio is measured on
the same machine load.

    .venv/bin/python bench/glossary_real.py            # figures
    .venv/bin/python bench/glossary_real.py --todo     # what still needs a label
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from align.glossary import Checker, Fixer, load_glossary

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wmt22_general_enru"
HERE = Path(__file__).resolve().parent / "data" / "glossary_real"
SYSTEMS = ("ref.A", "hyp.Online-B", "hyp.PROMT", "hyp.SRPOL", "hyp.eTranslation")
DEV_LAST_LINE = 1000  # 1-based; lines after it are the held-out test part
TARGETS = {
    "false alarms on the reference": "≤ 0.5% of occurrences",
    "precision of non-ok findings on MT": "≥ 95%",
    "fix changes correct": "≥ 97%, none breaking a correct sentence",
    "recall of real deviations on the reference": "unchanged (100% of the labelled ones)",
}


def read_table(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass
class Run:
    system: str
    findings: list  # (finding, line)
    changes: list  # (line, change)
    declined: list  # (line, declined)
    check_s: float
    fix_s: float


def run_system(glossary, sources: list[str], system: str, data: Path) -> Run:  # type: ignore[no-untyped-def]
    targets = (data / f"generaltest2022.en-ru.{system}.ru").read_text("utf-8").split("\n")
    targets = targets[: len(sources)]
    checker = Checker(glossary, "en", "ru")
    t0 = time.perf_counter()
    findings = [
        f
        for i, (s, t) in enumerate(zip(sources, targets, strict=True))
        for f in checker.check(s, t, i)
    ]
    check_s = time.perf_counter() - t0
    fixer = Fixer(glossary, "en", "ru")
    t0 = time.perf_counter()
    results = [fixer.fix(s, t, i) for i, (s, t) in enumerate(zip(sources, targets, strict=True))]
    fix_s = time.perf_counter() - t0
    changes = [(i, c) for i, r in enumerate(results) for c in r.changes]
    declined = [(i, d) for i, r in enumerate(results) for d in getattr(r, "declined", [])]
    return Run(system, findings, changes, declined, check_s, fix_s)


_TIMER = """
import json, sys, time
from align.glossary import Checker, Fixer, load_glossary
g = load_glossary(sys.argv[1])
src = open(sys.argv[2], encoding="utf-8").read().split("\\n")[:2037]
out = {}
for path in sys.argv[3:]:
    tgt = open(path, encoding="utf-8").read().split("\\n")[: len(src)]
    c = Checker(g, "en", "ru"); t0 = time.perf_counter()
    for i, (s, t) in enumerate(zip(src, tgt)): c.check(s, t, i)
    out.setdefault("check", []).append(time.perf_counter() - t0)
    f = Fixer(g, "en", "ru"); t0 = time.perf_counter()
    for i, (s, t) in enumerate(zip(src, tgt)): f.fix(s, t, i)
    out.setdefault("fix", []).append(time.perf_counter() - t0)
print(json.dumps(out))
"""


def time_revision(rev: str, data: Path) -> dict[str, float] | None:
    """Mean check/fix seconds per output for the glossary code at git revision ``rev``."""
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", rev, "align"], capture_output=True, check=False
        )
        if archive.returncode != 0:
            return None
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        rows = (HERE / "glossary.tsv").read_text("utf-8").split("\n")
        header = rows[0].split("\t")
        keep = [i for i, h in enumerate(header) if not h.startswith("adj:")]
        cells = [(r.split("\t") + [""] * len(header)) if r else [] for r in rows]
        plain = "\n".join("\t".join(c[i] for i in keep) if c else "" for c in cells)
        gpath = Path(tmp) / "glossary.tsv"
        gpath.write_text(plain, "utf-8")
        files = [str(data / f"generaltest2022.en-ru.{s}.ru") for s in SYSTEMS]
        env = {**os.environ, "PYTHONPATH": tmp}
        cmd = [sys.executable, "-c", _TIMER, str(gpath)]
        cmd += [str(data / "generaltest2022.en-ru.src.en"), *files]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, cwd=tmp)
        if proc.returncode != 0:
            return None
        times = json.loads(proc.stdout)
        return {k: sum(v) / len(v) for k, v in times.items()}


def part_of(line: int) -> str:
    return "dev" if line + 1 <= DEV_LAST_LINE else "test"


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "   n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--todo", action="store_true", help="print unlabelled findings and changes")
    ap.add_argument(
        "--baseline",
        default="e4b87b9",
        help="git revision whose glossary code is timed as the baseline ('' to skip)",
    )
    args = ap.parse_args()
    glossary = load_glossary(HERE / "glossary.tsv")
    sources = (args.data / "generaltest2022.en-ru.src.en").read_text("utf-8").split("\n")
    sources = sources[:2037] if len(sources) > 2037 else sources
    while sources and sources[-1] == "":
        sources.pop()
    occ_labels = {
        (r["system"], int(r["line"]), r["term"], int(r["src_start"])): r["truth"]
        for r in read_table(HERE / "labels.tsv")
    }
    fix_labels = {
        (r["system"], int(r["line"]), r["term"], r["before"], r["after"]): r["verdict"]
        for r in read_table(HERE / "fixes.tsv")
    }
    runs = [run_system(glossary, sources, s, args.data) for s in SYSTEMS]
    targets_by_system = {
        s: (args.data / f"generaltest2022.en-ru.{s}.ru").read_text("utf-8").split("\n")
        for s in SYSTEMS
    }
    if args.todo:
        for run in runs:
            tgt = targets_by_system[run.system]
            for f in run.findings:
                key = (run.system, f.line + 1, f.term, f.source_span[0])
                if f.status != "ok" and key not in occ_labels:
                    print(
                        f"L\t{run.system}\t{f.line + 1}\t{f.term}\t{f.source_span[0]}\t?\t"
                        f"{f.status}:{f.found or ''} | want {f.expected} | {tgt[f.line]}"
                    )
            for line, c in run.changes:
                key = (run.system, line + 1, c.term, c.before, c.after)
                if key not in fix_labels:
                    print(
                        f"F\t{run.system}\t{line + 1}\t{c.term}\t{c.before}\t{c.after}\t?\t{tgt[line]}"
                    )
            for line, d in run.declined:
                print(
                    f"D\t{run.system}\t{line + 1}\t{d.term}\t{d.text}\t{d.suggestion}\t"
                    f"{d.reason}\t{tgt[line]}"
                )
        return 0

    print(
        f"glossary: {len(glossary.terms)} terms; {len(sources)} segments; dev = lines 1–{DEV_LAST_LINE}, "
        f"test = lines {DEV_LAST_LINE + 1}–{len(sources)}"
    )
    print(f"labels: {len(occ_labels)} occurrence labels, {len(fix_labels)} fix labels (by hand)\n")
    summary: dict[str, Counter] = {p: Counter() for p in ("dev", "test", "all")}
    header = (
        f"{'system':<17}{'part':<6}{'occ':>5}{'ok':>5}{'forb':>5}{'miss':>5}"
        f"{'nonok':>6}{'real':>5}{'false':>6}{'unlab':>6}{'prec':>8}{'FA/occ':>8}"
        f"{'fixes':>6}{'right':>6}{'wrong':>6}{'break':>6}{'unlab':>6}{'right%':>8}{'decl':>5}"
    )
    print(header)
    for run in runs:
        for part in ("dev", "test", "all"):
            c: Counter = Counter()
            for f in run.findings:
                if part != "all" and part_of(f.line) != part:
                    continue
                c["occ"] += 1
                c[f.status] += 1
                truth = occ_labels.get((run.system, f.line + 1, f.term, f.source_span[0]))
                if f.status != "ok":
                    c["nonok"] += 1
                    if truth is None:
                        c["unlab"] += 1
                    elif truth in ("ok", "none"):  # none: not the term (inside another name)
                        c["false"] += 1
                    else:
                        c["real"] += 1
                elif truth not in (None, "ok", "none"):
                    c["missed"] += 1  # a labelled real deviation now called ok
            for line, ch in run.changes:
                if part != "all" and part_of(line) != part:
                    continue
                c["fixes"] += 1
                verdict = fix_labels.get((run.system, line + 1, ch.term, ch.before, ch.after))
                c[
                    {"correct": "right", "wrong": "wrong", "breaks": "break", None: "funlab"}[
                        verdict
                    ]
                ] += 1
            c["decl"] = sum(1 for line, _ in run.declined if part == "all" or part_of(line) == part)
            labelled = c["real"] + c["false"]
            fl = c["right"] + c["wrong"] + c["break"]
            print(
                f"{run.system:<17}{part:<6}{c['occ']:>5}{c['ok']:>5}{c['forbidden']:>5}{c['missing']:>5}"
                f"{c['nonok']:>6}{c['real']:>5}{c['false']:>6}{c['unlab']:>6}{pct(c['real'], labelled):>8}"
                f"{pct(c['false'], c['occ']):>8}{c['fixes']:>6}{c['right']:>6}{c['wrong']:>6}"
                f"{c['break']:>6}{c['funlab']:>6}{pct(c['right'], fl):>8}{c['decl']:>5}"
            )
            bucket = "ref" if run.system.startswith("ref") else "mt"
            for k, v in c.items():
                summary[part][f"{bucket}:{k}"] += v
        print()
    # recall: labelled real deviations on the reference, all found as non-ok?
    ref = runs[0]
    real = {k for k, v in occ_labels.items() if k[0] == ref.system and v not in ("ok", "none")}
    found = {
        (ref.system, f.line + 1, f.term, f.source_span[0]) for f in ref.findings if f.status != "ok"
    }
    # Labelled real deviations that are no longer a source occurrence at all (the
    # whole-name rule took the term as part of a longer name).
    for run in runs:
        keys = {(run.system, f.line + 1, f.term, f.source_span[0]) for f in run.findings}
        gone = [
            k for k, v in occ_labels.items()
            if k[0] == run.system and v not in ("ok", "none") and k not in keys
        ]  # fmt: skip
        for k in gone:
            bucket = "ref" if run.system.startswith("ref") else "mt"
            for part in (part_of(k[1] - 1), "all"):
                summary[part][f"{bucket}:gone"] += 1
    print("targets (issue #13):")
    for part in ("dev", "test", "all"):
        s = summary[part]
        in_part = {k for k in real if part == "all" or part_of(k[1] - 1) == part}
        fl = (
            s["mt:right"]
            + s["mt:wrong"]
            + s["mt:break"]
            + s["ref:right"]
            + s["ref:wrong"]
            + s["ref:break"]
        )
        right = s["mt:right"] + s["ref:right"]
        print(
            f"  [{part}] false alarms on the reference: {s['ref:false']}/{s['ref:occ']} = "
            f"{pct(s['ref:false'], s['ref:occ']).strip()} (target ≤ 0.5%)"
        )
        print(
            f"  [{part}] precision of non-ok findings on MT: {s['mt:real']}/{s['mt:real'] + s['mt:false']} = "
            f"{pct(s['mt:real'], s['mt:real'] + s['mt:false']).strip()} (target ≥ 95%; "
            f"{s['mt:unlab']} unlabelled)"
        )
        print(
            f"  [{part}] fix changes correct: {right}/{fl} = {pct(right, fl).strip()}, "
            f"breaking a correct sentence: {s['mt:break'] + s['ref:break']} "
            f"(target ≥ 97%, 0; {s['mt:funlab'] + s['ref:funlab']} unlabelled; "
            f"{s['mt:decl'] + s['ref:decl']} declined and reported)"
        )
        print(
            f"  [{part}] labelled real deviations now called ok: reference {s['ref:missed']}, "
            f"MT {s['mt:missed']}; no longer an occurrence: reference {s['ref:gone']}, "
            f"MT {s['mt:gone']} (lost true findings)"
        )
        print(
            f"  [{part}] recall of labelled real deviations on the reference: "
            f"{len(in_part & found)}/{len(in_part)} = {pct(len(in_part & found), len(in_part)).strip()} "
            "(target 100%, unchanged)"
        )
    check_s = sum(r.check_s for r in runs) / len(runs)
    fix_s = sum(r.fix_s for r in runs) / len(runs)
    print(
        f"\nspeed: check {check_s:.2f} s, fix {fix_s:.2f} s per {len(sources)}-line output "
        f"(mean of {len(runs)} outputs; matchers built once per run)"
    )
    base = time_revision(args.baseline, args.data) if args.baseline else None
    if base is not None:
        print(
            f"baseline ({args.baseline}, same run): check {base['check']:.2f} s, "
            f"fix {base['fix']:.2f} s; ratio now/baseline: check {check_s / base['check']:.2f}, "
            f"fix {fix_s / base['fix']:.2f}"
        )
    elif args.baseline:
        print(f"baseline {args.baseline}: not available (no git checkout?)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
