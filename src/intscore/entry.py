"""The `intscore` console script. Signals and the garbage collector are set up here, before
anything heavy is imported, so an interrupt during start-up is a quiet exit, not a traceback."""

from __future__ import annotations

import gc
import signal
import sys
from types import FrameType

__all__ = ["main"]


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C would: `finally` blocks run, so no temporary file is left.
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the CLI: exit 130 on Ctrl-C, 143 on SIGTERM, whatever is being done."""
    # A short run that builds one big ranking and frees it at exit: the cyclic collector
    # would only rescan the ranking's many objects again and again.
    gc.disable()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from .cli import typer_app

        typer_app(sys.argv[1:])()
    except KeyboardInterrupt:
        sys.exit(130)
