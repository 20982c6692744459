"""What the command line writes, made safe for a terminal and a pipe.

- Every text goes through schemas.safe_text.printable: a control character in a cell (an escape
  sequence, a carriage return, a lone surrogate) is written as `\\x1b`, `\\r`, `\\ud800`, never acted on
  by the terminal nor failing the encoder.
- A reader that stops reading (`python cli.py validate | head -1`) ends the command quietly, with the
  exit status a shell gives a process stopped by SIGPIPE (141), never a traceback.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable

from schemas.safe_text import printable

CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports `yes | head -1`


class Printable(io.TextIOBase):
    """A text stream that writes every text through `printable` to the stream it wraps."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    @property
    def encoding(self) -> str:
        return self.stream.encoding

    def writable(self) -> bool:
        return True


def run_safely(main: Callable[[], int]) -> int:
    """`main()` with standard output and error made printable; a closed pipe ends it quietly."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a terminal that cannot show Khmer gets escapes, not a crash
    sys.stdout, sys.stderr = Printable(sys.stdout), Printable(sys.stderr)
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail noisily too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
        return CLOSED_PIPE
