"""``python -m copydesk``: the copydesk command line."""

from ._cli import main

main()
