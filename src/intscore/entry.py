"""The `intscore` console script. Signals and the garbage collector are set up here, before
anything heavy is imported, so an interrupt during start-up is a quiet exit, not a traceback;
and the script leaves without freeing what the run built (`run`)."""

from __future__ import annotations

import gc
import os
import signal
import sys
from contextlib import suppress
from types import FrameType

__all__ = ["main", "run"]


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


def run() -> None:
    """The console script: `main`, then out at once, as `sys.exit` would leave but without
    freeing, object by object, what the run built — at a million rows that takes longer than
    writing the ranking. Whatever is written has been flushed; files are closed and temporary
    ones removed by the commands themselves."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): the message, then exit 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe or stream: nothing more to say
            stream.flush()
    os._exit(code)
