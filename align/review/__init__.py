"""``align review``: correct an alignment in the browser, offline, and export the TMX.

Open a TMX, a bead jsonl or an ``align run`` folder (:func:`open_source`), edit
it through :class:`ReviewSession` (every action journalled beside the input,
see :mod:`align.review.journal`), serve the page with :func:`serve`, and write
TMX/TSV/jsonl with :func:`export`.

Top stage (like ``align.run``): may import every stage and the shared leaves.
"""

from align.review.export import export, export_format
from align.review.inputs import Source, open_source
from align.review.model import EditError, ReviewDoc
from align.review.session import ReviewSession

__all__ = [
    "EditError",
    "ReviewDoc",
    "ReviewSession",
    "Source",
    "export",
    "export_format",
    "open_source",
]
