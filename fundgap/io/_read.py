"""Robust reading of CSV and XLSX exports into a frame of strings.

Every loader reads through :func:`read_table`, which

* recognises what the file is from its first bytes (CSV text, XLSX, a zip that is
  not a workbook, a legacy ``.xls``, gzip, PDF, binary garbage) and raises
  :class:`~fundgap.errors.FileFormatError` for what it cannot read;
* decodes UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252, else
  latin-1, and says in the notes when it fell back;
* accepts CR-only (classic Mac / old Excel) and CRLF line endings;
* sniffs the delimiter among ``,``, ``;``, tab and ``|``;
* finds the header row below banner or metadata rows (PitchBook puts about six
  banner rows above it; Dealroom's Sentence-case export two metadata rows);
* drops trailing empty columns without a header and all-empty rows (and counts
  them in the notes), renames duplicated headers ``X``, ``X.1`` ... (and records
  them);
* keeps every cell as a string (missing where the cell is empty) so that
  rejected rows keep their raw values;
* reads CSV with pyarrow (multi-threaded) and XLSX with python-calamine, after
  :mod:`fundgap.io._xlsx` has checked every part of the workbook against a budget
  (sizes, rows, columns, cells, shared strings) and refused DTDs and entity
  declarations (XML bombs, XXE) before any parsing;
* reads a pipe, FIFO or standard input (``"-"``) to its end first
  (:mod:`fundgap.io._stream`);
* records for every data row its 1-based row in the file (``source_row``): the
  record number as a spreadsheet shows it, header and banner rows included.

Rows that cannot be split into the header's fields (a truncated last line, a
row with extra fields) are not dropped: they come back in ``RawTable.bad_rows``
and loaders put them in their rejects.

Examples
--------
>>> import os, tempfile
>>> from fundgap.io._read import read_table
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "synthetic.csv")
>>> with open(p, "w", encoding="cp1252", newline="") as f:
...     _ = f.write("Exported 2024\\r\\r" "Name;Amount\\r" "Café;1,5\\r" ";\\r" "Bar;2\\r")
>>> t = read_table(p)
>>> t.frame["Name"].tolist(), t.source_row.tolist(), t.header_row
(['Café', 'Bar'], [4, 6], 3)
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import io
import itertools
import math
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FileFormatError, MissingColumnError

__all__ = ["RawTable", "check_duplicated", "peek_rows", "read_table", "require_columns",
           "resolve_column"]

STR = pd.StringDtype("pyarrow")
# A cell longer than the csv module's default 131,072 characters is real data (a long
# Investors list): the limit is raised (never lowered) for the header peek and the sniffer.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
DELIMITERS = (",", ";", "\t", "|")
_PEEK_LINES = 60
_MAX_BANNER = 30
#: Files larger than this show a progress bar when stderr is a terminal.
PROGRESS_BYTES = 50_000_000
#: pyarrow CSV block size: 4 MiB reads as fast as the 1 MiB default on two cores and
#: gives four times fewer chunks (Arrow take and filter cost grows with the chunk count).
_BLOCK_BYTES = 1 << 22
_NON_BLANK = re.compile(rb"\S")

HeaderSpec = Callable[[list[str]], bool] | Iterable[str] | None
#: Columns to read as categoricals: names, or a function of the header's names.
CategoricalSpec = Callable[[list[str]], Iterable[str]] | Iterable[str] | None
#: Columns to read at all (the others are skipped): names, or a function of the header's names.
ColumnsSpec = Callable[[list[str]], Iterable[str]] | Iterable[str] | None


@dataclass
class RawTable:
    """A table as read: string cells, file row numbers, and what the reader did.

    Attributes
    ----------
    frame : DataFrame
        One column per header cell (string dtype, missing for empty cells).
    source_row : ndarray of int64
        1-based file row of each frame row.
    path : str
    header_row : int
        1-based file row of the header (0 if the file had no rows at all).
    notes : list of str
    bad_rows : DataFrame
        Rows that could not be split into the header's fields: ``source_row``,
        ``reason``, ``text``.
    n_empty_rows : int
        All-empty rows dropped (not counted as input rows).
    duplicated : dict
        Header name -> the names its duplicates were given (``X.1`` ...).
    skipped : list of str
        Header names of the columns not read (``read_table(columns=...)``).
    """

    frame: pd.DataFrame
    source_row: np.ndarray
    path: str
    header_row: int
    notes: list[str] = field(default_factory=list)
    bad_rows: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {"source_row": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype=object),
             "text": pd.Series([], dtype=object)}
        )
    )
    n_empty_rows: int = 0
    duplicated: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def n_input(self) -> int:
        """Data rows in the file: rows read plus rows that could not be split."""
        return len(self.frame) + len(self.bad_rows)

    @property
    def columns(self) -> list[str]:
        """The columns read (after de-duplication of the header's names)."""
        return list(self.frame.columns)

    @property
    def header(self) -> list[str]:
        """Every column of the file's header: the columns read, then the skipped ones."""
        return list(self.frame.columns) + list(self.skipped)


_PARALLEL: contextvars.ContextVar[bool] = contextvars.ContextVar("fundgap_parallel", default=True)


@contextlib.contextmanager
def parallel(enabled: bool):
    """Within the block, the reader and loader helpers of this thread use two threads
    (``enabled``) or only this one (a small file: starting threads costs more than they share).

    Examples
    --------
    >>> with parallel(False):
    ...     _threaded(lambda x: x + 1, [1, 2, 3, 4])
    [2, 3, 4, 5]
    """
    token = _PARALLEL.set(bool(enabled))
    try:
        yield
    finally:
        _PARALLEL.reset(token)


def _threaded(func: Callable[[Any], Any], items: list[Any], min_items: int = 4) -> list[Any]:
    """``[func(x) for x in items]`` on two threads (for Arrow kernels, which release the GIL);
    in this thread for fewer than ``min_items`` items, or within ``parallel(False)``."""
    if len(items) < min_items or not _PARALLEL.get():
        return [func(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as ex:
        return list(ex.map(func, items))


# --------------------------------------------------------------------------- bytes


def _err(message: str, path: str, **kw: Any) -> FileFormatError:
    return FileFormatError(message, file=path, **kw)


def _read_head(path: str, n: int) -> tuple[bytes, int]:
    """The first ``n`` bytes of the file and the file's size in bytes."""
    with _opened(path) as f:
        return f.read(n), os.fstat(f.fileno()).st_size


def _read_bytes(path: str) -> bytes:
    with _opened(path) as f:
        return f.read()


@contextlib.contextmanager
def _opened(path: str):
    """The file opened for reading bytes; OS errors become :class:`FileFormatError`."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise FileFormatError("file not found", file=path) from None
    except IsADirectoryError:
        raise FileFormatError("is a directory, not a file", file=path) from None
    except OSError as exc:
        raise FileFormatError(f"cannot read file: {exc.strerror or exc}", file=path) from None
    try:
        yield f
    except OSError as exc:
        raise FileFormatError(f"cannot read file: {exc.strerror or exc}", file=path) from None
    finally:
        f.close()


_MAGIC = {
    b"\xd0\xcf\x11\xe0": "a legacy Excel .xls (OLE2) workbook; save it as .xlsx or .csv",
    b"\x1f\x8b": "gzip-compressed; decompress it first",
    b"%PDF": "a PDF document, not a table",
    b"\x89PNG": "a PNG image, not a table",
    b"\xff\xd8\xff": "a JPEG image, not a table",
    b"7z\xbc\xaf": "a 7-zip archive; extract it first",
    b"Rar!": "a RAR archive; extract it first",
}


def _classify(data: bytes, path: str) -> str:
    """Return "zip" or "text", or raise for something that is neither."""
    if len(data) == 0:
        raise _err("file is empty (0 bytes)", path)
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "zip"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise _err(f"file is {what}", path, row=1, value=data[:8].hex(" "))
    head = data[:65536]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"  # UTF-16 with BOM (Excel "Unicode text")
    nul = head.count(b"\x00")
    ctrl = sum(head.count(bytes([c])) for c in (*range(0, 9), 11, 12, *range(14, 32)))
    if nul or ctrl > max(8, len(head) // 100):
        offset = head.find(b"\x00") if nul else next(
            i for i, b in enumerate(head) if b < 32 and b not in (9, 10, 13)
        )
        raise _err(
            "file is binary, not a CSV or XLSX table (control bytes found)",
            path,
            row=head[:offset].count(b"\n") + 1,
            value=head[max(0, offset - 8): offset + 8].hex(" "),
        )
    return "text"


def _decode(data: bytes, path: str, encoding: str | None, notes: list[str]) -> str:
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            pos = getattr(exc, "start", 0)
            raise _err(
                f"cannot decode with encoding={encoding!r}", path,
                row=data[:pos].count(b"\n") + 1, value=data[pos: pos + 8].hex(" "),
            ) from None
        return text.lstrip("\ufeff")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _err("UTF-16 file with invalid bytes", path, value=data[exc.start: exc.start + 8].hex(" ")) from None
        notes.append("decoded as UTF-16 (byte-order mark)")
        return text.lstrip("\ufeff")
    if data[:3] == b"\xef\xbb\xbf":
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    row = data[:first_bad].count(b"\n") + data[:first_bad].count(b"\r") * (b"\n" not in data[:first_bad]) + 1
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        notes.append(
            f"not valid UTF-8 (first bad byte 0x{data[first_bad]:02x} near row {row}); "
            f"decoded as {enc}; pass encoding= to override"
        )
        return text.lstrip("\ufeff")
    raise _err("cannot decode the file", path, row=row)  # pragma: no cover (latin-1 decodes anything)


def _fix_newlines(text: str, notes: list[str]) -> str:
    if "\r" not in text:
        return text
    n_crlf = text.count("\r\n")
    n_cr = text.count("\r") - n_crlf
    if n_cr and not n_crlf:
        notes.append("CR-only line endings (classic Mac/old Excel) read as line breaks")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- CSV


def _sniff_delimiter(lines: list[str], quotechar: str) -> str:
    best, best_score = ",", (-1, -1)
    sample = [ln for ln in lines if ln.strip()]
    for d in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=d, quotechar=quotechar)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        values, freq = np.unique(multi, return_counts=True)
        mode_i = int(np.argmax(freq))
        score = (int(freq[mode_i]), int(values[mode_i]))
        if score > best_score:
            best, best_score = d, score
    return best


def _header_index(rows: list[list[str]], header: HeaderSpec) -> int:
    cells = [[c.strip() for c in r] for r in rows]
    nonempty = [sum(1 for c in r if c) for r in cells]
    if not any(nonempty):
        return 0
    if callable(header):
        for i, r in enumerate(cells[:_MAX_BANNER]):
            if header([c for c in r if c]):
                return i
    elif header is not None:
        want = {h.strip().lower() for h in header}
        need = min(2, len(want))
        for i, r in enumerate(cells[:_MAX_BANNER]):
            if sum(1 for c in r if c.lower() in want) >= need:
                return i
    top = cells[:_MAX_BANNER]
    max_n = max(nonempty[: len(top)])
    if max_n <= 1:
        return next(i for i, n in enumerate(nonempty) if n)
    threshold = max(2, math.ceil(0.5 * max_n))
    for i, r in enumerate(top):
        if nonempty[i] < threshold:
            continue
        texty = sum(1 for c in r if c and not _NUMBER.fullmatch(c))
        if texty >= 0.7 * nonempty[i]:
            return i
    return next(i for i, n in enumerate(nonempty) if n >= threshold)


_NUMBER = re.compile(r"[-+$€£]?\s*[\d.,]+\s*[%kKmMbB]?n?")


def _header_names(cells: list[str], notes: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    names: list[str] = []
    seen: dict[str, int] = {}
    dup: dict[str, list[str]] = {}
    for j, c in enumerate(cells):
        name = re.sub(r"\s+", " ", (c or "").replace("\ufeff", "")).strip()
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'`":
            name = name[1:-1].strip()
        if not name:
            name = f"Unnamed: {j}"
        if name in seen:
            k = seen[name]
            new = f"{name}.{k}"
            while new in seen:
                k += 1
                new = f"{name}.{k}"
            seen[name] = k + 1
            seen[new] = 1
            dup.setdefault(name, []).append(new)
            name = new
        else:
            seen[name] = 1
        names.append(name)
    if dup:
        notes.append(
            "duplicated header(s) renamed: "
            + "; ".join(f"{k!r} -> {v}" for k, v in dup.items())
        )
    return names, dup


def _line_offsets(text: str, n_lines: int) -> int:
    """Character offset just after the first ``n_lines`` newline characters."""
    pos = -1
    for _ in range(n_lines):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return len(text)
    return pos + 1


def _parse_head(text: str, delimiter: str, quotechar: str, escapechar: str | None):
    """First records of the text, and the physical line each ends on."""
    head_text = text[: _line_offsets(text, _PEEK_LINES)]
    reader = csv.reader(
        io.StringIO(head_text), delimiter=delimiter, quotechar=quotechar,
        escapechar=escapechar, doublequote=escapechar is None, strict=False,
    )
    rows, ends = [], []
    try:
        for r in reader:
            rows.append(r)
            ends.append(reader.line_num)
    except csv.Error:
        pass
    return rows, ends


class _NotUtf8(Exception):
    """Internal: the fast UTF-8 path met bytes that are not UTF-8."""


_BREAK = re.compile(r"\r\n|\r|\n")


def _after_breaks(raw_text: str, n_breaks: int) -> int:
    """Offset in ``raw_text`` just after its first ``n_breaks`` line breaks (\\r\\n, \\r or \\n)."""
    if n_breaks <= 0:
        return 0
    for i, m in enumerate(_BREAK.finditer(raw_text), start=1):
        if i == n_breaks:
            return m.end()
    return len(raw_text)


class _Body:
    """Where the data rows of a CSV are: bytes in memory, or a byte range of a file.

    A file is streamed by pyarrow from ``offset`` (its bytes are never held in
    Python), which keeps the peak memory of a big read close to that of the table.
    """

    def __init__(self, data: Any = None, *, path: str | None = None, offset: int = 0,
                 size: int = 0) -> None:
        self.data, self.path, self.offset = data, path, offset
        self.size = len(data) if data is not None else size - offset

    def open(self) -> Any:
        import pyarrow as pa

        if self.data is not None:
            return pa.BufferReader(pa.py_buffer(self.data))
        f = pa.OSFile(self.path, "r")
        f.seek(self.offset)
        return f

    def is_blank(self) -> bool:
        if self.data is not None:
            return _NON_BLANK.search(self.data) is None  # (no copy, unlike bytes.strip)
        return False  # a file body is only streamed when it is large


def _csv_table(head: str, body_of: Callable[[int], _Body], path: str, *, header: HeaderSpec,
               delimiter: str | None, quotechar: str, escapechar: str | None, notes: list[str],
               progress: bool, fast: bool = False, categorical: CategoricalSpec = None,
               columns: ColumnsSpec = None) -> RawTable:
    """Read a CSV whose first lines (line breaks normalised to \\n) are ``head``;
    ``body_of(n)`` returns the :class:`_Body` after the first ``n`` line breaks."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first = head[: _line_offsets(head, _PEEK_LINES)].split("\n")
    if delimiter is None:
        delimiter = _sniff_delimiter(first, quotechar)
        if delimiter != ",":
            notes.append(f"delimiter sniffed: {delimiter!r}")
    rows, ends = _parse_head(head, delimiter, quotechar, escapechar)
    if not rows or not any(c.strip() for r in rows for c in r):
        raise _err("file holds no table (only blank lines)", path)
    h = _header_index(rows, header)
    if h:
        notes.append(f"header found on row {h + 1} below {h} banner/metadata row(s)")
    names, dup = _header_names(rows[h], notes)
    header_row = h + 1
    body = body_of(ends[h])
    as_dict = set(categorical(names) if callable(categorical) else (categorical or ()))
    wanted = _wanted_columns(names, dup, columns)
    col_types = {n: (pa.dictionary(pa.int32(), pa.string()) if n in as_dict else pa.large_string())
                 for n in names}

    bad: list[tuple[int | None, int, str]] = []

    block = [_BLOCK_BYTES]

    def read(use_threads: bool, newlines: bool = True, src: _Body = body,
             into: list | None = None) -> Any:
        def handler(row: Any) -> str:
            (bad if into is None else into).append((row.number, row.actual_columns, row.text))
            return "skip"

        ro = pacsv.ReadOptions(column_names=names, use_threads=use_threads, block_size=block[0])
        po = pacsv.ParseOptions(delimiter=delimiter, quote_char=quotechar,
                                escape_char=escapechar or False,
                                double_quote=escapechar is None, newlines_in_values=newlines,
                                ignore_empty_lines=False, invalid_row_handler=handler)
        co = pacsv.ConvertOptions(column_types=col_types, include_columns=wanted or [],
                                  strings_can_be_null=True, null_values=[""],
                                  quoted_strings_can_be_null=True)
        stream = src.open()
        try:
            if progress and src.size > PROGRESS_BYTES and sys.stderr.isatty():
                return _read_with_progress(stream, ro, po, co, total=src.size)
            return pacsv.read_csv(stream, read_options=ro, parse_options=po, convert_options=co)
        finally:
            stream.close()

    if body.size == 0 or body.is_blank():
        notes.append("header only: the file has no data rows")
        table = pa.table({n: pa.array([], type=pa.string()) for n in names})
        return _finish(table, np.zeros(0, dtype="int64"), path, header_row, notes,
                       _no_bad_rows(), dup, wanted, names)
    while True:
        try:
            table = _read_body(read, bad, body, fast, escapechar, delimiter, quotechar, block[0])
            break
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if fast and "UTF8" in msg.upper().replace("-", ""):
                raise _NotUtf8() from None
            if "straddl" in msg and block[0] < min(body.size + 1, _MAX_BLOCK):
                # a row longer than the block (a 50 MB Investors cell): larger blocks
                block[0] = min(block[0] * 16, _MAX_BLOCK)
                bad.clear()
                continue
            m = re.search(r"row (\d+)", msg)
            raise _err(
                "cannot parse the CSV (unbalanced quotes or a truncated file?)", path,
                row=(header_row + int(m.group(1))) if m else None,
                value=msg.split(":", 2)[-1].strip()[:120],
            ) from None
    if block[0] > _BLOCK_BYTES:
        notes.append(f"a row longer than {_BLOCK_BYTES >> 20} MiB: read in blocks of "
                     f"{block[0] >> 20} MiB")
    table, bad, reasons = _reread_after_unclosed_quote(table, bad, body, read, len(names), notes)
    n = table.num_rows
    # record numbers: every record is either a table row or a skipped bad row
    bad = sorted(bad, key=lambda b: b[0])
    bad_nums = np.array([b[0] for b in bad], dtype="int64") if bad else np.zeros(0, "int64")
    total = n + len(bad_nums)
    # (1-based file rows: the header's row plus the record number)
    source_row = np.arange(header_row + 1, header_row + total + 1, dtype="int64")
    if len(bad_nums):
        keep = np.ones(total, dtype=bool)
        keep[bad_nums - 1] = False
        source_row = source_row[keep]
    bad_rows = pd.DataFrame({
        "source_row": header_row + bad_nums,
        "reason": [reasons.get(b[0]) or
                   f"row has {b[1]} field(s), the header has {len(names)} (truncated or "
                   "misaligned row)" for b in bad],
        "text": [b[2] for b in bad],
    })
    return _finish(table, source_row, path, header_row, notes, bad_rows, dup, wanted, names)


#: The largest pyarrow block tried for a CSV whose rows are longer than the default block.
_MAX_BLOCK = 1 << 30
#: Unclosed quotes re-read after before the rest of a file is read line by line.
_MAX_QUOTE_SPLITS = 100


def _read_body(read: Callable[..., Any], bad: list, body: _Body, fast: bool,
               escapechar: str | None, delimiter: str, quotechar: str, block: int) -> Any:
    """Parse a CSV body with pyarrow: without newlines_in_values where no line near a block
    edge ends inside quotes (much faster), else with it; single-threaded where a bad row's
    record number is needed. Raises pyarrow's ArrowInvalid on a parse error."""
    import pyarrow as pa

    table = None
    if escapechar is None and not _unsafe_block_edges(body, delimiter, quotechar, block):
        # pyarrow reads much faster when it may cut blocks at any line break. Inside
        # a block a quoted line break is parsed right in either mode; at a block
        # edge it would split the value (checked above: no line near an edge ends
        # inside quotes). Bad rows or a parse error: read again with
        # newlines_in_values, and keep only the bad rows of that read.
        try:
            table = read(True, newlines=False)
        except pa.ArrowInvalid as exc:
            if (fast and "UTF8" in str(exc).upper().replace("-", "")) or "straddl" in str(exc):
                raise
            table = None
        if bad:
            table = None
        bad.clear()
    if table is None:
        table = read(True)
    if bad and any(b[0] is None for b in bad):
        bad.clear()
        table = read(False)
    return table


def _reread_after_unclosed_quote(table: Any, bad: list, body: _Body, read: Callable[..., Any],
                                 width: int, notes: list[str]) -> tuple[Any, list, dict]:
    """Account for the rest of a file after a quote that is not closed on its line.

    A quote opened and not closed makes the parser read on, across line breaks, until
    the next quote: one bad record that swallowed the lines in between (or the whole
    rest of the file). That record is reported at the row where the quote opens, and the
    lines after that row are read again as rows of their own, numbered on from it.
    Returns the table, the bad rows and their reasons by record number.
    """
    import pyarrow as pa

    reasons: dict[int, str] = {}
    if not any(_swallowed(b, width) for b in bad):
        return table, bad, reasons
    good = np.setdiff1d(np.arange(1, table.num_rows + len(bad) + 1),
                        np.array([b[0] for b in bad], dtype="int64"))
    src, base = body, 0  # (src's first record is record base + 1)
    for k in range(_MAX_QUOTE_SPLITS + 1):
        cands = [b for b in bad if b[0] > base and _swallowed(b, width)]
        if not cands:
            break
        rec = min(cands, key=lambda b: b[0])
        start = _offset_of(src, rec[2].encode("utf-8"))
        if start is None:
            break
        number = rec[0]
        first = rec[2].replace("\r\n", "\n").replace("\r", "\n").partition("\n")[0]
        rest_at = start + len(first.encode("utf-8"))
        rest_at += 2 if _window(src, rest_at, rest_at + 2) == b"\r\n" else 1
        # the record keeps its first line; what the parser read after it is read again
        keep = good < number
        table, good = table.filter(pa.array(keep)), good[keep]
        bad = [b for b in bad if b[0] < number] + [(number, rec[1], first)]
        reasons[number] = ("a quote opens on this row and is not closed on it; the lines after "
                           "it were read again as rows of their own")
        src = _Body(bytes(memoryview(src.data)[rest_at:])) if src.data is not None else _Body(
            path=src.path, offset=src.offset + rest_at, size=src.offset + src.size)
        base = number
        if src.size == 0 or src.is_blank():
            break
        sub_bad: list = []
        line_mode = k == _MAX_QUOTE_SPLITS  # (too many: the rest is read line by line)
        sub = _reread(read, src, sub_bad, line_mode)
        sub_nums = np.setdiff1d(np.arange(1, sub.num_rows + len(sub_bad) + 1),
                                np.array([b[0] for b in sub_bad], dtype="int64"))
        table = pa.concat_tables([table, sub.cast(table.schema)])
        good = np.concatenate([good, number + sub_nums])
        bad.extend((number + b[0], b[1], b[2]) for b in sub_bad)
        if line_mode:
            notes.append(f"more than {_MAX_QUOTE_SPLITS} unclosed quotes: the rest of the file "
                         "was read line by line")
    if reasons:
        notes.append(f"{len(reasons)} quote(s) not closed on their row: reported at the row where "
                     "each opens, the lines after read again as rows")
    return table, bad, reasons


def _swallowed(b: tuple, width: int) -> bool:
    """A bad record that ran across line breaks with too few fields (an unclosed quote)."""
    return b[1] < width and ("\n" in b[2] or "\r" in b[2])


def _offset_of(src: _Body, text: bytes) -> int | None:
    """Offset in ``src`` of the first occurrence of ``text`` (None if absent)."""
    if src.data is not None:
        i = bytes(memoryview(src.data)).find(text) if not isinstance(src.data, bytes) \
            else src.data.find(text)
        return None if i < 0 else i
    import mmap

    with open(src.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        i = mm.find(text, src.offset)
    return None if i < 0 else i - src.offset


def _reread(read: Callable[..., Any], src: _Body, sub_bad: list, line_mode: bool) -> Any:
    """Parse ``src`` single-threaded (record numbers known); its bad rows go to ``sub_bad``."""
    return read(False, not line_mode, src, sub_bad)


def _window(src: _Body, lo: int, hi: int) -> bytes:
    if src.data is not None:
        return bytes(memoryview(src.data)[lo:hi])
    with open(src.path, "rb") as f:
        f.seek(src.offset + lo)
        return f.read(hi - lo)


def _ends_in_quotes(line: bytes, delimiter: int, quote: int) -> bool:
    """True if ``line`` (one physical line, read from a record start) ends inside a quoted value."""
    in_q = False
    at_start = True
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if in_q:
            if c == quote:
                if i + 1 < n and line[i + 1] == quote:
                    i += 1  # doubled quote: a literal quote
                else:
                    in_q = False
        elif c == delimiter:
            at_start = True
            i += 1
            continue
        elif c == quote and at_start:
            in_q = True
        at_start = False
        i += 1
    return in_q


def _open_at_end(delimiter: int, quote: int) -> Callable[[bytes], bool]:
    """A test equal to :func:`_ends_in_quotes` for this delimiter and quote, by one regular
    expression (possessive, so linear in the line's length) instead of a loop per byte."""
    d, q = re.escape(bytes([delimiter])), re.escape(bytes([quote]))
    nd, nq = b"[^" + d + b"]", b"[^" + q + b"]"
    field = (q + b"(?:" + nq + b"|" + q + q + b")*+" + q + nd + b"*+"  # quoted, then literal
             + b"|[^" + q + d + b"]" + nd + b"*+|")                      # plain, or empty
    pattern = re.compile(b"(?:(?:" + field + b")" + d + b")*+" + q + b"(?:" + nq + b"|" + q + q
                         + b")*+\\Z", re.S)
    return lambda line: pattern.match(line) is not None


def _unsafe_block_edges(body: Any, delimiter: str, quotechar: str, block: int) -> bool:
    """True if a line that pyarrow may cut a block at (the two line breaks on each side of
    every multiple of ``block``) ends inside a quoted value -- reading without
    newlines_in_values could then split a value there -- or if that cannot be told.

    ``body`` is bytes or a :class:`_Body`; only a window around each edge is read.
    Outside the edges pyarrow parses quoted line breaks correctly in either mode."""
    if len(quotechar) != 1 or ord(quotechar) > 127 or len(delimiter) != 1 or ord(delimiter) > 127:
        return True
    if not isinstance(body, _Body):
        body = _Body(body)
    size = body.size
    q, d = ord(quotechar), ord(delimiter)
    half = 1 << 16
    if body.data is None:
        fd = os.open(body.path, os.O_RDONLY)
        window = lambda lo, hi: os.pread(fd, hi - lo, body.offset + lo)  # noqa: E731
    else:
        fd, mv = None, memoryview(body.data)
        window = lambda lo, hi: bytes(mv[lo:hi])  # noqa: E731
    try:
        return _edges_open(window, size, d, q, block, half)
    finally:
        if fd is not None:
            os.close(fd)


def _edges_open(window: Callable[[int, int], bytes], size: int, d: int, q: int, block: int,
                half: int) -> bool:
    ends_open = _open_at_end(d, q)
    for k in range(block, size, block):
        lo = max(0, k - half)
        win = window(lo, min(size, k + half))
        mid = k - lo
        # line breaks in the window (LF only: files with CR are not read this way)
        before = []
        pos = mid
        for _ in range(3):
            j = win.rfind(b"\n", 0, pos)
            if j < 0:
                break
            before.append(j)
            pos = j
        after = []
        pos = mid
        for _ in range(2):
            j = win.find(b"\n", pos)
            if j < 0:
                break
            after.append(j)
            pos = j + 1
        breaks = sorted(set(before + after))
        if len(before) < 3 and lo > 0 or len(after) < 2 and k + half < size:
            return True  # lines longer than the window: do not guess
        for a, b in itertools.pairwise(breaks):
            if ends_open(win[a + 1: b]):
                return True
    return False




def _no_bad_rows() -> pd.DataFrame:
    return pd.DataFrame({"source_row": pd.Series([], dtype="int64"),
                         "reason": pd.Series([], dtype=object), "text": pd.Series([], dtype=object)})


def _read_with_progress(stream: Any, ro: Any, po: Any, co: Any, total: int | None = None) -> Any:
    """Read a CSV stream (or bytes) batch by batch behind a tqdm progress bar."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from tqdm import tqdm

    if isinstance(stream, (bytes, bytearray, memoryview)):
        total = len(stream) if total is None else total
        stream = pa.BufferReader(pa.py_buffer(stream))
    reader = pacsv.open_csv(stream, read_options=ro, parse_options=po, convert_options=co)
    batches = []
    total = int(total or 0)
    with tqdm(total=total, unit="B", unit_scale=True, desc="reading", leave=False) as bar:
        done = 0
        for batch in reader:
            batches.append(batch)
            step = min(batch.nbytes, total - done)  # arrow bytes approximate file bytes
            bar.update(step)
            done += step
        bar.update(total - done)
    return pa.Table.from_batches(batches, schema=reader.schema)


def _wanted_columns(names: list[str], dup: dict[str, list[str]],
                    columns: ColumnsSpec) -> list[str] | None:
    """The header names to read, in the file's order (None: all). A wanted column's
    duplicates (``X.1`` ...) are read too, so that the copies can be compared."""
    if columns is None:
        return None
    want = set(columns(names) if callable(columns) else columns)
    for name in list(want):
        want.update(dup.get(name, []))
    keep = [n for n in names if n in want]
    return keep if len(keep) < len(names) else None


def _finish(table: Any, source_row: np.ndarray, path: str, header_row: int, notes: list[str],
            bad_rows: pd.DataFrame, dup: dict[str, list[str]],
            wanted: list[str] | None = None, header: list[str] | None = None) -> RawTable:
    import pyarrow as pa
    import pyarrow.compute as pc

    skipped: list[str] = []
    if wanted is not None:
        # (a CSV comes with the wanted columns only: pyarrow skipped the others)
        have = set(wanted)
        skipped = [c for c in header if c not in have]
        if table.column_names != wanted:
            table = table.select(wanted)
        named = [c for c in skipped if not c.startswith("Unnamed: ")]
        note = f"{len(wanted)} of {len(header)} columns read"
        if named:
            note += f"; not used by this loader: {named[:8]}{' ...' if len(named) > 8 else ''}"
        if len(named) < len(skipped):
            note += f"; {len(skipped) - len(named)} column(s) without a header not read"
        notes.append(note)
    n = table.num_rows
    # drop empty, header-less columns
    drop = [c for c in table.column_names
            if c.startswith("Unnamed: ") and table.column(c).null_count == n]
    if drop:
        table = table.drop_columns(drop)
        notes.append(f"{len(drop)} empty column(s) without a header dropped")
    named_unnamed = [c for c in table.column_names if c.startswith("Unnamed: ")]
    if named_unnamed:
        notes.append(f"column(s) without a header kept as {named_unnamed[:5]}")
    # drop all-empty rows
    n_empty = 0
    if n and table.num_columns:
        allnull = None
        for c in table.column_names:
            col = pc.is_null(table.column(c))
            allnull = col if allnull is None else pc.and_(allnull, col)
        mask = np.asarray(allnull.to_numpy(zero_copy_only=False), dtype=bool)
        n_empty = int(mask.sum())
        if n_empty:
            table = table.filter(pa.array(~mask))
            source_row = source_row[~mask]
            where = " in every column read" if skipped else ""
            notes.append(f"{n_empty} empty row(s){where} skipped (not counted as input rows)")
    coded = [c for c, t in zip(table.column_names, table.schema.types) if pa.types.is_dictionary(t)]
    plain = table.drop_columns(coded) if coded else table
    frame = plain.to_pandas(types_mapper={pa.string(): STR, pa.large_string(): STR}.get)
    if coded:  # (pyarrow's own conversion of dictionaries is several times slower)
        def categorical(c: str) -> pd.Categorical:
            return _categorical(table.column(c).unify_dictionaries())

        # (two threads: numpy copies and Arrow's unification release the GIL)
        cats = dict(zip(coded, _threaded(categorical, coded, min_items=2)))
        frame = pd.DataFrame({c: cats[c] if c in cats else frame[c] for c in table.column_names},
                             copy=False)
    frame.index = pd.RangeIndex(len(frame))
    if len(bad_rows):
        notes.append(f"{len(bad_rows)} row(s) could not be split into the header's fields")
    return RawTable(frame, np.asarray(source_row, dtype="int64"), path, header_row, notes,
                    bad_rows, n_empty, {k: v for k, v in dup.items() if k in frame.columns},
                    skipped)


def _categorical(col: Any) -> pd.Categorical:
    """A chunked Arrow dictionary column (dictionaries unified) as a pandas categorical of
    strings: the chunks' int32 indices copied from their buffers, nulls as code -1."""
    import pyarrow as pa

    if col.num_chunks == 0:
        return pd.Categorical([], categories=pd.Index([], dtype=STR))
    cats = col.chunk(0).dictionary.cast(pa.large_string())
    codes = np.empty(len(col), dtype=np.int32)
    null = np.zeros(len(col), dtype=bool) if col.null_count else None
    at = 0
    for ch in col.chunks:
        ind = ch.indices
        n, off = len(ind), ind.offset
        validity, data = ind.buffers()[:2]
        if n:
            codes[at: at + n] = np.frombuffer(data, dtype=np.int32, count=off + n)[off:]
            if ind.null_count:
                null[at: at + n] = np.unpackbits(np.frombuffer(validity, dtype=np.uint8),
                                                 count=off + n, bitorder="little")[off:] == 0
        at += n
    if null is not None:
        np.putmask(codes, null, -1)
    # categories in pandas' default string dtype, as pyarrow's to_pandas gives them
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(
        pd.array(cats, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))), validate=False)


# --------------------------------------------------------------------------- public


def read_table(
    path: str | os.PathLike,
    *,
    header: HeaderSpec = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str = '"',
    escapechar: str | None = None,
    sheet_name: str | int | None = None,
    progress: bool = True,
    categorical: CategoricalSpec = None,
    columns: ColumnsSpec = None,
) -> RawTable:
    """Read a CSV or XLSX export into a :class:`RawTable` of strings.

    Parameters
    ----------
    path : str or os.PathLike
    header : callable or iterable of str, optional
        How to recognise the header row: a predicate on the row's non-empty
        cells, or column names of which at least two must appear. By default
        the first row at least half as full as the fullest of the first 30
        rows, with mostly non-numeric cells.
    encoding : str, optional
        Skip detection and decode with this encoding.
    delimiter : str, optional
        Skip sniffing.
    quotechar, escapechar : str
        CSV quoting (MySQL dumps use ``quotechar="'"``, ``escapechar="\\\\"``).
    sheet_name : str or int, optional
        XLSX sheet (default: the first).
    progress : bool, default True
        Show a progress bar for large files when stderr is a terminal.
    categorical : iterable of str or callable, optional
        Header names (or a function of the header's names giving them) of columns
        with few distinct labels, read from a CSV as categoricals of their raw
        strings: hashed once while parsing, much smaller than one string per row.
        XLSX columns always come as strings.
    columns : iterable of str or callable, optional
        Header names (or a function of the header's names giving them) of the
        columns to read; the others are skipped by the CSV parser (and dropped from
        an XLSX sheet) and listed in :attr:`RawTable.skipped`. Copies of a wanted
        column under a duplicated header are read too. Default: every column. A
        row empty in every column read counts as an empty row.

    Returns
    -------
    RawTable

    Raises
    ------
    FileFormatError
        Missing, empty, binary, corrupt or unsafe files; undecodable text with
        an explicit encoding; unbalanced quotes.
    """
    from fundgap.io._stream import regular_file

    path = os.fspath(path)
    kw = dict(header=header, encoding=encoding, delimiter=delimiter, quotechar=quotechar,
              escapechar=escapechar, sheet_name=sheet_name, progress=progress,
              categorical=categorical, columns=columns)
    with regular_file(path) as (real, note):
        raw = _read_table(real, **kw)
        if real != path:
            raw.path = "<stdin>" if path == "-" else path
            raw.notes.insert(0, note)
    return raw


def _read_table(path: str, *, header: HeaderSpec, encoding: str | None, delimiter: str | None,
                quotechar: str, escapechar: str | None, sheet_name: Any, progress: bool,
                categorical: CategoricalSpec, columns: ColumnsSpec) -> RawTable:
    head, size = _read_head(path, _HEAD_BYTES + 4)
    notes: list[str] = []
    kind = _classify(head, path)
    if kind == "zip":
        from fundgap.io._xlsx import xlsx_table

        return xlsx_table(path, header=header, sheet_name=sheet_name, notes=notes,
                          columns=columns)
    kw = dict(header=header, delimiter=delimiter, quotechar=quotechar, escapechar=escapechar,
              progress=progress, categorical=categorical, columns=columns)
    if encoding is None or encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        fast = _fast_utf8(head, size, path, kw)
        if fast is not None:
            return fast
    data = head if len(head) == size else _read_bytes(path)
    text = _fix_newlines(_decode(data, path, encoding, notes), notes)
    del data
    _not_markup(text, path)
    if not text.strip():
        raise _err("file holds only blank space", path)

    def body_of(n_breaks: int) -> _Body:
        return _Body(text[_line_offsets(text, n_breaks):].encode("utf-8"))

    return _csv_table(text[: _line_offsets(text, _PEEK_LINES + 5)], body_of, path, notes=notes, **kw)


def _not_markup(text: str, path: str) -> None:
    head = text[:200].lstrip().lower()
    if head.startswith(("<?xml", "<html", "<!doctype", "<table")):
        raise _err("file is XML/HTML, not a CSV (an 'Excel' export saved as a web page?)",
                   path, row=1, value=text[:40])


_HEAD_BYTES = 1 << 20


def _fast_utf8(head_bytes: bytes, size: int, path: str, kw: dict) -> RawTable | None:
    """Read a UTF-8 CSV without decoding it in Python (pyarrow validates the UTF-8).

    ``head_bytes`` are the first bytes of the file, ``size`` its length. A large file
    is streamed by pyarrow from the first data row; its bytes are never held in
    Python. Returns None when the file is not UTF-8 (or starts with a UTF-16 BOM), so
    that the caller falls back to decoding with cp1252/latin-1.
    """
    import codecs

    if head_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    start = 3 if head_bytes.startswith(b"\xef\xbb\xbf") else 0
    whole = size <= len(head_bytes)
    chunk = head_bytes[start: start + _HEAD_BYTES]
    try:
        raw_head = codecs.getincrementaldecoder("utf-8")().decode(
            chunk, final=size - start <= _HEAD_BYTES)
    except UnicodeDecodeError:
        return None
    notes: list[str] = []
    _not_markup(raw_head, path)
    if not raw_head.strip():
        if size - start <= _HEAD_BYTES:
            raise _err("file holds only blank space", path)
        return None
    head = _fix_newlines(raw_head, notes)

    def body_of(n_breaks: int) -> _Body:
        off = start + len(raw_head[: _after_breaks(raw_head, n_breaks)].encode("utf-8"))
        if whole:
            return _Body(memoryview(head_bytes)[off:])  # no copy of the file's bytes
        return _Body(path=path, offset=off, size=size)

    try:
        return _csv_table(head, body_of, path, notes=notes, fast=True, **kw)
    except _NotUtf8:
        return None


def peek_rows(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str = '"',
    escapechar: str | None = None,
    sheet_name: str | int | None = None,
    n: int = _MAX_BANNER,
) -> list[list[str]]:
    """The first ``n`` rows of a file as lists of cell texts (for layout sniffing).

    Raises
    ------
    FileFormatError
        As :func:`read_table`.
    """
    from fundgap.io._stream import regular_file

    path = os.fspath(path)
    with regular_file(path) as (real, _note):
        return _peek_rows(real, encoding=encoding, delimiter=delimiter, quotechar=quotechar,
                          escapechar=escapechar, sheet_name=sheet_name, n=n)


def _peek_rows(path: str, *, encoding: str | None, delimiter: str | None, quotechar: str,
               escapechar: str | None, sheet_name: Any, n: int) -> list[list[str]]:
    head, size = _read_head(path, _HEAD_BYTES)  # (a CSV's first MiB: the rows are near the top)
    notes: list[str] = []
    if _classify(head, path) == "zip":
        from fundgap.io._xlsx import sheet_rows

        # (kept for the read that follows the sniff: the sheet is parsed once)
        from fundgap.io._xlsx import cell_text

        rows = sheet_rows(path, sheet_name, notes, keep=True, max_rows=n)
        return [["" if c is None else c for c in map(cell_text, r)] for r in rows]
    text = None
    if encoding is None and head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        import codecs

        try:  # a 1 MB cut may split a UTF-8 character: decode incrementally
            text = codecs.getincrementaldecoder("utf-8")().decode(
                head[3:] if head.startswith(b"\xef\xbb\xbf") else head, final=size <= _HEAD_BYTES)
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = _decode(head if len(head) % 2 == 0 else head[:-1], path, encoding, notes)
    text = _fix_newlines(text, notes)
    first = text[: _line_offsets(text, _PEEK_LINES)].split("\n")
    if delimiter is None:
        delimiter = _sniff_delimiter(first, quotechar)
    rows, _ = _parse_head(text, delimiter, quotechar, escapechar)
    return rows[:n]


def resolve_column(raw: RawTable, *names: str) -> str | None:
    """The first of ``names`` present in the table, matched case- and blank-insensitively.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> t = RawTable(pd.DataFrame({"Deal  size ": []}), np.zeros(0, "int64"), "x.csv", 1)
    >>> resolve_column(t, "Deal Size (USD M)", "Deal Size")
    'Deal  size '
    """
    norm = {re.sub(r"\s+", " ", c).strip().lower(): c for c in reversed(raw.frame.columns)}
    for n in names:
        hit = norm.get(re.sub(r"\s+", " ", n).strip().lower())
        if hit is not None:
            return hit
    return None


def require_columns(raw: RawTable, required: dict[str, tuple[str, ...]], source: str) -> dict[str, str]:
    """Map logical fields to the table's columns; raise if a required one is absent.

    Parameters
    ----------
    raw : RawTable
    required : dict
        Logical field -> accepted header names (alternatives).
    source : str
        Named in the error.

    Returns
    -------
    dict
        Logical field -> actual column name.

    Raises
    ------
    MissingColumnError
        Naming the file, the header row, every missing column and the columns seen.
    FileFormatError
        If a required column is duplicated in the header with different contents.
    """
    found, missing = {}, []
    for key, alts in required.items():
        col = resolve_column(raw, *alts)
        if col is None:
            missing.append(alts[0] if len(alts) == 1 else " or ".join(repr(a) for a in alts))
        else:
            found[key] = col
    if missing:
        raise MissingColumnError(
            f"{source} layout: missing required column(s) {missing}; columns seen: "
            f"{list(raw.frame.columns)[:40]}",
            file=raw.path, row=raw.header_row, column=str(missing[0]),
            expected=[a[0] for a in required.values()],
        )
    check_duplicated(raw, found.values())
    return found


def check_duplicated(raw: RawTable, used: Iterable[str]) -> None:
    """Raise if a column the loader uses appears twice in the header with different contents.

    Raises
    ------
    FileFormatError
        Naming the column, the first row where the copies differ and both values.
    """
    for col in used:
        for other in raw.duplicated.get(col, []):
            a, b = raw.frame[col], raw.frame[other]
            a, b = a.astype(object), b.astype(object)
            differ = (a.fillna("\x00") != b.fillna("\x00")).to_numpy(dtype=bool)
            if differ.any():
                i = int(np.argmax(differ))
                raise FileFormatError(
                    f"column {col!r} appears twice in the header with different values; "
                    "rename or delete one of them",
                    file=raw.path, row=int(raw.source_row[i]), column=col,
                    value=f"{a.iloc[i]!r} vs {b.iloc[i]!r}",
                )
            raw.notes.append(f"duplicated column {col!r} holds identical values; first used")
