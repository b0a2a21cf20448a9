"""End to end in a real CAT tool: OmegaT must insert our Russian for exact matches.

OmegaT exits 0 even when it drops a TMX, so the test reads the translated file.
A second, deliberately broken TMX (no ``srclang``) in the same project shows the
check can fail: OmegaT ignores it silently, and our validator flags it.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.tmx import validate_tmx

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

pytestmark = [
    pytest.mark.omegat,
    pytest.mark.skipif(
        not OMEGAT_JAR.is_file(), reason="OmegaT not installed (apt-get install omegat)"
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no java on PATH for OmegaT"),
]

PROJECT = """<?xml version="1.0" encoding="UTF-8"?>
<omegat>
  <project version="1.0">
    <source_dir>source</source_dir>
    <target_dir>target</target_dir>
    <tm_dir>tm</tm_dir>
    <glossary_dir>glossary</glossary_dir>
    <glossary_file>glossary/glossary.txt</glossary_file>
    <dictionary_dir>dictionary</dictionary_dir>
    <source_lang>EN-US</source_lang>
    <target_lang>RU-RU</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""
# The text filter reads UTF-8 and makes every line break a segment boundary.
FILTERS = """<?xml version="1.0" encoding="UTF-8"?>
<filters>
  <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
    <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}"
           sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
    <option name="segmentOn" value="BREAKS"/>
  </filter>
</filters>
"""

PAIRS = [
    ("The interview took place in Moscow.", "Интервью состоялось в Москве."),
    ("Prices rose by 5 % & wages  did not.", "Цены выросли на 5 % & зарплаты  нет."),
    ('He said "<b>no</b>" twice.', "Он дважды сказал «<b>нет</b>»."),
    ("The cat sat on the mat. It was warm.", "Кошка сидела на коврике. Было тепло."),
]
BROKEN = ("This line is only in a broken TMX.", "Эта строка есть только в сломанном TMX.")
UNMATCHED = "Nobody translated this line."


def _project(root: Path) -> Path:
    proj = root / "proj"
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (proj / sub).mkdir(parents=True)
    (proj / "omegat.project").write_text(PROJECT, "utf-8")
    (proj / "omegat" / "filters.xml").write_text(FILTERS, "utf-8")
    lines = [s for s, _ in PAIRS] + [BROKEN[0], UNMATCHED]
    (proj / "source" / "doc.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return proj


def test_omegat_inserts_our_translations(tmp_path):
    proj = _project(tmp_path)
    # Our TMX, made by the CLI from two line files (the multi-sentence pair as a paragraph).
    (tmp_path / "en.txt").write_text("\n".join(s for s, _ in PAIRS) + "\n", "utf-8")
    (tmp_path / "ru.txt").write_text("\n".join(t for _, t in PAIRS) + "\n", "utf-8")
    ours = proj / "tm" / "auto" / "ours.tmx"
    result = CliRunner().invoke(
        main,
        ["tmx", "export", "--src", str(tmp_path / "en.txt"), "--tgt", str(tmp_path / "ru.txt"),
         "-o", str(ours), "--src-lang", "en", "--tgt-lang", "ru"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    # The same writer, then the srclang removed: what OmegaT silently drops.
    broken = proj / "tm" / "auto" / "broken.tmx"
    (tmp_path / "b-en.txt").write_text(BROKEN[0] + "\n", "utf-8")
    (tmp_path / "b-ru.txt").write_text(BROKEN[1] + "\n", "utf-8")
    CliRunner().invoke(
        main,
        ["tmx", "export", "--src", str(tmp_path / "b-en.txt"), "--tgt", str(tmp_path / "b-ru.txt"),
         "-o", str(broken), "-s", "en", "-t", "ru"],
    )  # fmt: skip
    broken.write_text(broken.read_text("utf-8").replace(' srclang="en"', ""), "utf-8")

    # Valid against the TMX 1.4 DTD that OmegaT itself ships.
    dtd = tmp_path / "tmx14.dtd"
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        dtd.write_bytes(jar.read("schemas/tmx14.dtd"))
    # Only the doubled spaces we put in on purpose are reported (as warnings); the
    # multi-sentence line was exported as a paragraph unit.
    assert {(p.rule, p.level) for p in validate_tmx(ours, dtd=dtd)} == {("whitespace", "warning")}
    assert "missing-srclang" in {p.rule for p in validate_tmx(broken, dtd=dtd)}

    target = _translate(proj, tmp_path, "doc.txt")
    lines = target.read_text("utf-8").splitlines()
    assert lines[: len(PAIRS)] == [t for _, t in PAIRS]
    assert lines[len(PAIRS)] == BROKEN[0]  # the srclang-less TMX was ignored, silently
    assert lines[len(PAIRS) + 1] == UNMATCHED
    # The TMX 1.4 OmegaT exports passes our validator (warnings only: the doubled spaces).
    assert {p.level for p in validate_tmx(proj / "proj-level2.tmx")} == {"warning"}


def _translate(proj: Path, tmp_path: Path, name: str) -> Path:
    """OmegaT's console-translate on ``proj``; the target file ``name`` it must have written."""
    run = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(proj),
         "--mode=console-translate", f"--config-dir={tmp_path / 'config'}",
         "--disable-project-locking", "--no-team"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    target = proj / "target" / name
    assert target.is_file(), (
        f"OmegaT wrote no target (exit {run.returncode}):\n{run.stderr[-2000:]}"
    )
    return target


XLIFF_FILTERS = """<?xml version="1.0" encoding="UTF-8"?>
<filters>
  <filter className="org.omegat.filters3.xml.xliff.XLIFFFilter" enabled="true">
    <files sourceFilenameMask="*.xlf" targetFilenamePattern="${filename}"
           sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
  </filter>
</filters>
"""


def test_omegat_fills_targets_of_our_xliff(tmp_path):
    """An XLIFF 1.2 align wrote is an OmegaT source file; our TMX in tm/auto fills its targets."""
    from align.model import TranslationUnit
    from align.tmx import write_tmx
    from align.xliff import XliffFile, read_xliff, write_xliff

    proj = _project(tmp_path)
    (proj / "source" / "doc.txt").unlink()
    (proj / "omegat" / "filters.xml").write_text(XLIFF_FILTERS, "utf-8")
    pairs = [p for p in PAIRS if ". " not in p[0]]  # one sentence each
    units = [TranslationUnit(s, "", "en", "ru", tuid=f"doc:{n}") for n, (s, _) in enumerate(pairs)]
    units.append(TranslationUnit(UNMATCHED, "", "en", "ru", tuid="doc:x"))
    # OmegaT's XLIFF filter translates <target> content only: targets start as source copies.
    xliff = proj / "source" / "doc.xlf"
    write_xliff(xliff, [XliffFile("doc.txt", "en-US", "ru-RU", units)], copy_source=True)
    assert [u.target for u in read_xliff(xliff).units] == [""] * len(units)
    memory = [TranslationUnit(s, t, "en", "ru") for s, t in pairs]
    write_tmx(proj / "tm" / "auto" / "ours.tmx", memory, src_lang="en", tgt_lang="ru")
    target = _translate(proj, tmp_path, "doc.xlf")
    back = read_xliff(target).units
    assert [u.tuid for u in back] == [u.tuid for u in units]
    assert [u.target for u in back[: len(pairs)]] == [t for _, t in pairs]
    assert back[-1].target == ""  # nothing in the memory: still the source copy
