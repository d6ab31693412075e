"""The registry of loaders: which ``source=`` names exist and how to recognise a layout.

Every provider module calls :func:`register` at import time with a reader
(``reader(path, **options) -> Loaded``) and a sniffer
(``sniff(columns: list[str]) -> bool``) that says whether a header row is that
provider's layout. :func:`lookup` finds a loader by name with a helpful error,
and :func:`sniff_source` picks a loader from the header of a file.

Examples
--------
>>> from fundgap.io._registry import Source, lookup
>>> src = lookup("crunchbase2013", kind="rounds")
>>> src.kind
'rounds'
>>> lookup("pitchbok")
Traceback (most recent call last):
...
fundgap.errors.UnknownSourceError: argument 'source': unknown source; did you mean 'pitchbook'?; got 'pitchbok'; expected one of [...]
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fundgap.errors import FundgapError, UnknownSourceError

__all__ = ["KINDS", "Source", "known_sources", "lookup", "register", "sniff_source"]

#: Kinds of data a loader can return; ``any`` is for loaders (generic) that read every kind.
KINDS: tuple[str, ...] = ("rounds", "funds", "series", "any")

Reader = Callable[..., Any]
Sniffer = Callable[[list[str]], bool]


@dataclass(frozen=True)
class Source:
    """One registered loader.

    Attributes
    ----------
    name : str
        The ``source=`` name, e.g. ``"pitchbook"``.
    kind : {"rounds", "funds", "series", "any"}
    reader : callable
        ``reader(path, **options) -> fundgap.loaded.Loaded``.
    sniff : callable or None
        ``sniff(columns) -> bool``; None means the layout is never guessed
        (the caller must name the source, as for ``generic``).
    description : str
        One line for :func:`known_sources` and error messages.
    priority : int
        Sniffers with a higher priority are tried first (use it for a layout
        whose columns are a superset of another's).
    """

    name: str
    kind: str
    reader: Reader
    sniff: Sniffer | None
    description: str = ""
    priority: int = 0


_SOURCES: dict[str, Source] = {}


def register(
    name: str,
    kind: str,
    reader: Reader,
    sniff: Sniffer | None = None,
    description: str = "",
    *,
    priority: int = 0,
) -> Source:
    """Register a loader under ``name``; re-registering a name replaces it.

    Parameters
    ----------
    name : str
        Lower-case ``source=`` name.
    kind : {"rounds", "funds", "series", "any"}
    reader : callable
        ``reader(path, **options)`` returning a :class:`fundgap.loaded.Loaded`.
    sniff : callable, optional
        ``sniff(columns: list[str]) -> bool``; receives the header cells as
        read (stripped of surrounding blanks, empty cells removed).
    description : str
    priority : int, default 0

    Returns
    -------
    Source

    Raises
    ------
    FundgapError
        If ``kind`` is not one of :data:`KINDS` or ``reader`` is not callable.

    Examples
    --------
    >>> from fundgap.io._registry import register, lookup, _SOURCES
    >>> _ = register("demo_x", "series", reader=lambda path, **o: None,
    ...              sniff=lambda cols: "DEMO" in cols, description="a demo")
    >>> lookup("demo_x").description
    'a demo'
    >>> del _SOURCES["demo_x"]
    """
    if kind not in KINDS:
        raise FundgapError("unknown loader kind", argument="kind", value=kind, expected=KINDS)
    if not callable(reader):
        raise FundgapError(f"reader of source {name!r} must be callable", argument="reader",
                           value=reader, expected=["a function reader(path, **options)"])
    src = Source(str(name).lower(), kind, reader, sniff, description, priority)
    _SOURCES[src.name] = src
    return src


def known_sources(kind: str | None = None) -> list[str]:
    """Names of the registered loaders, sorted; only those that read ``kind`` if given.

    Parameters
    ----------
    kind : {"rounds", "funds", "series"}, optional
        Loaders of kind ``any`` (generic) are listed for every kind.

    Returns
    -------
    list of str

    Examples
    --------
    >>> "pitchbook" in known_sources("rounds")
    True
    >>> "pitchbook" in known_sources("funds")
    False
    """
    if kind is not None and kind not in KINDS:
        raise FundgapError("unknown kind", argument="kind", value=kind, expected=KINDS[:3])
    return sorted(
        n for n, s in _SOURCES.items() if kind is None or s.kind in (kind, "any") or kind == "any"
    )


def describe_sources(kind: str | None = None) -> str:
    """One line per registered loader: name, kind and description."""
    lines = []
    for name in known_sources(kind):
        s = _SOURCES[name]
        lines.append(f"{name:<22} {s.kind:<7} {s.description}")
    return "\n".join(lines)


def lookup(name: str, kind: str | None = None, *, file: Any = None) -> Source:
    """Return the loader registered as ``name``.

    ``read_funds(path, source="pitchbook")`` finds ``pitchbook_funds``: when
    ``name`` is registered for another kind and ``f"{name}_{kind}"`` exists,
    that one is returned.

    Parameters
    ----------
    name : str
    kind : {"rounds", "funds", "series"}, optional
        If given, the loader must read this kind (or ``any``).
    file : optional
        Named in the error message.

    Raises
    ------
    UnknownSourceError
        Listing the known sources (of that kind) and suggesting a close match.
    """
    key = str(name).strip().lower()
    src = _SOURCES.get(key)
    if src is not None and kind is not None and src.kind not in (kind, "any"):
        alt = _SOURCES.get(f"{key}_{kind}")
        if alt is not None:
            return alt
        raise UnknownSourceError(
            f"source {key!r} reads {src.kind}, not {kind}",
            file=file,
            argument="source",
            value=name,
            expected=known_sources(kind),
        )
    if src is None:
        names = known_sources(kind)
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownSourceError(f"unknown source{hint}", file=file, argument="source", value=name,
                                 expected=names)
    return src


def sniff_source(
    candidates: Sequence[Sequence[str]], kind: str | None = None, *, file: Any = None
) -> tuple[Source, int]:
    """Find the loader whose sniffer recognises one of the candidate header rows.

    Parameters
    ----------
    candidates : sequence of list of str
        The first rows of a file (each a list of cell texts); any of them may be
        the header (banner rows come first in some exports).
    kind : {"rounds", "funds", "series"}, optional
    file : optional
        Named in the error message.

    Returns
    -------
    (Source, int)
        The loader and the 0-based index of the row it recognised.

    Raises
    ------
    UnknownSourceError
        If no sniffer recognises any row: lists the known layouts and the
        columns seen in the most header-like row.

    Examples
    --------
    >>> src, i = sniff_source([["Deals export"], ["Deal ID", "Companies", "Deal Size",
    ...                        "Deal Date", "Deal Type", "Deal Status"]], "rounds")
    >>> src.name, i
    ('pitchbook', 1)
    """
    sources = [
        s
        for s in _SOURCES.values()
        if s.sniff is not None and (kind is None or s.kind in (kind, "any"))
    ]
    sources.sort(key=lambda s: (-s.priority, s.name))
    rows = [[str(c).strip() for c in row if c is not None and str(c).strip() != ""]
            for row in candidates]
    for i, cols in enumerate(rows):
        if len(cols) <= 1:  # (a banner or title row, not a header)
            continue
        for s in sources:
            try:
                ok = bool(s.sniff(cols))
            except Exception:  # a sniffer must never break sniffing of the others
                ok = False
            if ok:
                return s, i
    seen = max(rows, key=len) if rows else []
    layouts = sorted(s.name for s in sources)
    raise UnknownSourceError(
        "unrecognised layout: no known export matches the header; pass source= "
        f"(or source='generic' with columns=...); columns seen: {seen[:40]!r}",
        file=file,
        column="<header>",
        value=", ".join(seen[:12]),
        expected=layouts,
    )
