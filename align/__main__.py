"""``python -m align`` runs the command line, as the ``align`` script does."""

from align.cli import main

main()
