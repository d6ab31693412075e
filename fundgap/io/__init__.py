"""Readers for the exports people hold: one declared layout per provider, one registry.

``read_rounds``, ``read_funds`` and ``read_series`` dispatch on ``source=`` (see
:func:`known_sources`) or, with ``source=None``, sniff the layout from the
file's header and say which loader they chose in ``Loaded.notes``. Every loader
returns a :class:`fundgap.loaded.Loaded` whose ``data`` is canonical and whose
``rejects`` hold every input row that could not be used, with the reason.

A provider declares its export as a :class:`Layout` (which header holds which field,
units, currency, stage labels, statuses, how the file is recognised) and
:func:`register_loader` makes it a ``source=``; the built-in providers are declared
so (``fundgap.io.pitchbook.LAYOUT`` ...). The OECD and NCSES statistics tables have
parsers of their own; :func:`register` takes any reader function.

Examples
--------
>>> import fundgap
>>> "crunchbase2013" in fundgap.known_sources("rounds")
True
>>> from fundgap.io import Layout
>>> Layout("acme", columns={"company": "Startup", "date": "Closed on"}).required
('company', 'date')
"""

from __future__ import annotations

import os
from typing import Any

from fundgap.errors import FundgapError
from fundgap.io import (  # noqa: F401 - each provider module registers its loader
    canonical,
    crunchbase,
    crunchbase2013,
    crunchbase2013_funds,
    dealroom,
    generic,
    ncses,
    oecd,
    pitchbook,
    pitchbook_funds,
    preqin,
)
from fundgap.io._fields import Fields
from fundgap.io._layout import Layout
from fundgap.io._pipeline import register_loader, unregister_loader
from fundgap.io._registry import (
    describe_sources,
    known_sources,
    lookup,
    register,
    sniff_source,
)
from fundgap.loaded import Loaded

__all__ = [
    "Fields",
    "Layout",
    "describe_sources",
    "known_sources",
    "read_funds",
    "read_rounds",
    "read_series",
    "register",
    "register_loader",
    "unregister_loader",
]

# options that only concern reading the table (passed to the sniffer's peek as well)
_READ_OPTIONS = ("encoding", "delimiter", "sheet_name", "quotechar", "escapechar")


def _dispatch(kind: str, path: Any, source: str | None, options: dict[str, Any]) -> Loaded:
    if isinstance(path, (str, os.PathLike)):
        path = os.fspath(path)
    else:
        raise FundgapError(f"read_{kind} takes a file path", argument="path",
                           value=type(path).__name__, expected=["str", "os.PathLike", "'-' (stdin)"])
    from fundgap.io._stream import regular_file

    # a pipe, FIFO or stdin ("-") is read to its end into a temporary file first: the
    # layout is sniffed from it and the loader reads it again
    from fundgap.io._sheet import clear_cache

    with regular_file(path) as (real, stream_note):
        try:
            loaded = _load(kind, real, source, options)
        finally:
            clear_cache()  # (a sheet kept between the sniff and the read)
        if real != path:
            loaded.path = "<stdin>" if path == "-" else path
            loaded.notes.insert(0, stream_note)
    loaded.check_accounting()
    return loaded


def _load(kind: str, path: str, source: str | None, options: dict[str, Any]) -> Loaded:
    if source is None:
        from fundgap.io._read import peek_rows

        peek_opts = {k: options[k] for k in _READ_OPTIONS if k in options}
        rows = peek_rows(path, **peek_opts)
        src, header_idx = sniff_source(rows, kind, file=path)
        note = f"layout sniffed from the header (row {header_idx + 1}): source={src.name!r}"
    else:
        src = lookup(source, kind, file=path)
        note = None
    if src.kind == "any":
        options = {"kind": kind, **options}
    from fundgap.io._threads import PARALLEL_BYTES, parallel

    try:
        big = os.path.getsize(path) >= PARALLEL_BYTES
    except OSError:
        big = False  # (the reader names the problem)
    with parallel(big):
        loaded = src.reader(path, **options)
    if note:
        loaded.notes.insert(0, note)
    return loaded


def read_rounds(path: Any, *, source: str | None = None, **options: Any) -> Loaded:
    """Read a file of funding rounds into the canonical rounds schema.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV (any of , ; tab | delimiters, any common encoding) or XLSX file.
    source : str, optional
        A name from ``known_sources("rounds")``, e.g. ``"pitchbook"``,
        ``"crunchbase"``, ``"dealroom"``, ``"crunchbase2013"`` or ``"generic"``.
        None sniffs the layout from the header and records the choice in
        ``notes``.
    **options
        Passed to the loader (see its module), e.g. ``encoding=``,
        ``sheet_name=``, ``columns=`` (generic), ``today=`` (the date after which
        rounds count as "in the future").

    Returns
    -------
    Loaded
        ``.data`` (canonical rounds), ``.rejects`` (reason, column, value,
        duplicate_of and the raw values of the columns read: the PitchBook and
        Crunchbase loaders read only the columns they map), ``.summary()``;
        ``len(data) + len(rejects) == n_input``.

    Raises
    ------
    UnknownSourceError
        Unknown ``source`` or a layout that cannot be recognised.
    FileFormatError
        A file that cannot be read as a table (encoding, garbage, unsafe XLSX ...).
    MissingColumnError
        A required column of the layout is absent.

    Examples
    --------
    >>> import fundgap
    >>> fundgap.read_rounds("deals.csv", source="pitchbok")
    Traceback (most recent call last):
    ...
    fundgap.errors.UnknownSourceError: deals.csv, argument 'source': unknown source; did you mean 'pitchbook'?; got 'pitchbok'; expected one of [...]
    """
    return _dispatch("rounds", path, source, options)


def read_funds(path: Any, *, source: str | None = None, **options: Any) -> Loaded:
    """Read a file of funds into the canonical funds schema.

    Parameters
    ----------
    path : str or os.PathLike
    source : str, optional
        A name from ``known_sources("funds")``: ``"pitchbook_funds"`` (or
        ``"pitchbook"``), ``"preqin"``, ``"crunchbase2013_funds"``, ``"generic"``.
    **options
        Passed to the loader.

    Returns
    -------
    Loaded

    Examples
    --------
    >>> import fundgap
    >>> "preqin" in fundgap.known_sources("funds")
    True
    """
    return _dispatch("funds", path, source, options)


def read_series(path: Any, *, source: str | None = None, **options: Any) -> Loaded:
    """Read a statistics table into the canonical long series schema.

    Parameters
    ----------
    path : str or os.PathLike
    source : str, optional
        A name from ``known_sources("series")`` (``"oecd"``, ``"ncses"``, ``"generic"``).
    **options
        Passed to the loader.

    Returns
    -------
    Loaded

    Examples
    --------
    >>> import fundgap
    >>> "generic" in fundgap.known_sources("series")
    True
    """
    return _dispatch("series", path, source, options)
