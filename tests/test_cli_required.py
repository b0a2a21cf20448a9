"""Every required option of every command is reported missing when left out.

Click 8.3+ reads an explicit ``default=None`` as a value, which silently turned
required options optional (``align align a b`` without ``-s`` ended in a
traceback). This walks the whole command tree, so a new command inherits the check.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from align.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)  # the top group loads its commands lazily
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


CASES = [
    (path, cmd, opt)
    for path, cmd in _commands(main)
    for opt in cmd.params
    if isinstance(opt, click.Option) and opt.required
]


def _value(param: click.Parameter, path: str) -> str:
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    return {"src_lang": "en", "tgt_lang": "ru"}.get(param.name or "", path)


def test_the_tree_has_required_options():
    names = {(" ".join(p), o.name) for p, _, o in CASES}
    assert {("align", "src_lang"), ("align", "tgt_lang"), ("translate", "tgt_lang")} <= names


@pytest.mark.parametrize(
    ("path", "cmd", "missing"), CASES, ids=[f"{' '.join(p)}:{o.name}" for p, _, o in CASES]
)
def test_required_option_left_out_is_missing(tmp_path, path, cmd, missing):
    file = tmp_path / "in.txt"
    file.write_text("Hello.\n", encoding="utf-8")
    args: list[str] = []
    for p in cmd.params:
        if p is missing or not p.required:
            continue
        if isinstance(p, click.Option):
            args += [p.opts[0], _value(p, str(file))]
        else:
            args.append(_value(p, str(file)))
    with pytest.raises(click.MissingParameter) as err:
        cmd.make_context(" ".join(path), args)
    assert err.value.param is missing


def test_align_without_languages_says_so_in_one_usage_error(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Hello.\n", encoding="utf-8")
    b.write_text("Hallo.\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["align", str(a), str(b)])
    assert res.exit_code == 2
    assert "Missing option '-s' / '--src-lang'" in res.output
    assert "Traceback" not in res.output
