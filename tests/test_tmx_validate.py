"""``validate_tmx`` flags every defect that makes CAT tools drop or spoil a TMX."""

from __future__ import annotations

import pytest

from align.errors import InputError
from align.model import TranslationUnit
from align.tmx import validate_tmx, write_tmx
from align.tmx.xmltext import multi_sentence

HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="en-US" datatype="plaintext"/>'
)
TU = '<tu tuid="{id}"><tuv xml:lang="en-US"><seg>{src}</seg></tuv><tuv xml:lang="ru-RU"><seg>{tgt}</seg></tuv></tu>'


def tmx(tmp_path, body: str, header: str = HEADER, name: str = "t.tmx"):
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n{header}\n<body>\n{body}\n</body>\n</tmx>\n',
        encoding="utf-8",
    )
    return path


def rules(path) -> dict[str, str]:
    return {p.rule: p.level for p in validate_tmx(path)}


def test_our_output_is_clean(tmp_path):
    out = tmp_path / "ours.tmx"
    units = [
        TranslationUnit(
            "One sentence.", "Одно предложение.", "en", "ru", props={"origin": "human"}
        ),
        TranslationUnit("Two. Sentences.", "Два. Предложения.", "en", "ru", segtype="paragraph"),
    ]
    write_tmx(out, units, src_lang="en", tgt_lang="ru")
    assert validate_tmx(out) == []


def test_clean_handmade_file_passes(tmp_path):
    assert validate_tmx(tmx(tmp_path, TU.format(id=1, src="Hello.", tgt="Привет."))) == []


def test_missing_srclang(tmp_path):
    path = tmx(
        tmp_path, TU.format(id=1, src="A.", tgt="А."), HEADER.replace(' srclang="en-US"', "")
    )
    problems = validate_tmx(path)
    assert [p.rule for p in problems] == ["missing-srclang"]
    assert problems[0].level == "error" and problems[0].line == 3
    assert "OmegaT silently ignores the whole file" in problems[0].message


def test_every_required_header_attribute_is_checked(tmp_path):
    path = tmx(tmp_path, TU.format(id=1, src="A.", tgt="А."), "<header/>")
    assert {r for r in rules(path) if r.startswith("missing-")} == {
        "missing-creationtool",
        "missing-creationtoolversion",
        "missing-segtype",
        "missing-o-tmf",
        "missing-adminlang",
        "missing-srclang",
        "missing-datatype",
    }


def test_tuv_without_language(tmp_path):
    body = '<tu tuid="1"><tuv xml:lang="en-US"><seg>A.</seg></tuv><tuv><seg>А.</seg></tuv></tu>'
    assert rules(tmx(tmp_path, body)) == {"tuv-lang": "error"}


def test_empty_target_seg(tmp_path):
    for tgt in ("", "   "):
        assert rules(tmx(tmp_path, TU.format(id=1, src="A.", tgt=tgt))) == {"empty-seg": "error"}


def test_source_language_tuv_must_appear_exactly_once(tmp_path):
    none = '<tu><tuv xml:lang="de-DE"><seg>A.</seg></tuv><tuv xml:lang="ru-RU"><seg>А.</seg></tuv></tu>'
    two = (
        '<tu><tuv xml:lang="en-US"><seg>A.</seg></tuv><tuv xml:lang="en-US"><seg>B.</seg></tuv>'
        '<tuv xml:lang="ru-RU"><seg>А.</seg></tuv></tu>'
    )
    assert rules(tmx(tmp_path, none)) == {"no-source-tuv": "error"}
    assert rules(tmx(tmp_path, two)) == {"source-tuvs": "error"}


def test_duplicate_tuid(tmp_path):
    body = TU.format(id=7, src="A.", tgt="А.") + TU.format(id=7, src="B.", tgt="Б.")
    problems = validate_tmx(tmx(tmp_path, body))
    assert [(p.rule, p.level) for p in problems] == [("duplicate-tuid", "error")]
    assert "'7'" in problems[0].message


def test_multi_sentence_unit_marked_sentence_is_warned(tmp_path):
    body = TU.format(id=1, src="The cat sat. It was warm.", tgt="Кот сидел. Было тепло.")
    assert rules(tmx(tmp_path, body)) == {"multi-sentence": "warning"}
    ok = '<tu segtype="paragraph"' + body[3:]
    assert rules(tmx(tmp_path, ok)) == {}


@pytest.mark.parametrize(
    "src",
    ["Hello\n      world.", " Hello world.", "Hello world. ", "Hello  world."],
    ids=["pretty-printed", "leading", "trailing", "doubled"],
)
def test_whitespace_drift_is_warned(tmp_path, src):
    assert rules(tmx(tmp_path, TU.format(id=1, src=src, tgt="Привет."))) == {
        "whitespace": "warning"
    }


def test_structure_dates_and_props(tmp_path):
    body = (
        '<tu creationdate="2024-01-01"><prop>x</prop><tuv xml:lang="en-US"><seg>A.</seg></tuv>'
        '<note>late</note><tuv xml:lang="ru-RU"><seg>А.</seg><seg>Б.</seg></tuv></tu><tuv/>'
    )
    assert set(rules(tmx(tmp_path, body))) == {
        "date",
        "prop-type",
        "order",
        "seg-count",
        "unexpected-element",
    }


