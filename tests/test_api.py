"""The public API in ``align/__init__.py``: every name resolves, is documented, and renders."""

from __future__ import annotations

import importlib
import importlib.util
import inspect

import pytest

import align

NEVER_RAISE = {"format_vecalign", "score_alignment"}  # pure functions over valid objects


def test_every_export_is_the_object_of_its_module():
    assert align.__all__ == sorted(align._EXPORTS)
    for name, module in align._EXPORTS.items():
        assert getattr(align, name) is getattr(importlib.import_module(module), name), name
    assert set(align.__all__) <= set(dir(align))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        align.nope  # noqa: B018


@pytest.mark.parametrize("name", sorted(align._EXPORTS))
def test_every_export_documents_itself(name):
    obj = getattr(align, name)
    doc = inspect.getdoc(obj) or ""
    assert len(doc) >= 40, f"{name} needs a docstring saying what it takes and returns"
    if inspect.isfunction(obj) and name not in NEVER_RAISE:
        assert "Raises" in doc or "raise" in doc, f"{name}'s docstring does not name its errors"


def test_api_page_renders_every_export():
    if importlib.util.find_spec("pdoc") is None:
        pytest.skip("pdoc (dev extra) is not installed")
    import pdoc

    html = pdoc.pdoc("align")
    for name in align.__all__:
        assert f'id="{name}"' in html, name
