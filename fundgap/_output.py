"""Safe file output: whole files or none, the umask honoured, CSV cells that stay text.

Every file fundgap writes (the ``load`` outputs and their rejects, the report's CSV
tables, figures and workbook) goes through :func:`atomic_write`:

* the bytes go to a temporary file in the destination folder (an anonymous
  ``O_TMPFILE`` where the system has it, so that a killed process leaves nothing
  behind; else a hidden ``.NAME.PID.XXXX.tmp`` file), are flushed and ``fsync``-ed,
  and the file is renamed over the destination in one step: a reader sees the old
  file or the new one, never a part of one;
* on any failure the temporary file is removed and the destination is untouched;
  a temporary file of an earlier run that was killed (its process is gone) is
  removed by the next write of the same file;
* the file gets the mode ``0o666`` less the process umask, as ``open()`` would give;
* operating-system errors (disk full, no permission, a read-only disk, a folder that
  is a file) become :class:`~fundgap.errors.OutputError` naming the file.

:func:`write_csv` applies the OWASP rule against CSV injection: a text cell (or
header) that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a
line feed gets a single quote in front, so that a spreadsheet shows it as text
instead of running it as a formula. Numbers are untouched, and so is text that is
a plain number (``"-5"`` stays ``-5``). :func:`unescape_text` undoes the quoting
exactly: fundgap's own reader of its CSV gets the original text back. A text that
already starts with quotes before one of those characters gets one more quote, so
that the round trip is exact for every string.

Examples
--------
>>> import os, tempfile
>>> import pandas as pd
>>> d = tempfile.mkdtemp()
>>> p = write_csv(pd.DataFrame({"name": ["=1+1", "Acme", "-5"], "x": [-1.5, 2.0, 3.0]}),
...               os.path.join(d, "t.csv"))
>>> print(open(p).read().strip())
name,x
'=1+1,-1.5
Acme,2.0
-5,3.0
>>> unescape_text(pd.Series(["'=1+1", "Acme", "-5"])).tolist()
['=1+1', 'Acme', '-5']
>>> sorted(os.listdir(d))  # no temporary file left
['t.csv']
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from fundgap._arrow import arrow_data
from fundgap.errors import OutputError

__all__ = ["TRIGGERS", "atomic_write", "atomic_write_all", "csv_writer", "escape_text", "prepare_folder", "remove_stale", "umask",
           "unescape_text", "write_csv", "write_parquet"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list, and LF).
TRIGGERS = "=+-@\t\r\n"
_TRIGGER_RE = r"^'*[=+\-@\t\r\n]"
_ESCAPED_RE = r"^'+[=+\-@\t\r\n]"
_NUMBER_RE = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_PY_TRIGGER = re.compile(_TRIGGER_RE)
_PY_ESCAPED = re.compile(_ESCAPED_RE)
_PY_NUMBER = re.compile(_NUMBER_RE)

_MESSAGES = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENAMETOOLONG: "file name too long",
    errno.EEXIST: "a part of the path is a file, not a folder",
}


# --------------------------------------------------------------------------- text


def escape_text(value: str) -> str:
    """``value`` as a CSV cell that a spreadsheet shows as text (see the module docstring).

    Examples
    --------
    >>> [escape_text(v) for v in ["=SUM(A1)", "@x", "\\tcmd", "-5", "-", "'=x", "Acme"]]
    ["'=SUM(A1)", "'@x", "'\\tcmd", '-5', "'-", "''=x", 'Acme']
    """
    if _PY_TRIGGER.match(value) and not _PY_NUMBER.match(value):
        return "'" + value
    return value


def _unescape_one(value: Any) -> Any:
    if isinstance(value, str) and _PY_ESCAPED.match(value):
        return value[1:]
    return value


def _arrow_of(s: Any) -> Any:
    arr = arrow_data(s)
    if arr is None:
        return None
    import pyarrow as pa

    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    return None


def _map_text(s: Any, scalar: Callable[[Any], Any], arrow: Callable[[Any], Any]) -> Any:
    """Apply a text rule to a Series: per category, by Arrow kernels, or per element."""
    import pandas as pd

    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        new = [scalar(c) if isinstance(c, str) else c for c in cats]
        if new == list(cats):
            return s
        return s.cat.rename_categories(new)
    arr = _arrow_of(s)
    if arr is not None:
        out = arrow(arr)
        if out is arr:
            return s
        return pd.Series(pd.array(out, dtype=s.dtype), index=s.index, name=s.name)
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        out = pd.Series([scalar(v) if isinstance(v, str) else v for v in s.to_numpy(dtype=object)],
                        index=s.index, name=s.name, dtype=object)
        return out if s.dtype == object else out.astype(s.dtype)
    return s


def _arrow_escape(arr: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    first = pc.utf8_slice_codeunits(arr, 0, 1)
    cand = pc.is_in(first, value_set=pa.array(list(TRIGGERS + "'"), type=first.type))
    if not pc.any(cand).as_py():
        return arr
    need = pc.and_(pc.match_substring_regex(arr, _TRIGGER_RE),
                   pc.invert(pc.match_substring_regex(arr, _NUMBER_RE)))
    if not pc.any(need).as_py():
        return arr
    quoted = pc.binary_join_element_wise(pa.scalar("'", type=arr.type), arr,
                                          pa.scalar("", type=arr.type))
    return pc.if_else(need, quoted, arr)


def _arrow_unescape(arr: Any) -> Any:
    import pyarrow.compute as pc

    need = pc.match_substring_regex(arr, _ESCAPED_RE)
    if not pc.any(need).as_py():
        return arr
    return pc.if_else(need, pc.utf8_slice_codeunits(arr, 1), arr)


def escape_frame(frame: Any) -> Any:
    """A copy of ``frame`` whose text cells and column names are escaped (:func:`escape_text`);
    columns of numbers, dates and booleans are left as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_frame(pd.DataFrame({"=h": ["+x", None], "n": [-1, 2]})).to_dict("list")
    {"'=h": ["'+x", nan], 'n': [-1, 2]}
    """
    import pandas as pd

    cols = {}
    for name in frame.columns:
        cols[escape_text(name) if isinstance(name, str) else name] = _map_text(
            frame[name], escape_text, _arrow_escape)
    return pd.DataFrame(cols, index=frame.index, copy=False)


def unescape_text(values: Any) -> Any:
    """Undo :func:`escape_text` on a Series of text (one leading quote removed where it was added).

    Examples
    --------
    >>> import pandas as pd
    >>> unescape_text(pd.Series(["'=x", "''=x", "'abc", "-5", None])).tolist()
    ['=x', "'=x", "'abc", '-5', nan]
    """
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    return _map_text(s, _unescape_one, _arrow_unescape)


# --------------------------------------------------------------------------- files

_UMASK_LOCK = threading.Lock()


def umask() -> int:
    """The process umask (read without changing it where the system allows).

    Examples
    --------
    >>> 0 <= umask() <= 0o777
    True
    """
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status",
                                                         encoding="ascii") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:  # (other systems: set and restore; the lock keeps our threads apart)
        old = os.umask(0o022)
        os.umask(old)
    return old


def _error(exc: OSError, path: Path, doing: str = "cannot write") -> OutputError:
    why = _MESSAGES.get(exc.errno or -1, exc.strerror or str(exc))
    return OutputError(f"{doing}: {why}", file=str(path))


def prepare_folder(path: str | os.PathLike) -> Path:
    """Check the destination ``path`` and make its folder; return the folder.

    Raises
    ------
    OutputError
        A part of the folder's path is a file, the folder cannot be made or written,
        or ``path`` is a folder.
    """
    path = Path(path)
    folder = path.parent
    for p in (folder, *folder.parents):  # a file where a folder must be
        if p.exists() or p.is_symlink():
            if not p.is_dir():
                raise OutputError(f"cannot write: {str(p)!r} is a file, not a folder",
                                  file=str(path))
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error(exc, path, "cannot create the folder") from None
    if path.is_dir():
        raise OutputError("cannot write: is a folder, not a file", file=str(path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError("cannot write: permission denied (folder not writable)",
                          file=str(path))
    return folder


def _temp_prefix(name: str) -> str:
    return f".{name}."


def _remove_dead_temps(folder: Path, name: str) -> None:
    """Remove temporary files of this destination left by runs whose process is gone."""
    prefix = _temp_prefix(name)
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            n = entry.name
            if not (n.startswith(prefix) and n.endswith(".tmp")):
                continue
            pid = n[len(prefix):].split(".", 1)[0]
            if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class _Temp:
    """A temporary file in ``folder``: anonymous (O_TMPFILE) where possible, else named."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name
        self.named: str | None = None
        self.file: IO[bytes] | None = None
        fd = self._anonymous()
        if fd is None:
            fd, self.named = self._mkstemp()
        self.fd = fd
        self.file = os.fdopen(fd, "wb")

    def _anonymous(self) -> int | None:
        flag = getattr(os, "O_TMPFILE", None)
        if flag is None or not os.path.isdir("/proc/self/fd"):
            return None
        try:
            return os.open(self.folder, flag | os.O_RDWR | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                return None  # (the file system has no anonymous files)
            raise

    def _mkstemp(self) -> tuple[int, str]:
        import tempfile

        fd, named = tempfile.mkstemp(dir=self.folder, suffix=".tmp",
                                     prefix=f"{_temp_prefix(self.name)}{os.getpid()}.")
        os.fchmod(fd, 0o666 & ~umask())  # (mkstemp makes 0600)
        return fd, named

    def stage(self) -> None:
        """Flush and sync the bytes, and give the file a name beside the destination."""
        self.file.flush()
        os.fsync(self.fd)
        if self.named is None:  # name the anonymous file (removed again if not committed)
            self.named = os.path.join(
                self.folder, f"{_temp_prefix(self.name)}{os.getpid()}.{secrets.token_hex(4)}.tmp")
            self._link(self.named)
        self.file.close()
        self.file = None

    def commit(self, path: Path) -> None:
        """Rename the staged file over ``path`` and sync the folder."""
        os.replace(self.named, path)
        self.named = None
        with contextlib.suppress(OSError):  # the rename itself made durable
            dfd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    def _link(self, named: str) -> None:
        """Name the anonymous file (linkat through /proc, following the fd's magic link);
        where that is refused, copy its bytes into a named temporary file instead."""
        try:
            pfd = os.open("/proc/self/fd", os.O_RDONLY)
            try:
                os.link(str(self.fd), named, src_dir_fd=pfd)
            finally:
                os.close(pfd)
        except OSError:
            fd, named2 = self._mkstemp()
            try:
                with os.fdopen(fd, "wb") as out:
                    offset = 0
                    while chunk := os.pread(self.fd, 1 << 20, offset):
                        out.write(chunk)
                        offset += len(chunk)
                    out.flush()
                    os.fsync(out.fileno())
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(named2)
                raise
            self.named = named2

    def discard(self) -> None:
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()
            self.file = None
        if self.named is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.named)
            self.named = None


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], Any]) -> Path:
    """Write a file whole or not at all: ``write(f)`` fills an open binary file that
    replaces ``path`` once complete (see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        The destination; its folder is created if need be.
    write : callable
        Called once with a binary file object open for writing.

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        The folder cannot be made or written, the disk is full, the path is a folder
        or lies under a file. The destination is then left as it was.

    Examples
    --------
    >>> import os, tempfile
    >>> p = atomic_write(os.path.join(tempfile.mkdtemp(), "a", "b.txt"), lambda f: f.write(b"hi"))
    >>> open(p).read()
    'hi'
    """
    return atomic_write_all([(path, write)])[0]


