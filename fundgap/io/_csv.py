"""CSV text into a :class:`~fundgap.io._table.RawTable`: the delimiter, the header, pyarrow's parse.

:func:`csv_table` takes the first lines of a file (decoded, line breaks normalised) and
a function giving the rest of it as bytes (:class:`Body`), sniffs the delimiter, finds
the header, and parses the body with pyarrow. Rows that cannot be split into the
header's fields are kept aside (``bad_rows``), a row longer than pyarrow's block is
read with larger blocks, and a quote that is not closed on its row is reported there
while the lines after it are read again as rows of their own.

Examples
--------
>>> sniff_delimiter(["a;b;c", "1;2;3"], '"')
';'
"""

from __future__ import annotations

import csv
import io
import itertools
import mmap
import os
import re
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FileFormatError
from fundgap.io._table import (
    PEEK_LINES,
    ColumnsSpec,
    HeaderSpec,
    RawTable,
    finish,
    header_index,
    header_names,
    no_bad_rows,
    wanted_columns,
)

__all__ = ["Body", "NotUtf8", "csv_table", "line_offset", "parse_head", "sniff_delimiter"]

# A cell longer than the csv module's default 131,072 characters is real data (a long
# Investors list): the limit is raised (never lowered) for the header peek and the sniffer.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
DELIMITERS = (",", ";", "\t", "|")
#: Files larger than this show a progress bar when stderr is a terminal.
PROGRESS_BYTES = 50_000_000
#: pyarrow CSV block size: 4 MiB reads as fast as the 1 MiB default on two cores and
#: gives four times fewer chunks (Arrow take and filter cost grows with the chunk count).
BLOCK_BYTES = 1 << 22
#: The largest pyarrow block tried for a CSV whose rows are longer than the default block.
_MAX_BLOCK = 1 << 30
#: Unclosed quotes re-read after before the rest of a file is read line by line.
_MAX_QUOTE_SPLITS = 100
#: Bytes read on each side of a block edge to see whether a line there ends inside quotes, and
#: the line breaks looked at before and after the edge (the two lines pyarrow may cut at).
_EDGE_WINDOW = 1 << 16
_BEFORE, _AFTER = 3, 2
_NON_BLANK = re.compile(rb"\S")
_BREAK = re.compile(r"\r\n|\r|\n")


class NotUtf8(Exception):  # (a signal between two readers, never shown to users)
    """Internal: the fast UTF-8 path met bytes that are not UTF-8."""


def sniff_delimiter(lines: list[str], quotechar: str) -> str:
    """The delimiter among ``, ; tab |`` that splits most lines into the same number of fields."""
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


def line_offset(text: str, n_lines: int) -> int:
    """Character offset just after the first ``n_lines`` newline characters."""
    pos = -1
    for _ in range(n_lines):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return len(text)
    return pos + 1


def parse_head(text: str, delimiter: str, quotechar: str,
               escapechar: str | None) -> tuple[list[list[str]], list[int]]:
    """First records of the text, and the physical line each ends on."""
    head_text = text[: line_offset(text, PEEK_LINES)]
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


def after_breaks(raw_text: str, n_breaks: int) -> int:
    """Offset in ``raw_text`` just after its first ``n_breaks`` line breaks (\\r\\n, \\r or \\n)."""
    if n_breaks <= 0:
        return 0
    for i, m in enumerate(_BREAK.finditer(raw_text), start=1):
        if i == n_breaks:
            return m.end()
    return len(raw_text)