def test_missing_header_and_body(tmp_path):
    path = tmp_path / "t.tmx"
    path.write_text('<tmx version="1.4"></tmx>', encoding="utf-8")
    assert set(rules(path)) == {"missing-header", "missing-body"}


def test_multi_sentence_heuristic():
    assert multi_sentence("It rained. We stayed home.")
    assert multi_sentence("Шёл дождь. Мы остались дома.")
    assert multi_sentence("雨が降った。家にいた。")
    assert not multi_sentence("It rained on 3.5 km of road.")
    assert not multi_sentence("Version 2. is out")  # no capital after the stop
    assert not multi_sentence("One sentence only.")


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "is empty"), (b"<tmx><body></tmx>", "not well-formed"), (b"<xliff/>", "XLIFF")],
)
def test_non_tmx_input_raises(tmp_path, content, problem):
    path = tmp_path / "x.tmx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem):
        validate_tmx(path)


B, E = '<bpt i="{}">&lt;b&gt;</bpt>', '<ept i="{}">&lt;/b&gt;</ept>'


@pytest.mark.parametrize(
    ("src", "message"),
    [
        (f"Press {B.format(1)}Save.", '<seg> (en-US): <bpt i="1"> has no matching <ept i="1">'),
        (f"Press {E.format(2)}Save.", '<seg> (en-US): <ept i="2"> has no <bpt i="2"> before it'),
        (f"{E.format(3)}Press {B.format(3)}Save.", '<ept i="3"> has no <bpt i="3"> before it'),
        (
            f"{B.format(4)}A{E.format(4)} {B.format(4)}B{E.format(4)}.",
            'duplicate <bpt i="4">: i must be unique in the segment',
        ),
        ("Press <bpt>&lt;b&gt;</bpt>Save<ept>&lt;/b&gt;</ept>.", "<bpt> has no i attribute"),
        (  # a <sub> is a flow of its own: its pair cannot close outside it
            f'A<ph type="fnote"><sub>note {B.format(5)}x</sub></ph>{E.format(5)}.',
            '<bpt i="5"> has no matching <ept i="5">',
        ),
    ],
)
def test_unpaired_inline_codes_are_errors(tmp_path, src, message):
    problems = validate_tmx(tmx(tmp_path, TU.format(id="t7", src=src, tgt="Нажмите.")))
    pairs = [p for p in problems if p.rule == "inline-pair"]
    assert pairs and all(p.level == "error" for p in pairs)
    assert any(p.message.startswith("<tu tuid='t7'> <seg> (en-US): ") for p in pairs)
    assert any(message in p.message for p in pairs), pairs


def test_paired_inline_codes_pass(tmp_path):
    """Pairs may cross <hi>, nest, reuse an i in the other <tuv>; <sub> pairs on its own."""
    src = (
        f'{B.format(1)}Press <hi type="b">{B.format(2)}Save{E.format(1)}</hi> now{E.format(2)}'
        f'<ph x="3">&lt;img&gt;<sub>Alt {B.format(1)}text{E.format(1)}</sub></ph>.'
    )
    tgt = f"Нажмите {B.format(1)}Сохранить{E.format(1)}."
    assert validate_tmx(tmx(tmp_path, TU.format(id=1, src=src, tgt=tgt))) == []


def test_unpaired_code_in_tu_without_tuid_names_its_position(tmp_path):
    ok = TU.format(id=1, src="A.", tgt="А.")
    bad = TU.format(id=2, src=f"B{B.format(7)}.", tgt="Б.").replace(' tuid="2"', "")
    [problem] = validate_tmx(tmx(tmp_path, ok + bad))
    assert problem.message == '<tu #2> <seg> (en-US): <bpt i="7"> has no matching <ept i="7">'


def test_validate_cli_reports_unpaired_codes_as_json(tmp_path):
    import json

    from click.testing import CliRunner

    from align.cli import main

    path = tmx(tmp_path, TU.format(id="x", src=f"B{E.format(9)}.", tgt="Б."))
    res = CliRunner().invoke(main, ["tmx", "validate", str(path), "--json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == [
        {
            "line": 5,
            "message": '<tu tuid=\'x\'> <seg> (en-US): <ept i="9"> has no <bpt i="9"> before it',
            "level": "error",
            "rule": "inline-pair",
        }
    ]


def test_written_codes_always_pair(tmp_path):
    """Codes read with a reused i, a lone begin and codes from XLIFF are written as valid pairs."""
    from align.model import InlineCode, inline_text

    b = InlineCode("begin", "bpt", (("i", "1"),), "&lt;b&gt;", "1", "tmx")
    e = InlineCode("end", "ept", (("i", "1"),), "&lt;/b&gt;", "1", "tmx")
    g = InlineCode("begin", "g", (("id", "1"),), fmt="xliff-1.2")
    end_g = InlineCode("end", "g", fmt="xliff-1.2")
    content = ("A", b, "a", e, " ", b, "b", e, " ", g, "c", end_g, " ", b, "d.")
    unit = TranslationUnit(inline_text(content), "Д.", "en", "ru", source_content=content)
    out = tmp_path / "codes.tmx"
    write_tmx(out, [unit], src_lang="en", tgt_lang="ru")
    assert validate_tmx(out) == []
    assert out.read_text("utf-8").count("<bpt ") == 3  # the lone begin became an <it>