def atomic_write_all(jobs: Iterable[tuple[str | os.PathLike, Callable[[IO[bytes]], Any]]]
                     ) -> list[Path]:
    """:func:`atomic_write` for files that belong together (an output and its rejects):
    every file is written and synced first, then all are renamed into place, so that a
    failure leaves none of them changed.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> [p.name for p in atomic_write_all([(os.path.join(d, "x.csv"), lambda f: f.write(b"a")),
    ...                                    (os.path.join(d, "x.rejects.csv"), lambda f: f.write(b"b"))])]
    ['x.csv', 'x.rejects.csv']
    """
    jobs = [(Path(os.fspath(p)), w) for p, w in jobs]
    temps: list[_Temp] = []
    current = jobs[0][0] if jobs else Path()
    try:
        for path, write in jobs:
            current = path
            folder = prepare_folder(path)
            _remove_dead_temps(folder, path.name)
            tmp = _Temp(folder, path.name)
            temps.append(tmp)
            write(tmp.file)
            tmp.stage()
        for (path, _), tmp in zip(jobs, temps, strict=False):
            current = path
            tmp.commit(path)
    except OSError as exc:
        raise _error(exc, current) from None
    finally:
        for tmp in temps:
            tmp.discard()
    return [p for p, _ in jobs]


