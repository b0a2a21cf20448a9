"""A code that is not a tag but a language's name or a country's code gets a hint (one line)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from cli_helpers import cli, work_folder

from align.langtags import parse_tag, user_tag

NOT_A_TAG = "is not a BCP 47 language tag like en, ru or pt-BR"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("azerbaijani", f"'azerbaijani' {NOT_A_TAG}; did you mean 'az' (Azerbaijani)?"),
        ("Ukrainian", f"'Ukrainian' {NOT_A_TAG}; did you mean 'uk' (Ukrainian)?"),
        ("Farsi", f"'Farsi' {NOT_A_TAG}; did you mean 'fa' (Persian)?"),
        (
            "ua",
            f"'ua' {NOT_A_TAG}; 'UA' is a country code (Ukraine): "
            "its main language is 'uk' (Ukrainian)",
        ),
        ("xx", f"'xx' {NOT_A_TAG}"),  # no such country
        ("zz", f"'zz' {NOT_A_TAG}"),  # "unknown region", not a country
        ("auto", f"'auto' {NOT_A_TAG}"),
        ("../x", f"'../x' {NOT_A_TAG}"),
    ],
)
def test_user_tag_message(code, message):
    with pytest.raises(ValueError) as err:
        user_tag(code)
    assert str(err.value) == message
    assert "\n" not in str(err.value)


def test_parse_tag_message():
    with pytest.raises(ValueError) as err:
        parse_tag("azerbaijani")
    assert str(err.value) == f"language 'azerbaijani' {NOT_A_TAG}; did you mean 'az' (Azerbaijani)?"
    with pytest.raises(ValueError) as err:
        parse_tag("xx", what="target language")
    assert str(err.value) == f"target language 'xx' {NOT_A_TAG}"


@pytest.mark.parametrize(
    ("code", "tag"),
    [("en", "en"), ("en_gb", "en-GB"), ("EN-gb", "en-GB"), ("pt-BR", "pt-BR"),
     ("zh_Hant", "zh-Hant"), ("eng_Latn", "en"), ("rus", "ru"), ("azj_Latn", "az-Latn"),
     ("uk", "uk"), ("de", "de")],
)  # fmt: skip
def test_valid_tags_unchanged(code, tag):
    assert user_tag(code) == tag


def test_no_hint_and_no_output_without_language_data():
    """Without langcodes' [data] extra the message is the bare one and nothing is printed."""
    script = (
        "import sys; sys.modules['language_data'] = None\n"
        "from align.langtags import user_tag\n"
        "for code in ('azerbaijani', 'ua'):\n"
        "    try:\n"
        "        user_tag(code)\n"
        "    except ValueError as exc:\n"
        "        sys.stderr.write(str(exc) + '\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == ""
    assert done.stderr == f"'azerbaijani' {NOT_A_TAG}\n'ua' {NOT_A_TAG}\n"


def test_cli_hints_a_language_name(tmp_path, monkeypatch):
    work_folder(tmp_path, monkeypatch, {"a.txt": "Hello.\n", "b.txt": "Salam.\n"})
    res = cli("align", "a.txt", "b.txt", "-s", "en", "-t", "azerbaijani")
    assert res.exit_code == 2
    assert "did you mean 'az' (Azerbaijani)?" in res.stderr
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
