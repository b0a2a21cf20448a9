"""Scores for MT output (sacrebleu) and for sentence alignments (vecalign's metric).

Submodules load sacrebleu only when imported, so ``import align.scoring`` stays cheap.
"""
