"""Stage 2, machine translation: Argos Translate packages on CTranslate2 + SentencePiece.

Holds: ``packages`` (validate, install, list, remove ``.argosmodel`` packages; route finding),
``engine`` (the batched translator), ``cache`` (the sqlite translation cache) and
``fixture`` (tiny hand-weighted test models, always labelled as fixtures).

May import: ``align.text`` and the shared leaves.
"""
