"""Pipes, FIFOs and standard input: read to the end, then read like a file.

A reader needs to look at a file more than once (the layout is sniffed from its
header, then the loader reads it; a big CSV is streamed by pyarrow from the first
data row). A pipe can be read only once, and its size is unknown, so
:func:`regular_file` copies a stream, to its end, into a temporary file and hands
that file to the reader; errors and :class:`~fundgap.loaded.Loaded` still name the
path the caller gave. What is read from where:

* a regular file: read in place;
* ``"-"``: standard input (refused when it is a terminal: nothing would end it);
* a pipe (``<(cat deals.csv)``, ``/dev/stdin`` fed by a pipe) or a named pipe (FIFO):
  copied to its end. A FIFO is opened without blocking and waited on for at most
  :data:`FIFO_WAIT_SECONDS` (environment variable ``FUNDGAP_FIFO_TIMEOUT``): a FIFO
  that no program writes to fails with a clear error instead of hanging;
* a device (``/dev/zero``, a terminal) or a socket: refused, since it has no end.

A stream larger than :data:`MAX_STREAM_BYTES` is refused once that many bytes have
been read.

Examples
--------
>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> fifo = os.path.join(d, "deals.csv")
>>> os.mkfifo(fifo)
>>> import fundgap
>>> os.environ["FUNDGAP_FIFO_TIMEOUT"] = "0.2"
>>> fundgap.read_rounds(fifo)
Traceback (most recent call last):
...
fundgap.errors.FileFormatError: .../deals.csv: a named pipe (FIFO) that nothing was written to within 0.2 s (no program writes to it?)
>>> del os.environ["FUNDGAP_FIFO_TIMEOUT"]
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import sys
import tempfile
from collections.abc import Iterator

from fundgap.errors import FileFormatError, FundgapError

__all__ = ["FIFO_WAIT_SECONDS", "MAX_STREAM_BYTES", "regular_file"]

#: Seconds to wait for a FIFO's first bytes before giving up (env ``FUNDGAP_FIFO_TIMEOUT``).
FIFO_WAIT_SECONDS = 5.0
#: A stream longer than this is refused (it is copied to a temporary file first).
MAX_STREAM_BYTES = 1 << 36
_CHUNK = 1 << 20


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("FUNDGAP_FIFO_TIMEOUT", FIFO_WAIT_SECONDS)))
    except ValueError:
        return FIFO_WAIT_SECONDS


def _open_stream(path: str, display: str) -> tuple[int, str]:
    """A blocking read descriptor on the stream ``path`` ("-" = stdin) and what it is."""
    if path == "-":
        fd = sys.stdin.fileno() if sys.stdin is not None else -1
        if fd < 0:
            raise FileFormatError("no standard input to read", file=display)
        if os.isatty(fd):
            raise FileFormatError("standard input is a terminal; pipe a file in "
                                  "(e.g. fundgap load - < deals.csv)", file=display)
        return os.dup(fd), "standard input"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise FileFormatError(f"cannot read: {exc.strerror or exc}", file=display) from None
    wait = _wait_seconds()
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLHUP)
    if not poller.poll(int(wait * 1000)):
        os.close(fd)
        raise FileFormatError(f"a named pipe (FIFO) that nothing was written to within {wait:g} s "
                              "(no program writes to it?)", file=display)
    os.set_blocking(fd, True)
    return fd, "a pipe"


def _copy(fd: int, out: int, display: str) -> int:
    total = 0
    while True:
        try:
            chunk = os.read(fd, _CHUNK)
        except OSError as exc:
            raise FileFormatError(f"cannot read the stream: {exc.strerror or exc}",
                                  file=display) from None
        if not chunk:
            return total
        total += len(chunk)
        if total > MAX_STREAM_BYTES:
            raise FileFormatError(f"stream longer than {MAX_STREAM_BYTES:,} bytes; refused "
                                  "(save it to a file first)", file=display)
        try:
            os.write(out, chunk)
        except OSError as exc:
            raise FileFormatError(f"cannot buffer the stream in the temporary folder: "
                                  f"{exc.strerror or exc}", file=display) from None


def kind_of(path: str) -> str:
    """"file", "stream" (a pipe, FIFO or "-"), "missing" or "device".

    Examples
    --------
    >>> kind_of("-"), kind_of("/no/such/file.csv")
    ('stream', 'missing')
    """
    if path == "-":
        return "stream"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"  # (the reader names the problem)
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "stream"
    return "device"


def _renamed(err: FundgapError, tmp: str, display: str) -> FundgapError:
    """``err`` naming ``display`` wherever it named the temporary copy ``tmp``."""
    if err.file == tmp:
        err.file = display
    err.message = err.message.replace(tmp, display)
    err.args = (err._format(),)
    return err


@contextlib.contextmanager
def regular_file(path: str) -> Iterator[tuple[str, str | None]]:
    """Within the block, ``(readable, note)``: ``path`` itself if it is a file, else a
    temporary copy of the whole stream (removed afterwards) and a note saying so.

    A :class:`~fundgap.errors.FundgapError` raised in the block names ``path``, not
    the copy.

    Raises
    ------
    FileFormatError
        A device or socket, a terminal on standard input, a FIFO without a writer, an
        unreadable stream.
    """
    kind = kind_of(path)
    display = "<stdin>" if path == "-" else path
    if kind in ("file", "missing"):
        yield path, None
        return
    if kind == "device":
        raise FileFormatError("is a device or socket, not a file or a pipe (it has no end)",
                              file=display)
    fd, what = _open_stream(path, display)
    out, tmp = -1, ""
    try:
        out, tmp = tempfile.mkstemp(prefix="fundgap-stream-", suffix=".tmp")
        n = _copy(fd, out, display)
    except BaseException:
        if tmp:
            os.close(out)
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)
    os.close(out)
    try:
        yield tmp, f"read from {what}: {n:,} bytes, buffered whole before reading"
    except FundgapError as err:
        raise _renamed(err, tmp, display) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
