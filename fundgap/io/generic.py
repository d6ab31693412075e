"""Generic loader: any CSV/XLSX table, driven by a column mapping the user supplies.

``columns`` maps canonical field names to the file's headers. Fields:

* rounds: ``company`` and ``date`` (required), ``amount``, ``currency``,
  ``amount_usd`` (a provider USD figure, millions after ``unit``), ``country``,
  ``stage``, ``sector`` (text the biotech flag is read from), ``is_biotech``
  (a yes/no column), ``description`` (free text; with ``sector`` it gives the
  ``modality``, see :func:`fundgap.normalise.modality.modality_of`), ``round_id``;
* funds: ``fund_name`` (required), ``size``, ``currency``, ``vintage``,
  ``manager``, ``country``, ``fund_type``, ``life_science_focus``, ``fund_id``;
* series: ``year`` and ``value`` (required) and any other series column; columns
  not in the file can be set for every row with ``constants={...}``.

The options become a :class:`~fundgap.io.Layout` (never sniffed), read like any other:
a provider whose files come often is better declared once (``docs/guide/new_provider.md``).

Examples
--------
>>> import os, tempfile, fundgap
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "synthetic_rounds.csv")
>>> with open(p, "w") as f:
...     _ = f.write("Startup,When,EUR m,Round\\nAcme Bio,2021-03-01,12.5,Series A\\n")
>>> ld = fundgap.read_rounds(p, source="generic", currency="EUR",
...     columns={"company": "Startup", "date": "When", "amount": "EUR m", "stage": "Round"})
>>> row = ld.data.iloc[0]
>>> row["company"], float(row["amount"]), row["currency"], row["stage"]
('Acme Bio', 12.5, 'EUR', 'series_a')
"""

from __future__ import annotations

from typing import Any

from fundgap.errors import FundgapError
from fundgap.io._layout import FIELDS, KINDS, UNITS, Layout
from fundgap.io._pipeline import read_layout
from fundgap.io._registry import register
from fundgap.loaded import Loaded

__all__ = ["UNITS", "layout_of", "read"]

#: Mapped fields read from a CSV as categoricals, by kind.
_LABELS = {
    "rounds": ("date", "stage", "currency", "country", "sector", "is_biotech", "description"),
    "funds": ("currency", "country", "fund_type", "life_science_focus", "vintage"),
    "series": (),
}
_REQUIRED = {"rounds": ("company", "date"), "funds": ("fund_name",), "series": ("year", "value")}


def layout_of(*, kind: str = "rounds", columns: dict[str, str] | None = None,
              currency: str | None = None, unit: str = "millions", stage_taxonomy: str = "any",
              constants: dict[str, Any] | None = None, dayfirst: bool = False,
              file: Any = None) -> Layout:
    """The :class:`~fundgap.io.Layout` of :func:`read`'s options (see there); ``file`` is
    named in the errors.

    Examples
    --------
    >>> layout_of(columns={"company": "Startup", "date": "When"}).columns["company"]
    ('Startup',)
    >>> layout_of(kind="deals", columns={"company": "Startup"})
    Traceback (most recent call last):
    ...
    fundgap.errors.FundgapError: argument 'kind': generic loader: unknown kind; got 'deals'; expected one of ['rounds', 'funds', 'series']
    """
    if kind not in KINDS:
        raise FundgapError("generic loader: unknown kind", file=file, argument="kind",
                           value=kind, expected=KINDS)
    if not columns:
        raise FundgapError(
            "source='generic' needs columns={canonical field: header in the file}",
            file=file, argument="columns", value=columns,
            expected=[f"{f} (required)" for f in _REQUIRED[kind]] + [
                f for f in FIELDS[kind] if f not in _REQUIRED[kind]],
        )
    constants = constants or {}
    # every mapped column must be in the file (a misspelt header is an error, not a gap)
    required = [f for f in _REQUIRED[kind] if f not in constants]
    try:
        return Layout("generic", kind=kind, columns=columns, currency=currency, unit=unit,
                      stages=stage_taxonomy, constants=constants, dayfirst=dayfirst,
                      required=tuple(dict.fromkeys([*required, *columns])),
                      labels=_LABELS[kind], sniff=False)
    except FundgapError as err:  # (the same error, naming the file)
        raise FundgapError(err.message, file=file, argument=err.argument, value=err.value,
                           expected=err.expected) from None


def read(path: str, *, kind: str = "rounds", columns: dict[str, str] | None = None,
         currency: str | None = None, unit: str = "millions", stage_taxonomy: str = "any",
         constants: dict[str, Any] | None = None, dayfirst: bool = False, today: Any = None,
         **options: Any) -> Loaded:
    """Read ``path`` with a user column mapping (see the module docstring).

    Parameters
    ----------
    path : str
    kind : {"rounds", "funds", "series"}
    columns : dict
        Canonical field -> header in the file.
    currency : str, optional
        Currency of amounts where the file has no currency column.
    unit : {"units", "thousands", "millions", "billions"}, default "millions"
        Scale of plain numbers in the amount/size/value columns.
    stage_taxonomy : str, default "any"
        Passed to :func:`fundgap.normalise.map_stage`; unknown labels become
        ``venture_unknown``.
    constants : dict, optional
        Series only: values for columns absent from the file.
    dayfirst : bool
        Read ``01/02/2024`` as 1 February.
    today : date-like, optional
        Cut-off for "date in the future" (default: today).
    **options
        Reading options: encoding, delimiter, sheet_name, quotechar, escapechar.

    Returns
    -------
    Loaded

    Raises
    ------
    FundgapError
        Without ``columns`` or with an unknown ``unit``/``kind``/option (naming the
        argument, the values allowed and the value given).
    MissingColumnError
        If a mapped column is not in the file.
    """
    layout = layout_of(kind=kind, columns=columns, currency=currency, unit=unit,
                       stage_taxonomy=stage_taxonomy, constants=constants, dayfirst=dayfirst,
                       file=path)
    return read_layout(layout, path, today=today, **options)


register("generic", "any", read, None,
         "any CSV/XLSX with columns={canonical field: header} (rounds, funds or series)")
