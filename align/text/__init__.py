"""Stage 1, reading documents: decoding, boilerplate removal, SRX segmentation, serialisation.

Holds: ``textio`` (bytes → text with encoding detection; line files), ``script`` (Unicode
script of characters and strings), ``langid`` (the one language guesser, for every command
not given a language), ``boilerplate`` (data-driven web-debris rules),
``ingest`` (plain text / HTML → :class:`align.model.Document`), ``segment`` (SRX sentence
segmentation) and ``documents`` (JSON and line views of a document).

May import: the shared leaves only (``align.model``, ``errors``, ``fsutil``, ``xmlsafe``,
``cachedir``, ``langtags``).
"""
