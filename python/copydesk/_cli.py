"""The ``copydesk`` command installed with the package."""

from __future__ import annotations

import signal
import sys
from typing import List, NoReturn, Optional


def main(argv: Optional[List[str]] = None) -> NoReturn:
    """Run the copydesk command line and exit with its status (0, 1 or 2).

    The command is the Rust command line itself, run in the extension
    module: the same options, output and exit codes as the native binary.
    """
    from ._copydesk import run_cli

    # The interpreter turns Ctrl-C into KeyboardInterrupt, which cannot
    # interrupt Rust code; restore the default so it ends the command as it
    # ends the binary. SIGPIPE is ignored by both, so `| head` is quiet.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    args = sys.argv[1:] if argv is None else argv
    sys.exit(run_cli(["copydesk", *args]))
