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

import codecs
import contextlib
import os
from typing import Any

from fundgap.errors import FileFormatError
from fundgap.io._csv import Body, NotUtf8, after_breaks, csv_table, line_offset, parse_head, sniff_delimiter
from fundgap.io._table import MAX_BANNER, PEEK_LINES, ColumnsSpec, HeaderSpec, RawTable

__all__ = ["RawTable", "peek_rows", "read_table"]

#: Control bytes that do not occur in text (tab, line feed and carriage return do).
_CONTROL = frozenset({*range(0, 9), 11, 12, *range(14, 32)})
#: Bytes read from the head of a file: its first MiB (the header and the rows below it).
_HEAD_BYTES = 1 << 20


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
    ctrl = sum(head.count(bytes([c])) for c in _CONTROL)
    if nul or ctrl > max(8, len(head) // 100):
        offset = head.find(b"\x00") if nul else next(i for i, b in enumerate(head) if b in _CONTROL)
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
    categorical: ColumnsSpec = None,
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
    kw = {"header": header, "encoding": encoding, "delimiter": delimiter, "quotechar": quotechar,
          "escapechar": escapechar, "sheet_name": sheet_name, "progress": progress,
          "categorical": categorical, "columns": columns}
    with regular_file(path) as (real, note):
        raw = _read_table(real, **kw)
        if real != path:
            raw.path = "<stdin>" if path == "-" else path
            raw.notes.insert(0, note)
    return raw


def _read_table(path: str, *, header: HeaderSpec, encoding: str | None, delimiter: str | None,
                quotechar: str, escapechar: str | None, sheet_name: Any, progress: bool,
                categorical: ColumnsSpec, columns: ColumnsSpec) -> RawTable:
    head, size = _read_head(path, _HEAD_BYTES + 4)
    notes: list[str] = []
    kind = _classify(head, path)
    if kind == "zip":
        from fundgap.io._sheet import xlsx_table

        return xlsx_table(path, header=header, sheet_name=sheet_name, notes=notes,
                          columns=columns)
    kw = {"header": header, "delimiter": delimiter, "quotechar": quotechar,
          "escapechar": escapechar, "progress": progress, "categorical": categorical,
          "columns": columns}
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

    def body_of(n_breaks: int) -> Body:
        return Body(text[line_offset(text, n_breaks):].encode("utf-8"))

    return csv_table(text[: line_offset(text, PEEK_LINES + 5)], body_of, path, notes=notes, **kw)


def _not_markup(text: str, path: str) -> None:
    head = text[:200].lstrip().lower()
    if head.startswith(("<?xml", "<html", "<!doctype", "<table")):
        raise _err("file is XML/HTML, not a CSV (an 'Excel' export saved as a web page?)",
                   path, row=1, value=text[:40])


def _fast_utf8(head_bytes: bytes, size: int, path: str, kw: dict) -> RawTable | None:
    """Read a UTF-8 CSV without decoding it in Python (pyarrow validates the UTF-8).

    ``head_bytes`` are the first bytes of the file, ``size`` its length. A large file
    is streamed by pyarrow from the first data row; its bytes are never held in
    Python. Returns None when the file is not UTF-8 (or starts with a UTF-16 BOM), so
    that the caller falls back to decoding with cp1252/latin-1.
    """
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

    def body_of(n_breaks: int) -> Body:
        off = start + len(raw_head[: after_breaks(raw_head, n_breaks)].encode("utf-8"))
        if whole:
            return Body(memoryview(head_bytes)[off:])  # no copy of the file's bytes
        return Body(path=path, offset=off, size=size)

    try:
        return csv_table(head, body_of, path, notes=notes, fast=True, **kw)
    except NotUtf8:
        return None


def peek_rows(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str = '"',
    escapechar: str | None = None,
    sheet_name: str | int | None = None,
    n: int = MAX_BANNER,
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
        from fundgap.io._sheet import cell_text, sheet_rows

        # (kept for the read that follows the sniff: the sheet is parsed once)
        rows = sheet_rows(path, sheet_name, notes, keep=True, max_rows=n)
        return [["" if c is None else c for c in map(cell_text, r)] for r in rows]
    text = None
    if encoding is None and head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        try:  # a 1 MB cut may split a UTF-8 character: decode incrementally
            text = codecs.getincrementaldecoder("utf-8")().decode(
                head[3:] if head.startswith(b"\xef\xbb\xbf") else head, final=size <= _HEAD_BYTES)
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = _decode(head if len(head) % 2 == 0 else head[:-1], path, encoding, notes)
    text = _fix_newlines(text, notes)
    first = text[: line_offset(text, PEEK_LINES)].split("\n")
    if delimiter is None:
        delimiter = sniff_delimiter(first, quotechar)
    rows, _ = parse_head(text, delimiter, quotechar, escapechar)
    return rows[:n]
