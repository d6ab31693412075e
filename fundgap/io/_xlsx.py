"""XLSX workbooks from people we do not know: bounded before parsing, read by calamine.

An ``.xlsx`` file is a zip of XML parts. A few kilobytes of zip can declare a sheet of
seventeen billion cells, inflate to gigabytes of shared strings, or carry an XML
entity bomb. :func:`check_budget` looks at every part of the zip, whatever its name,
*before* any spreadsheet code parses it, and refuses the workbook (a
:class:`~fundgap.errors.FileFormatError` naming the part and the number) when it
passes a limit of :data:`LIMITS`:

* the file itself, the number of parts, the inflated size of each part and of all
  parts together (the sizes the zip declares are checked first, then the bytes
  actually inflated, which Python's zip reader bounds by the declared size and checks
  against the CRC);
* the sheet read: its declared dimension (``<dimension ref="A1:XFD1048576">``) and
  its actual rows, columns and cells, counted from the cell references while
  streaming the part in 1 MiB pieces (so the check itself stays small in memory);
* the shared-strings table: its number of strings (its size is a part's size);
* no XML part may declare a DTD or entities (``<!DOCTYPE``, ``<!ENTITY``: an
  entity-expansion bomb or an external entity, XXE) or be in another encoding than
  UTF-8, where such a declaration could hide.

The sheet is then read by python-calamine (Rust; it expands no entities and
ignores DTDs), about twenty times faster than openpyxl's read-only mode on a
100,000-row export; every cell comes back as text as :mod:`fundgap.io._read`
expects.

Examples
--------
>>> LIMITS["rows"], LIMITS["columns"]
(1048576, 16384)
>>> _col_number(b"XFD")
16384
"""

from __future__ import annotations

import contextlib
import functools
import html
import math
import os
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from fundgap.errors import FileFormatError
from fundgap.io._threads import prefetched

__all__ = ["LIMITS", "check_budget"]

#: The budget of a workbook; past any of these it is refused before parsing. Change an
#: entry (``fundgap.io._xlsx.LIMITS["cells"] = ...``) to read a bigger workbook, or
#: export the sheet as CSV, which fundgap reads at any size.
LIMITS: dict[str, int] = {
    "file_bytes": 512 << 20,       # the .xlsx file
    "parts": 10_000,               # members of the zip
    "part_bytes": 512 << 20,       # one part, inflated
    "total_bytes": 1 << 30,        # all parts, inflated
    "meta_bytes": 16 << 20,        # workbook.xml and its relationships, inflated
    "rows": 1_048_576,             # Excel's own limits
    "columns": 16_384,
    "cells": 10_000_000,           # rows x columns of the sheet read (declared and actual)
    "shared_strings": 10_000_000,
}
_PIECE = 1 << 20
_UNSAFE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTERNAL = re.compile(rb"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,9})\"")
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"([0-9]{1,9})\"")
_ROW_END = re.compile(rb"</(?:\w+:)?row\s*>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"([A-Z]{1,4})?([0-9]{1,9})?"
                        rb"(?::([A-Z]{1,4})([0-9]{1,9}))?\"")
_SI = re.compile(rb"<(?:\w+:)?si[\s/>]")
_TAG = re.compile(rb"<(\w+(?::\w+)?)\s([^>]*)>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")


#: Bytes of a zip member's local file header before its name.
_LOCAL_HEADER = 30


def _err(message: str, path: str, **kw: Any) -> FileFormatError:
    return FileFormatError(message, file=path, **kw)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


@dataclass
class _SheetStats:
    rows: int = 0          # largest row number referenced
    cols: int = 0          # largest column number referenced
    n_rows: int = 0        # row elements
    n_row_refs: int = 0    # row elements with r=
    n_cells: int = 0
    n_cell_refs: int = 0
    row_cells: int = 0     # most cells in one row (counted only where cells lack r=)
    open_row: int = 0      # cells so far in the row that runs across pieces

    def bounds(self) -> tuple[int, int]:
        """Upper bounds on the rows and columns a reader lays the sheet out on."""
        rows = max(self.rows, self.n_rows) + (self.n_rows - self.n_row_refs)
        cols = self.cols + (self.row_cells if self.n_cells > self.n_cell_refs else 0)
        return rows, cols