def csv_writer(frame: Any, *, index: bool = False, escape: bool = True
               ) -> Callable[[IO[bytes]], None]:
    """The ``write`` callable of :func:`atomic_write` for a DataFrame as UTF-8 CSV, text
    cells and column names escaped (see the module docstring) unless ``escape=False``."""
    out = escape_frame(frame) if escape else frame

    def write(f: IO[bytes]) -> None:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        out.to_csv(text, index=index)
        text.flush()
        text.detach()

    return write


def write_csv(frame: Any, path: str | os.PathLike, *, index: bool = False,
              escape: bool = True) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically, text cells escaped (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
    path : str or os.PathLike
    index : bool, default False
    escape : bool, default True
        Apply the CSV-injection rule to text cells and column names.

    Returns
    -------
    Path

    Raises
    ------
    OutputError
    """
    return atomic_write(path, csv_writer(frame, index=index, escape=escape))


def write_parquet(frame: Any, path: str | os.PathLike) -> Path:
    """Write a DataFrame as Parquet atomically (typed columns: no escaping is needed).

    Raises
    ------
    OutputError
    """
    return atomic_write(path, lambda f: frame.to_parquet(f, index=False))


def remove_stale(folder: str | os.PathLike, keep: Iterable[str | os.PathLike],
                 patterns: Iterable[str]) -> list[Path]:
    """Remove the files of ``folder`` matching ``patterns`` (globs) that are not in ``keep``:
    outputs of an earlier run that this run did not write again.

    Returns
    -------
    list of Path
        The files removed.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> for n in ("a.csv", "b.csv", "notes.txt"):
    ...     _ = open(os.path.join(d, n), "w").write("x")
    >>> [p.name for p in remove_stale(d, [os.path.join(d, "a.csv")], ["*.csv"])]
    ['b.csv']
    """
    folder = Path(folder)
    kept = {Path(k).resolve() for k in keep}
    gone = []
    if not folder.is_dir():
        return gone
    for pattern in patterns:
        for p in sorted(folder.glob(pattern)):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(p.lstat().st_mode) and p.resolve() not in kept:
                    p.unlink()
                    gone.append(p)
    return gone
