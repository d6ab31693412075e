"""fundgap's own output (``source="canonical"``): what ``fundgap load`` writes, read back.

``fundgap load deals.csv --out norm.csv`` writes the canonical schema (the columns of
:data:`fundgap.schema.ROUND_COLUMNS`, then the provider's extra columns). This loader
reads such a CSV or XLSX again, and is sniffed from its header, so that
``read_rounds("norm.csv")`` and ``fundgap report --rounds norm.csv`` need no
``source``. Funds and series outputs are read back the same way.

Rules:

* text cells come back as they were before writing: the quote that fundgap's CSV
  writer puts in front of a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  line break (so that a spreadsheet shows it as text) is removed
  (:func:`fundgap._output.unescape_text`);
* each column is read in its canonical dtype; a row whose value does not fit (a date
  that is not a date, a stage that is not one of :data:`fundgap.schema.STAGES`, an
  amount that is not a number ...) is rejected with the column and value;
* placeholder dates are rejected as by every loader; ``source`` and ``source_row``
  keep the provider and row the round was first read from.

Examples
--------
>>> import os, tempfile, fundgap
>>> from fundgap._output import write_csv
>>> d = tempfile.mkdtemp()
>>> src = os.path.join(d, "synthetic_deals.csv")
>>> with open(src, "w") as f:
...     _ = f.write("Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type\\n"
...                 "D1,=Acme,2021-03-01,12.5,Completed,Seed Round\\n")
>>> ld = fundgap.read_rounds(src, source="pitchbook", today="2025-01-01")
>>> out = write_csv(ld.data, os.path.join(d, "norm.csv"))
>>> back = fundgap.read_rounds(out)
>>> back.source, back.data["company"].tolist(), back.data["stage"].tolist()
('canonical', ['=Acme'], ['seed'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.io._parse import PLACEHOLDER_REASON, placeholder_dates
from fundgap.io._read import read_table
from fundgap.io._registry import register
from fundgap.io._rejects import Rejector
from fundgap.loaded import Loaded
from fundgap.schema import FUND_COLUMNS, ROUND_COLUMNS, SERIES_COLUMNS, conform

__all__ = ["read", "sniff"]

_SCHEMAS = {"rounds": ROUND_COLUMNS, "funds": FUND_COLUMNS, "series": SERIES_COLUMNS}
#: Columns that identify each kind's canonical header.
_KEYS = {
    "rounds": {"round_id", "company", "stage", "stage_group", "date", "amount", "currency",
               "amount_usd", "amount_eur", "source", "source_row"},
    "funds": {"fund_id", "fund_name", "vintage", "size", "currency", "size_usd", "size_eur",
              "source", "source_row"},
    "series": {"source", "table", "region", "stage_group", "measure", "year", "value", "unit",
               "price_base"},
}
_READ_KW = ("encoding", "delimiter", "sheet_name", "quotechar", "escapechar", "progress")


def _kind_of(columns: list[str]) -> str | None:
    cols = {str(c).strip() for c in columns}
    for kind in ("rounds", "funds", "series"):
        if _KEYS[kind] <= cols:
            return kind
    return None


def sniff(columns: list[str]) -> bool:
    """True for the header of a canonical rounds, funds or series table written by fundgap.

    Examples
    --------
    >>> sniff(list(ROUND_COLUMNS)), sniff(["Deal ID", "Deal Size"])
    (True, False)
    """
    return _kind_of(columns) is not None


def _parse(values: pd.Series, dtype: Any) -> tuple[pd.Series, np.ndarray]:
    """Values in the canonical dtype and a mask of the present values that do not fit."""
    text = values.astype("string").str.strip()
    present = text.notna().to_numpy() & (text != "").to_numpy(dtype=bool, na_value=False)
    text = text.where(present)
    if isinstance(dtype, pd.CategoricalDtype):
        obj = text.astype(object)
        fits = obj.isin(list(dtype.categories)).to_numpy(dtype=bool)
        out = pd.Series(pd.Categorical(obj.where(fits, None), dtype=dtype), index=values.index)
    elif dtype == "datetime64[ns]":
        out = pd.to_datetime(text, errors="coerce", format="ISO8601")
    elif dtype == "Int64":
        num = pd.to_numeric(text, errors="coerce")
        ok = num.notna() & (num == num.round())
        out = num.where(ok).astype("Float64").astype("Int64")
    elif dtype == "float64":
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        out = num.where(np.isfinite(num.to_numpy()))
    elif dtype == "boolean":
        low = text.str.lower()
        out = pd.Series(pd.array(np.where(low.isin(["true", "1"]), True,
                                          np.where(low.isin(["false", "0"]), False, None)),
                                 dtype="boolean"), index=values.index)
    else:
        return values.astype("string").where(present), np.zeros(len(values), dtype=bool)
    bad = present & out.isna().to_numpy(dtype=bool)
    return out, bad


def read(path: str, *, kind: str = "rounds", today: Any = None, **options: Any) -> Loaded:
    """Read a canonical table written by fundgap (see the module docstring).

    Parameters
    ----------
    path : str
    kind : {"rounds", "funds", "series"}
    today : date-like, optional
        Unused (the dates were checked when the table was first loaded); accepted so that
        calls naming it work.
    **options
        Reading options (encoding, delimiter, sheet_name ...).

    Returns
    -------
    Loaded
    """
    from fundgap._output import unescape_text

    unknown = set(options) - set(_READ_KW)
    if unknown:
        raise FundgapError("unknown option(s) for the canonical loader", file=path,
                           argument=sorted(unknown)[0], value=sorted(unknown),
                           expected=sorted(_READ_KW))
    raw = read_table(path, header=sniff, **options)
    found = _kind_of(list(raw.frame.columns))
    if found != kind:
        raise FundgapError(f"not a canonical {kind} table (its header is that of "
                           f"{found or 'no canonical table'})", file=path, row=raw.header_row,
                           argument="kind", value=kind, expected=[found] if found else None)
    f = raw.frame
    rej = Rejector(len(f))
    out = {}
    for col in f.columns:
        text = unescape_text(f[col].astype("string"))
        if col in _SCHEMAS[kind]:
            out[col], bad = _parse(text, _SCHEMAS[kind][col])
            rej.flag(bad, f"not a valid {col}", col, f[col])
        else:
            out[col] = text
    frame = pd.DataFrame(out, index=f.index)
    if kind == "rounds" and "date" in frame:
        rej.flag(placeholder_dates(frame["date"]), PLACEHOLDER_REASON, "date", f["date"])
    if kind == "rounds" and "round_id" in frame:
        dup = frame["round_id"].notna() & frame["round_id"].duplicated()
        rej.flag(dup.to_numpy(dtype=bool), "duplicate round_id", "round_id", f["round_id"])
    data = conform(frame.loc[rej.kept], kind)
    raw.notes.append(f"fundgap's own {kind} table read back (text quoted against spreadsheet "
                     "formulas restored)")
    return Loaded(data, rej.rejects(raw), "canonical", kind, raw.path, raw.n_input,
                  list(raw.notes))


register("canonical", "any", read, sniff,
         "fundgap's own output (fundgap load's canonical rounds, funds or series table)",
         priority=20)