def _inflated(f: Any, info: zipfile.ZipInfo, path: str):
    """The bytes of a part as its compressed data inflate, in chunks of at most 1 MiB.

    Inflated here rather than by :mod:`zipfile`, which stops at the size the zip
    declares: a part whose data inflate to more than it declares (to fool a size check)
    is refused, and so is one whose bytes fail the CRC.
    """
    import struct
    import zlib

    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _err(f"XLSX part compressed with an unsupported method ({info.compress_type})",
                   path, column=info.filename)
    if info.flag_bits & 0x1:
        raise _err("encrypted XLSX part; save the workbook without a password", path,
                   column=info.filename)
    f.seek(info.header_offset)
    local = f.read(_LOCAL_HEADER)
    if len(local) < _LOCAL_HEADER or local[:4] != b"PK\x03\x04":
        raise _err("corrupt XLSX part (bad local header)", path, column=info.filename)
    n_name, n_extra = struct.unpack("<HH", local[26:_LOCAL_HEADER])
    f.seek(info.header_offset + 30 + n_name + n_extra)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    total, crc = 0, 0
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            out = inflater.decompress(inflater.unconsumed_tail, _PIECE)
        else:
            raw = f.read(min(left, _PIECE))
            if not raw:
                raise _err("corrupt or truncated XLSX part", path, column=info.filename)
            left -= len(raw)
            out = raw if inflater is None else inflater.decompress(raw, _PIECE)
        total += len(out)
        if total > info.file_size:
            raise _err("XLSX part inflates to more than the size its zip entry declares "
                       f"({info.file_size:,} bytes): a zip bomb; refused before parsing", path,
                       column=info.filename, value=total)
        crc = zlib.crc32(out, crc)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break
    if total != info.file_size or crc != info.CRC:
        raise _err("corrupt XLSX part (size or CRC does not match)", path, column=info.filename)


def _pieces(f: Any, info: zipfile.ZipInfo, path: str):
    """The inflated bytes of a part in pieces that end after a complete tag."""
    import zlib

    carry = b""
    try:
        for chunk in _inflated(f, info, path):
            buf = carry + chunk
            cut = buf.rfind(b"<")
            if cut > 0 and buf.find(b">", cut) < 0:  # a tag runs on into the next chunk
                buf, carry = buf[:cut], buf[cut:]
                if len(carry) > _PIECE:
                    raise _err("XLSX part with an XML tag longer than 1 MiB; refused", path,
                               column=info.filename)
            else:
                carry = b""
            yield buf
    except FileFormatError:
        raise
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise _err(f"corrupt XLSX part ({type(exc).__name__}: {exc})", path,
                   column=info.filename) from None
    if carry:
        yield carry