class Body:
    """Where the data rows of a CSV are: bytes in memory, or a byte range of a file.

    A file is streamed by pyarrow from ``offset`` (its bytes are never held in
    Python), which keeps the peak memory of a big read close to that of the table.
    """

    def __init__(self, data: Any = None, *, path: str | None = None, offset: int = 0,
                 size: int = 0) -> None:
        self.data, self.path, self.offset = data, path, offset
        self.size = len(data) if data is not None else size - offset

    def open(self) -> Any:
        """A pyarrow input stream over the body."""
        import pyarrow as pa

        if self.data is not None:
            return pa.BufferReader(pa.py_buffer(self.data))
        f = pa.OSFile(self.path, "r")
        f.seek(self.offset)
        return f

    def is_blank(self) -> bool:
        """True for a body of blank space only (a streamed file body is never blank)."""
        if self.data is not None:
            return _NON_BLANK.search(self.data) is None  # (no copy, unlike bytes.strip)
        return False  # a file body is only streamed when it is large

    def after(self, at: int) -> Body:
        """The body from byte ``at`` on."""
        if self.data is not None:
            return Body(bytes(memoryview(self.data)[at:]))
        return Body(path=self.path, offset=self.offset + at, size=self.offset + self.size)

    def find(self, text: bytes) -> int | None:
        """Offset of the first occurrence of ``text`` (None if absent)."""
        if self.data is not None:
            data = self.data if isinstance(self.data, bytes) else bytes(memoryview(self.data))
            i = data.find(text)
            return None if i < 0 else i
        with open(self.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            i = mm.find(text, self.offset)
        return None if i < 0 else i - self.offset

    def window(self, lo: int, hi: int) -> bytes:
        """The bytes from ``lo`` to ``hi``."""
        if self.data is not None:
            return bytes(memoryview(self.data)[lo:hi])
        with open(self.path, "rb") as f:
            f.seek(self.offset + lo)
            return f.read(hi - lo)


class _Parser:
    """pyarrow's CSV reader with one file's options; rows it cannot split go to ``bad``
    (record number, fields found, text)."""

    def __init__(self, names: list[str], col_types: dict, wanted: list[str] | None, *,
                 delimiter: str, quotechar: str, escapechar: str | None, progress: bool) -> None:
        self.names, self.col_types, self.wanted = names, col_types, wanted
        self.delimiter, self.quotechar, self.escapechar = delimiter, quotechar, escapechar
        self.progress = progress
        self.block = BLOCK_BYTES
        self.bad: list[tuple[int | None, int, str]] = []

    def __call__(self, src: Body, use_threads: bool, newlines: bool = True,
                 into: list | None = None) -> Any:
        import pyarrow.csv as pacsv

        bad = self.bad if into is None else into

        def handler(row: Any) -> str:
            bad.append((row.number, row.actual_columns, row.text))
            return "skip"

        ro = pacsv.ReadOptions(column_names=self.names, use_threads=use_threads,
                               block_size=self.block)
        po = pacsv.ParseOptions(delimiter=self.delimiter, quote_char=self.quotechar,
                                escape_char=self.escapechar or False,
                                double_quote=self.escapechar is None, newlines_in_values=newlines,
                                ignore_empty_lines=False, invalid_row_handler=handler)
        co = pacsv.ConvertOptions(column_types=self.col_types, include_columns=self.wanted or [],
                                  strings_can_be_null=True, null_values=[""],
                                  quoted_strings_can_be_null=True)
        stream = src.open()
        try:
            if self.progress and src.size > PROGRESS_BYTES and sys.stderr.isatty():
                return read_with_progress(stream, ro, po, co, total=src.size)
            return pacsv.read_csv(stream, read_options=ro, parse_options=po, convert_options=co)
        finally:
            stream.close()


def csv_table(head: str, body_of: Callable[[int], Body], path: str, *, header: HeaderSpec,
              delimiter: str | None, quotechar: str, escapechar: str | None, notes: list[str],
              progress: bool, fast: bool = False, categorical: ColumnsSpec = None,
              columns: ColumnsSpec = None) -> RawTable:
    """Read a CSV whose first lines (line breaks normalised to \\n) are ``head``;
    ``body_of(n)`` returns the :class:`Body` after the first ``n`` line breaks."""
    import pyarrow as pa

    if delimiter is None:
        delimiter = sniff_delimiter(head[: line_offset(head, PEEK_LINES)].split("\n"), quotechar)
        if delimiter != ",":
            notes.append(f"delimiter sniffed: {delimiter!r}")
    rows, ends = parse_head(head, delimiter, quotechar, escapechar)
    if not rows or not any(c.strip() for r in rows for c in r):
        raise FileFormatError("file holds no table (only blank lines)", file=path)
    h = header_index(rows, header)
    if h:
        notes.append(f"header found on row {h + 1} below {h} banner/metadata row(s)")
    names, dup = header_names(rows[h], notes)
    header_row = h + 1
    body = body_of(ends[h])
    as_dict = set(categorical(names) if callable(categorical) else (categorical or ()))
    wanted = wanted_columns(names, dup, columns)
    if body.size == 0 or body.is_blank():
        notes.append("header only: the file has no data rows")
        table = pa.table({n: pa.array([], type=pa.string()) for n in names})
        return finish(table, np.zeros(0, dtype="int64"), path=path, header_row=header_row,
                      notes=notes, bad_rows=no_bad_rows(), dup=dup, wanted=wanted, header=names)
    col_types = {n: (pa.dictionary(pa.int32(), pa.string()) if n in as_dict else pa.large_string())
                 for n in names}
    parse = _Parser(names, col_types, wanted, delimiter=delimiter, quotechar=quotechar,
                    escapechar=escapechar, progress=progress)
    table = _parse_body(parse, body, fast, path, header_row, notes)
    table, bad, reasons = _reread_after_unclosed_quote(table, parse, body, len(names), notes)
    source_row, bad_rows = _record_rows(table.num_rows, bad, reasons, header_row, len(names))
    return finish(table, source_row, path=path, header_row=header_row, notes=notes,
                  bad_rows=bad_rows, dup=dup, wanted=wanted, header=names)


def _parse_body(parse: _Parser, body: Body, fast: bool, path: str, header_row: int,
                notes: list[str]) -> Any:
    """The parsed body; blocks grow past a row longer than a block; a parse error raises
    :class:`FileFormatError` (or :class:`NotUtf8` on the fast path)."""
    import pyarrow as pa

    while True:
        try:
            table = _read_body(parse, body, fast)
            break
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if fast and "UTF8" in msg.upper().replace("-", ""):
                raise NotUtf8() from None
            if "straddl" in msg and parse.block < min(body.size + 1, _MAX_BLOCK):
                # a row longer than the block (a 50 MB Investors cell): larger blocks
                parse.block = min(parse.block * 16, _MAX_BLOCK)
                parse.bad.clear()
                continue
            m = re.search(r"row (\d+)", msg)
            raise FileFormatError(
                "cannot parse the CSV (unbalanced quotes or a truncated file?)", file=path,
                row=(header_row + int(m.group(1))) if m else None,
                value=msg.split(":", 2)[-1].strip()[:120],
            ) from None
    if parse.block > BLOCK_BYTES:
        notes.append(f"a row longer than {BLOCK_BYTES >> 20} MiB: read in blocks of "
                     f"{parse.block >> 20} MiB")
    return table


def _read_body(parse: _Parser, body: Body, fast: bool) -> Any:
    """Parse a CSV body with pyarrow: without newlines_in_values where no line near a block
    edge ends inside quotes (much faster), else with it; single-threaded where a bad row's
    record number is needed. Raises pyarrow's ArrowInvalid on a parse error."""
    import pyarrow as pa

    table = None
    if parse.escapechar is None and not unsafe_block_edges(body, parse.delimiter,
                                                           parse.quotechar, parse.block):
        # pyarrow reads much faster when it may cut blocks at any line break. Inside
        # a block a quoted line break is parsed right in either mode; at a block
        # edge it would split the value (checked above: no line near an edge ends
        # inside quotes). Bad rows or a parse error: read again with
        # newlines_in_values, and keep only the bad rows of that read.
        try:
            table = parse(body, True, newlines=False)
        except pa.ArrowInvalid as exc:
            if (fast and "UTF8" in str(exc).upper().replace("-", "")) or "straddl" in str(exc):
                raise
            table = None
        if parse.bad:
            table = None
        parse.bad.clear()
    if table is None:
        table = parse(body, True)
    if parse.bad and any(b[0] is None for b in parse.bad):
        parse.bad.clear()
        table = parse(body, False)
    return table


def _reread_after_unclosed_quote(table: Any, parse: _Parser, body: Body, width: int,
                                 notes: list[str]) -> tuple[Any, list, dict]:
    """Account for the rest of a file after a quote that is not closed on its line.

    A quote opened and not closed makes the parser read on, across line breaks, until
    the next quote: one bad record that swallowed the lines in between (or the whole
    rest of the file). That record is reported at the row where the quote opens, and the
    lines after that row are read again as rows of their own, numbered on from it.
    Returns the table, the bad rows and their reasons by record number.
    """
    import pyarrow as pa

    bad = parse.bad
    reasons: dict[int, str] = {}
    if not any(_swallowed(b, width) for b in bad):
        return table, bad, reasons
    good = np.setdiff1d(np.arange(1, table.num_rows + len(bad) + 1),
                        np.array([b[0] for b in bad], dtype="int64"))
    src, base = body, 0  # (src's first record is record base + 1)
    for k in range(_MAX_QUOTE_SPLITS + 1):
        cut = _cut_at_unclosed_quote(src, bad, base, width)
        if cut is None:
            break
        (number, n_fields, first), src = cut
        # the record keeps its first line; what the parser read after it is read again
        keep = good < number
        table, good = table.filter(pa.array(keep)), good[keep]
        bad = [b for b in bad if b[0] < number] + [(number, n_fields, first)]
        reasons[number] = ("a quote opens on this row and is not closed on it; the lines after "
                           "it were read again as rows of their own")
        base = number
        if src.size == 0 or src.is_blank():
            break
        sub_bad: list = []
        line_mode = k == _MAX_QUOTE_SPLITS  # (too many: the rest is read line by line)
        sub = parse(src, False, not line_mode, sub_bad)
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


def _cut_at_unclosed_quote(src: Body, bad: list, base: int,
                           width: int) -> tuple[tuple[int, int, str], Body] | None:
    """The first bad record after record ``base`` that swallowed lines, cut to its first
    line (number, fields, text), and the body after that line (None if there is none, or
    it is not found)."""
    cands = [b for b in bad if b[0] > base and _swallowed(b, width)]
    if not cands:
        return None
    rec = min(cands, key=lambda b: b[0])
    start = src.find(rec[2].encode("utf-8"))
    if start is None:
        return None
    first = rec[2].replace("\r\n", "\n").replace("\r", "\n").partition("\n")[0]
    rest_at = start + len(first.encode("utf-8"))
    rest_at += 2 if src.window(rest_at, rest_at + 2) == b"\r\n" else 1
    return (rec[0], rec[1], first), src.after(rest_at)


def _swallowed(b: tuple, width: int) -> bool:
    """A bad record that ran across line breaks with too few fields (an unclosed quote)."""
    return b[1] < width and ("\n" in b[2] or "\r" in b[2])


def _record_rows(n: int, bad: list, reasons: dict[int, str], header_row: int,
                 width: int) -> tuple[np.ndarray, pd.DataFrame]:
    """File rows of the ``n`` table rows and the table of bad rows: every record is either
    a table row or a skipped bad row, numbered from the header's row on."""
    bad = sorted(bad, key=lambda b: b[0])
    bad_nums = np.array([b[0] for b in bad], dtype="int64") if bad else np.zeros(0, "int64")
    total = n + len(bad_nums)
    source_row = np.arange(header_row + 1, header_row + total + 1, dtype="int64")
    if len(bad_nums):
        keep = np.ones(total, dtype=bool)
        keep[bad_nums - 1] = False
        source_row = source_row[keep]
    bad_rows = pd.DataFrame({
        "source_row": header_row + bad_nums,
        "reason": [reasons.get(b[0]) or
                   f"row has {b[1]} field(s), the header has {width} (truncated or "
                   "misaligned row)" for b in bad],
        "text": [b[2] for b in bad],
    })
    return source_row, bad_rows


def open_at_end(delimiter: int, quote: int) -> Callable[[bytes], bool]:
    """A test whether a line (one physical line, read from a record start) ends inside a
    quoted value, for this delimiter and quote: one regular expression (possessive, so
    linear in the line's length) instead of a loop per byte.

    Examples
    --------
    >>> ends_open = open_at_end(ord(","), ord('"'))
    >>> ends_open(b'a,"b'), ends_open(b'a,"b"'), ends_open(b'12",x')
    (True, False, False)
    """
    d, q = re.escape(bytes([delimiter])), re.escape(bytes([quote]))
    nd, nq = b"[^" + d + b"]", b"[^" + q + b"]"
    field = (q + b"(?:" + nq + b"|" + q + q + b")*+" + q + nd + b"*+"  # quoted, then literal
             + b"|[^" + q + d + b"]" + nd + b"*+|")                      # plain, or empty
    pattern = re.compile(b"(?:(?:" + field + b")" + d + b")*+" + q + b"(?:" + nq + b"|" + q + q
                         + b")*+\\Z", re.S)
    return lambda line: pattern.match(line) is not None


def unsafe_block_edges(body: Any, delimiter: str, quotechar: str, block: int) -> bool:
    """True if a line that pyarrow may cut a block at (the two line breaks on each side of
    every multiple of ``block``) ends inside a quoted value -- reading without
    newlines_in_values could then split a value there -- or if that cannot be told.

    ``body`` is bytes or a :class:`Body`; only a window around each edge is read.
    Outside the edges pyarrow parses quoted line breaks correctly in either mode."""
    if not (_ascii_char(quotechar) and _ascii_char(delimiter)):
        return True
    if not isinstance(body, Body):
        body = Body(body)
    q, d = ord(quotechar), ord(delimiter)
    if body.data is not None:
        mv = memoryview(body.data)
        return _edges_open(lambda lo, hi: bytes(mv[lo:hi]), body.size, d, q, block)
    fd = os.open(body.path, os.O_RDONLY)
    try:
        return _edges_open(lambda lo, hi: os.pread(fd, hi - lo, body.offset + lo), body.size,
                           d, q, block)
    finally:
        os.close(fd)


def _ascii_char(text: str) -> bool:
    return len(text) == 1 and text.isascii()


def _edges_open(window: Callable[[int, int], bytes], size: int, d: int, q: int,
                block: int) -> bool:
    ends_open = open_at_end(d, q)
    half = _EDGE_WINDOW
    for k in range(block, size, block):
        lo = max(0, k - half)
        win = window(lo, min(size, k + half))
        before, after = _breaks_around(win, k - lo)
        if (len(before) < _BEFORE and lo > 0) or (len(after) < _AFTER and k + half < size):
            return True  # lines longer than the window: do not guess
        edges = sorted(set(before + after))
        if any(ends_open(win[a + 1: b]) for a, b in itertools.pairwise(edges)):
            return True
    return False


def _breaks_around(win: bytes, mid: int) -> tuple[list[int], list[int]]:
    """Positions of the three line breaks before ``mid`` and the two from it on (LF only:
    files with CR are not read this way)."""
    before: list[int] = []
    pos = mid
    for _ in range(_BEFORE):
        j = win.rfind(b"\n", 0, pos)
        if j < 0:
            break
        before.append(j)
        pos = j
    after: list[int] = []
    pos = mid
    for _ in range(_AFTER):
        j = win.find(b"\n", pos)
        if j < 0:
            break
        after.append(j)
        pos = j + 1
    return before, after


def read_with_progress(stream: Any, ro: Any, po: Any, co: Any, total: int | None = None) -> Any:
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
