"""Scores for MT output (sacrebleu) and for sentence alignments (vecalign's metric).

Submodules load sacrebleu only when imported, so ``import align.scoring`` stays cheap.

Stage 6 (scoring). May import: ``align.text``, ``align.glossary``, ``align.aligner``, the
export formats (``align.tmx``, ``align.xliff``: post-edited files are scored) and the leaves.
"""