def _check_xml(piece: bytes, first: bool, name: str, path: str) -> None:
    if first and (piece[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in piece[:64]):
        raise _err("unsafe XLSX: an XML part that is not UTF-8 (UTF-16?) cannot be checked "
                   "for entity declarations; refused", path, column=name)
    m = _UNSAFE.search(piece)
    if m is None:
        return
    snippet = piece[m.start(): m.start() + 60].decode("utf-8", "replace")
    if _EXTERNAL.search(piece, m.start()):
        what = ("declares an external XML entity (XXE: it would make the reader fetch a "
                "file or URL)")
    elif m.group(1).upper() == b"ENTITY" or b"<!ENTITY" in piece.upper():
        what = ("declares XML entities (an entity-expansion 'billion laughs' bomb can "
                "blow up to gigabytes)")
    else:
        what = "declares a document type (DTD), which a workbook never needs"
    raise _err(f"unsafe XLSX: an XML part {what}; refused before parsing", path,
               column=name, value=snippet)


_FAST_COL = re.compile(rb'<c r="([A-Z]{1,4})[0-9]')
_FAST_ROW_REF = re.compile(rb'<row r="([0-9]{1,9})"')
#: Spellings of cell and row tags other than ``<c r=`` and ``<row r=`` (a namespace prefix,
#: other white space, no attributes): where one appears, the general patterns run.
_ODD = (b"<c\t", b"<c\n", b"<c\r", b"<c/", b"<c>", b":c ", b":c>", b":c/", b":c\t", b":c\n",
        b"<row\t", b"<row\n", b"<row\r", b"<row/", b"<row>", b":row")


def _odd(piece: bytes) -> bool:
    """True if ``piece`` holds one of the spellings of :data:`_ODD` (the same answer as
    ``any(t in piece for t in _ODD)``, from one pass over the ``<`` and ``:`` of the piece
    in numpy instead of sixteen substring searches).

    Examples
    --------
    >>> _odd(b'<row r="1"><c r="A1"><v>1</v></c></row>'), _odd(b'<x:c r="A1"/>')
    (False, True)
    """
    import numpy as np

    a = np.frombuffer(piece, dtype=np.uint8)
    if len(a) < 3:
        return any(t in piece for t in _ODD)
    lt = np.flatnonzero(a[:-2] == 0x3C)  # "<" with at least two bytes after it
    nxt = a[lt + 1]
    if _after(_AFTER_C)[a[lt[nxt == 0x63] + 2]].any():  # <c then tab, newline, CR, / or >
        return True
    r = lt[nxt == 0x72]
    r = r[r + 4 < len(a)]
    if _after(_AFTER_C)[a[r[(a[r + 2] == 0x6F) & (a[r + 3] == 0x77)] + 4]].any():  # <row then ...
        return True
    colon = np.flatnonzero(a[:-2] == 0x3A)  # ":" with at least two bytes after it
    c = colon[a[colon + 1] == 0x63]
    if _after(_AFTER_NS_C)[a[c + 2]].any():  # :c then space, >, /, tab or newline
        return True
    r = colon[colon + 3 < len(a)]
    return bool(((a[r + 1] == 0x72) & (a[r + 2] == 0x6F) & (a[r + 3] == 0x77)).any())  # :row


@functools.cache
def _after(chars: bytes) -> Any:
    """A 256-entry mask of the bytes of ``chars``."""
    import numpy as np

    out = np.zeros(256, dtype=bool)
    out[list(chars)] = True
    return out


#: The bytes after ``<c`` / ``<row``, and after ``:c``, that make a spelling of :data:`_ODD`.
_AFTER_C, _AFTER_NS_C = b"\t\n\r/>", b" >/\t\n"


def _largest(values: Any, key: Any) -> int:
    return max(key(v) for v in set(values)) if values else 0


def _top_cell_row(piece: bytes, digits: int) -> int | None:
    """The largest row number of the cells of ``piece`` that have at least ``digits``
    digits (0 if none has; the others are below ``10 ** (digits - 1)``), or None if one
    has more than nine (left to the general patterns).

    Numbers of as many digits compare as their bytes do, so only the longest are
    converted.

    Examples
    --------
    >>> _top_cell_row(b'<c r="A9"/><c r="B12"/><c r="C97"/><c r="AB10"/>', 2)
    97
    >>> _top_cell_row(b'<c r="A9"/>', 2), _top_cell_row(b'<c r="A1234567890"/>', 1)
    (0, None)
    """
    found = _cell_rows(digits).findall(piece)
    if not found:
        return 0
    longest = max(map(len, found))
    if longest > 9:
        return None
    return int(max(v for v in set(found) if len(v) == longest))


@functools.lru_cache(maxsize=16)
def _cell_rows(digits: int) -> re.Pattern:
    """The row numbers of ``digits`` or more digits of cells in the fast path's spelling."""
    return re.compile(rb'<c r="[A-Z]{1,4}([0-9]{%d,})' % digits)


def _scan_sheet(piece: bytes, st: _SheetStats, exact: bool = False) -> None:
    """Update the sheet's counts with one piece (complete tags) of its XML.

    The fast path (Excel and most writers: ``r=`` first in plain tags) reads the columns
    of the cells, the numbers of the rows, and the row numbers of the cells whose
    numbers are as long as the largest row number or longer (the others are smaller):
    the same bounds as the general path, without reading every cell's row. ``exact``
    (or an odd spelling) reads every cell's row with the general patterns.
    """
    n_cells = piece.count(b"<c ")
    n_rows = piece.count(b"<row ")
    if not exact and not _odd(piece):
        cols = _FAST_COL.findall(piece)
        row_refs = _FAST_ROW_REF.findall(piece)
        if len(cols) == n_cells and len(row_refs) == n_rows:
            st.cols = max(st.cols, _largest(cols, _col_number))
            st.rows = max(st.rows, _largest(row_refs, int))
            top = _top_cell_row(piece, len(str(st.rows)))
            if top is not None:
                st.rows = max(st.rows, top)
                st.n_cells += n_cells
                st.n_cell_refs += n_cells
                st.n_rows += n_rows
                st.n_row_refs += n_rows
                return
    n_cells = len(_CELL.findall(piece))
    n_rows = len(_ROW.findall(piece))
    refs = _CELL_REF.findall(piece)
    row_refs = _ROW_REF.findall(piece)
    if refs:
        cols, rows = zip(*refs, strict=True)
        st.cols = max(st.cols, _largest(cols, _col_number))
        st.rows = max(st.rows, _largest(rows, int))
    st.rows = max(st.rows, _largest(row_refs, int))
    st.n_cells += n_cells
    st.n_cell_refs += len(refs)
    st.n_rows += n_rows
    st.n_row_refs += len(row_refs)
    if n_cells > len(refs):  # cells without references: count cells per row
        segs = _ROW_END.split(piece)
        counts = [len(_CELL.findall(s)) for s in segs]
        counts[0] += st.open_row
        st.row_cells = max(st.row_cells, *counts)
        st.open_row = counts[-1] if len(segs) > 1 else counts[0]


def _limit(value: float, key: str, what: str, path: str, part: str) -> None:
    if value > LIMITS[key]:
        raise _err(f"XLSX over the reading budget: {what} {value:,.0f} > {LIMITS[key]:,} "
                   f"(fundgap.io._xlsx.LIMITS[{key!r}]); refused before parsing. Export the "
                   "sheet as CSV (read at any size) or raise the limit", path, column=part,
                   value=int(value) if math.isfinite(value) else value)


def _check_sheet(st: _SheetStats, declared: tuple[int, int] | None, path: str,
                 part: str) -> None:
    if declared is not None:
        d_rows, d_cols = declared
        _limit(d_rows, "rows", "declared rows", path, part)
        _limit(d_cols, "columns", "declared columns", path, part)
        _limit(d_rows * d_cols, "cells", "declared cells (rows x columns)", path, part)
    rows, cols = st.bounds()
    _limit(rows, "rows", "rows", path, part)
    _limit(cols, "columns", "columns", path, part)
    _limit(rows * cols, "cells", "cells (rows x columns)", path, part)


def _attrs(tag_attrs: bytes) -> dict[str, str]:
    return {k.decode("utf-8", "replace").split(":")[-1].lower():
            html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(tag_attrs)}


def _part_name(target: str) -> str:
    t = target.replace("\\", "/")
    parts = (t.lstrip("/") if t.startswith("/") else "xl/" + t).split("/")
    out: list[str] = []
    for p in parts:
        if p == "..":
            if out:
                out.pop()
        elif p not in ("", "."):
            out.append(p)
    return "/".join(out).lower()


def _small_part(f: Any, names: dict[str, zipfile.ZipInfo], name: str, path: str) -> bytes:
    info = names.get(name.lower())
    if info is None:
        return b""
    _limit(info.file_size, "meta_bytes", "size of a workbook description part", path,
           info.filename)
    return b"".join(_pieces(f, info, path))


def _targets(f: Any, names: dict[str, zipfile.ZipInfo], sheet_name: Any,
             path: str) -> tuple[str | None, str | None]:
    """Part names (lower case) of the sheet that will be read and of the shared strings."""
    wb = _small_part(f, names, "xl/workbook.xml", path)
    rels = _small_part(f, names, "xl/_rels/workbook.xml.rels", path)
    by_id, strings = {}, None
    for tag, attrs in _TAG.findall(rels):
        if tag.split(b":")[-1] != b"Relationship":
            continue
        a = _attrs(attrs)
        if "id" in a and "target" in a:
            by_id[a["id"]] = _part_name(a["target"])
            if a.get("type", "").endswith("/sharedStrings"):
                strings = _part_name(a["target"])
    sheets = [_attrs(attrs) for tag, attrs in _TAG.findall(wb)
              if tag.split(b":")[-1] == b"sheet"]
    pick = None
    if isinstance(sheet_name, int):
        pick = sheets[sheet_name] if -len(sheets) <= sheet_name < len(sheets) else None
    elif sheet_name is None:
        pick = sheets[0] if sheets else None
    else:
        pick = next((s for s in sheets if s.get("name") == sheet_name), None)
    sheet = by_id.get(pick.get("id")) if pick else None
    return sheet, strings or "xl/sharedstrings.xml"


def check_budget(path: str, sheet_name: Any = None) -> None:
    """Refuse a workbook past :data:`LIMITS` or with an unsafe XML part, before parsing it.

    Raises
    ------
    FileFormatError
        Naming the part (``column``) and the number over the limit (``value``).
    """
    size = os.path.getsize(path)
    _limit(size, "file_bytes", "file size in bytes", path, None)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _err(f"corrupt or truncated zip/XLSX file ({exc})", path) from None
    with zf:
        names = {i.filename.lower(): i for i in infos}
        if "xl/workbook.xml" not in names:
            raise _err("a zip archive that is not an XLSX workbook (no xl/workbook.xml); "
                       f"it holds {[i.filename for i in infos][:5]}", path,
                       value=os.path.basename(path))
        _limit(len(infos), "parts", "parts in the zip", path, None)
        for i in infos:
            _limit(i.file_size, "part_bytes", "inflated size of a part in bytes", path, i.filename)
        _limit(sum(i.file_size for i in infos), "total_bytes",
               "inflated size of all parts in bytes", path, None)
    with open(path, "rb") as f:
        sheet, strings = _targets(f, names, sheet_name, path)
        for i in infos:  # every part, whatever its name: no DTD, no entities, UTF-8
            _scan_part(f, i, path, sheet, strings)


#: Parts that inflate to more than this are inflated on a second thread while the scan runs
#: (zlib releases the GIL; the scan holds it): 0.3 s of a 128 MB sheet's 1.2 s check.
_PREFETCH_FROM = 8 << 20


def _scan_part(f: Any, info: zipfile.ZipInfo, path: str, sheet: str | None,
               strings: str | None) -> None:
    name = info.filename.lower()
    is_sheet = name == sheet if sheet is not None else True  # (unknown sheet: scan all)
    st, declared = _SheetStats(), None
    n_si = 0
    pieces = _pieces(f, info, path)
    if info.file_size > _PREFETCH_FROM:  # (inflated on a second thread while this one scans)
        pieces = prefetched(pieces)
    # (closed on leaving, however: the inflating thread has stopped reading ``f`` before the
    # next part is read from it)
    with contextlib.closing(pieces):
        for k, piece in enumerate(pieces):
            _check_xml(piece, k == 0, info.filename, path)
            if k == 0 and is_sheet:
                declared = _declared(piece)
            if is_sheet:
                _scan_sheet(piece, st)
                if _over(*st.bounds()):  # (stop early: a sheet past the budget is not read on)
                    break
            if name == strings:
                n_si += len(_SI.findall(piece))
                _limit(n_si, "shared_strings", "shared strings", path, info.filename)
    if is_sheet and (st.n_cells or declared):
        _check_sheet(st, declared, path, info.filename)


def _over(rows: int, cols: int) -> bool:
    """True for a sheet past the budget's rows, columns or cells."""
    return rows > LIMITS["rows"] or cols > LIMITS["columns"] or rows * cols > LIMITS["cells"]


def _declared(piece: bytes) -> tuple[int, int] | None:
    """The (rows, columns) a sheet's ``<dimension ref=...>`` declares, if it does."""
    m = _DIMENSION.search(piece)
    return (int(m.group(4)), _col_number(m.group(3))) if m and m.group(3) else None
