"""Scores for MT output (sacrebleu) and for sentence alignments (vecalign's metric).

Submodules load sacrebleu only when imported, so ``import align.scoring`` stays cheap.

Stage 5 (scoring). May import: ``align.text``, ``align.glossary``, ``align.aligner``
and the shared leaves.
"""
