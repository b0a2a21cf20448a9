"""Glossaries: TBX/CSV termbases, term QA and enforcement in the right grammatical form.

Stage 3. May import: ``align.text`` (reading files) and the shared leaves; never ``mt``
(translation applies the glossary, not the other way round).
"""

from align.glossary.check import Checker, Finding, check_segments
from align.glossary.fix import Change, Declined, Fixer, FixResult, fix_segment
from align.glossary.metrics import TermAccuracy, term_accuracy
from align.glossary.morph import Morphology, get_morphology, register_morphology
from align.glossary.termbase import Glossary, Term, load_glossary, save_glossary

__all__ = [
    "Change",
    "Checker",
    "Declined",
    "Finding",
    "FixResult",
    "Fixer",
    "Glossary",
    "Morphology",
    "Term",
    "TermAccuracy",
    "check_segments",
    "fix_segment",
    "get_morphology",
    "load_glossary",
    "register_morphology",
    "save_glossary",
    "term_accuracy",
]
