"""One language guesser (align.text.langid) for every command not given a language.

The new-user trial: with the default ``-s auto`` ``segment`` and ``ingest`` called
every Latin-script text "en" (and split German after "3." and "Abs."), Ukrainian
"ru" and Chinese "und", silently, while ``tmx export`` told en→uk and en→az
apart. Now all three ask the same guesser, and ``segment``/``ingest`` name the
language they took in one stderr note. The FLORES-200 lines are copied into
tests/data (five per language), so no test needs shared/.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from cli_helpers import cli

from align.langtags import primary_language
from align.text.langid import LanguageGuess, detect_language, guess_language

DATA = Path(__file__).parent / "data" / "flores200_devtest_5.tsv"


def _flores() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = defaultdict(list)
    for line in DATA.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _, text = line.split("\t")
            rows[code].append(text)
    return dict(rows)


FLORES = _flores()
# (FLORES code, the tag guessed, py3langid's probability as the note prints it)
EXPECTED = [
    ("eng_Latn", "en", "100%"),
    ("deu_Latn", "de", "100%"),
    ("fra_Latn", "fr", "100%"),
    ("spa_Latn", "es", "100%"),
    ("tur_Latn", "tr", "100%"),
    ("azj_Latn", "az", "100%"),
    ("ukr_Cyrl", "uk", "100%"),
    ("rus_Cyrl", "ru", "100%"),
    ("zho_Hans", "zh", "99%"),
]


def test_the_fixture_holds_five_lines_of_each_language():
    assert sorted(FLORES) == sorted(code for code, _, _ in EXPECTED)
    assert {code: len(lines) for code, lines in FLORES.items()} == dict.fromkeys(FLORES, 5)


@pytest.mark.parametrize(("code", "tag", "likely"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_guess_language_tells_every_flores_language(code, tag, likely):
    guess = guess_language(FLORES[code])
    assert (guess.tag, guess.confident, guess.reason) == (tag, True, f"{likely} likely")
    assert primary_language(code) == primary_language(guess.tag)  # azj_Latn is az
    assert detect_language(FLORES[code]) == (tag, f"{likely} likely")  # tmx export's answer


@pytest.mark.parametrize(("code", "tag", "likely"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_segment_without_a_language_guesses_it_and_says_so(tmp_path, code, tag, likely):
    page = tmp_path / f"{code}.txt"
    page.write_text("\n".join(FLORES[code]) + "\n", "utf-8")
    res = cli("segment", str(page), "-f", "json", "-o", "-")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["lang"] == tag
    assert {p["lang"] for p in doc["paragraphs"]} == {tag}
    assert {s["lang"] for s in doc["segments"]} == {tag}
    assert res.stderr == (
        f"align: note: {page}: language guessed from the text: {tag} ({likely} likely); "
        "give -s CODE to set it\n"
    )
    # The sentences are those of the language's own rules.
    given = cli("segment", str(page), "-s", tag, "-f", "json", "-o", "-")
    assert given.exit_code == 0 and given.stderr == ""  # a language given: no note
    assert json.loads(given.stdout)["segments"] == doc["segments"]


GERMAN = (
    "Die Sitzung fand am 3. Oktober 2023 in Berlin statt. "
    "Der Ausschuss beschloss die Änderung nach Art. 5 Abs. 2 der Verordnung.\n"
)


@pytest.mark.parametrize("given", [[], ["-s", "auto"], ["-s", "de"]])
def test_german_ordinals_and_abbreviations_are_no_sentence_ends(tmp_path, given):
    page = tmp_path / "de.txt"
    page.write_text(GERMAN, "utf-8")
    res = cli("segment", str(page), *given, "-o", "-")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == (
        "Die Sitzung fand am 3. Oktober 2023 in Berlin statt.\n"
        "Der Ausschuss beschloss die Änderung nach Art. 5 Abs. 2 der Verordnung.\n"
    )
    note = (
        f"align: note: {page}: language guessed from the text: de (97% likely); "
        "give -s CODE to set it\n"
    )
    assert res.stderr == ("" if given == ["-s", "de"] else note)


def test_ingest_json_names_the_guessed_language(tmp_path):
    page = tmp_path / "uk.txt"
    page.write_text("\n\n".join(FLORES["ukr_Cyrl"]) + "\n", "utf-8")
    res = cli("ingest", str(page), "-f", "json", "-o", "-")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert (doc["lang"], {p["lang"] for p in doc["paragraphs"]}) == ("uk", {"uk"})
    assert res.stderr == (
        f"align: note: {page}: language guessed from the text: uk (100% likely); "
        "give -s CODE to set it\n"
    )


@pytest.mark.parametrize(
    ("text", "lang", "note"),
    [
        ("Hallo Welt.\n", "de",
         "language uncertain: guessed de, but only 11% likely (next: lb); give -s CODE to set it"),
        ("1 + 2 = 3, 4 × 5 = 20.\n", "und",
         "language not guessed (the text has no letters); give -s CODE to set it"),
    ],
    ids=["uncertain", "no letters"],
)  # fmt: skip
def test_an_uncertain_guess_says_so_naming_the_file(tmp_path, text, lang, note):
    page = tmp_path / "short.txt"
    page.write_text(text, "utf-8")
    res = cli("segment", str(page), "-f", "json", "-o", "-")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["lang"] == lang
    assert res.stderr == f"align: note: {page}: {note}\n"


def test_a_paragraph_in_another_script_gets_its_own_guess(tmp_path):
    # A Russian page quoting German: the quote is de (it was "en", the script's default).
    page = tmp_path / "mixed.txt"
    page.write_text("\n\n".join([*FLORES["rus_Cyrl"][:3], FLORES["deu_Latn"][2]]) + "\n", "utf-8")
    res = cli("ingest", str(page), "-s", "ru", "-f", "json", "-o", "-")
    assert res.exit_code == 0, res.stderr
    assert [p["lang"] for p in json.loads(res.stdout)["paragraphs"]] == ["ru", "ru", "ru", "de"]
    assert res.stderr == ""


@pytest.mark.parametrize(("tgt", "pair"), [("ukr_Cyrl", "en -> uk"), ("azj_Latn", "en -> az")])
def test_tmx_export_detects_with_the_same_guesser(tmp_path, tgt, pair):
    (tmp_path / "en.txt").write_text("\n".join(FLORES["eng_Latn"]) + "\n", "utf-8")
    (tmp_path / "xx.txt").write_text("\n".join(FLORES[tgt]) + "\n", "utf-8")
    res = cli("tmx", "export", "--src", str(tmp_path / "en.txt"), "--tgt",
              str(tmp_path / "xx.txt"), "-o", str(tmp_path / "m.tmx"))  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert f"align: note: languages {pair} (from the input; -s/-t to set)" in res.stderr


@pytest.mark.parametrize(
    ("code", "script", "tag"),
    [
        ("de", "Latin", "de"),
        ("sr", "Latin", "sr-Latn"),  # a language written in two scripts names the one used
        ("uz", "Cyrillic", "uz-Cyrl"),
        ("ru", "Latin", None),  # never a language whose script the text is not in
        ("en", "Cyrillic", None),
        ("zh", "Cjk", "zh"),
        ("zxx", "Latin", None),  # py3langid's "no linguistic content"
    ],
)
def test_a_guess_is_a_bcp47_tag_in_the_texts_script(code, script, tag):
    from align.text.langid import _tag_in_script

    assert _tag_in_script(code, script) == tag


def test_no_text_is_no_guess():
    assert guess_language(["", "  "]) == LanguageGuess(None, 0.0, False, "there is no text")
    assert detect_language([]) == (None, "there is no text")
