"""The main job (``align run``): every stage on one document pair, plus its HTML report.

Holds: ``job`` (the pipeline), ``mt`` (its machine-translation step), ``report_data`` and
``report`` (the review page).

May import: every stage (it is the top of the flow); only the CLI imports it.
"""
