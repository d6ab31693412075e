"""A provider's export layout, declared: :class:`Layout`.

A layout says which headers hold which field, in which unit and currency the amounts
are, how stage labels and statuses read, which text says biotech and modality, and
how to recognise the file by its header. :func:`fundgap.io.register_loader` turns a
layout into a loader: ``read_rounds(path, source=name)`` then reads such files, and
``read_rounds(path)`` recognises them. See ``docs/guide/new_provider.md``.

Examples
--------
>>> from fundgap.io import Layout
>>> lay = Layout("acme_deals", columns={"company": "Startup", "date": "Closed on",
...              "amount": ["Raised (EUR m)", "Raised"], "stage": "Round"}, currency="EUR")
>>> lay.columns["amount"], lay.required, lay.sniffer()(["Startup", "Closed on", "Round"])
(('Raised (EUR m)', 'Raised'), ('company', 'date'), True)
>>> Layout("x", kind="deals", columns={"company": "A"})
Traceback (most recent call last):
...
fundgap.errors.FundgapError: argument 'kind': unknown kind of data; got 'deals'; expected one of ['rounds', 'funds', 'series']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fundgap.errors import FundgapError
from fundgap.io._headers import snake

__all__ = ["FIELDS", "KINDS", "UNITS", "Layout"]

#: Kinds of data a layout holds.
KINDS: tuple[str, ...] = ("rounds", "funds", "series")
#: Multipliers from a file's unit to millions.
UNITS: dict[str, float] = {"units": 1e-6, "thousands": 1e-3, "millions": 1.0, "billions": 1e3}
#: The fields with a meaning of their own, by kind (a layout may name others: text it
#: keeps, or reads the biotech flag, the sector or the modality from).
FIELDS: dict[str, tuple[str, ...]] = {
    "rounds": ("company", "date", "amount", "currency", "amount_usd", "country", "stage",
               "status", "sector", "is_biotech", "description", "round_id"),
    "funds": ("fund_name", "size", "size_usd", "currency", "vintage", "manager", "country",
              "fund_type", "life_science_focus", "status", "fund_id"),
    "series": ("year", "value", "source", "table", "region", "country", "sector", "stage_group",
               "measure", "unit", "price_base"),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "rounds": ("company", "date"), "funds": ("fund_name",), "series": ("year", "value"),
}
#: Fields read as categoricals by default (few distinct labels: parsed once per label).
_LABELS: dict[str, tuple[str, ...]] = {
    "rounds": ("date", "stage", "currency", "country", "sector", "is_biotech", "description",
               "status"),
    "funds": (),
    "series": (),
}

Hook = Callable[..., Any]
SniffRule = bool | Sequence[str | Sequence[str]] | Callable[[list[str]], bool]


@dataclass(frozen=True)
class Layout:
    """How one provider writes an export: which header holds which field, and how to read it.

    Parameters
    ----------
    name : str
        The ``source=`` name (lower case).
    kind : {"rounds", "funds", "series"}
    columns : mapping
        Field -> the header that holds it, or a list of accepted headers (matched case-
        and punctuation-insensitively: "Deal Size" = "DEAL_SIZE"). The fields are
        those of :data:`FIELDS` -- for rounds ``company``, ``date``, ``amount``,
        ``currency``, ``amount_usd`` (the provider's USD figure), ``country``,
        ``stage``, ``status``, ``sector``, ``is_biotech`` (a yes/no column),
        ``description``, ``round_id``; for funds ``fund_name``, ``size``, ``size_usd``,
        ``currency``, ``vintage``, ``manager``, ``country``, ``fund_type``,
        ``life_science_focus`` (yes/no), ``status``, ``fund_id``; for series ``year``,
        ``value`` and the series columns -- plus any name of your own for text that is
        kept, or that the biotech flag, the sector or the modality is read from.
    currency : str, optional
        ISO 4217 code of the amounts where the file has no currency column.
    unit : {"units", "thousands", "millions", "billions"}, default "millions"
        Scale of plain numbers in the amount, size, USD and value columns ("$5M" and
        "2.5bn" carry their own scale).
    stages : mapping or str, default "any"
        Stage label -> canonical stage (:data:`fundgap.schema.STAGES`); labels not
        listed are read by the shared crosswalk. Or the name of a shipped crosswalk
        (:data:`fundgap.normalise.stages.TAXONOMIES`). Unknown labels become
        ``venture_unknown`` (counted in the notes).
    statuses : sequence of str, optional
        The ``status`` labels of rows to keep (case-insensitive); any other status,
        an empty one included, is rejected as ``f"{status_reason}: {label}"``.
    status_reason : str, default "status not accepted"
    required : sequence of str, optional
        Fields without which the file cannot be read (default: rounds ``company`` and
        ``date``; funds ``fund_name``; series ``year`` and ``value``).
    keep : sequence of str or mapping, optional
        Output columns kept after the canonical ones, in this order: field names, or a
        mapping output column -> field (mapped, or set by the ``prepare`` hook).
        ``"modality"`` (read from the ``modality`` fields) may be placed among them; it
        comes first otherwise. Text is kept
        cleaned (blanks stripped, spreadsheet artefacts such as ``#N/A`` missing).
        Default: ``modality`` and ``description`` for rounds, nothing for funds.
    biotech : sequence of str, default ("sector",)
        Fields whose text says biotech (rounds: :func:`fundgap.normalise.is_biotech`;
        funds: life-science words give ``life_science_focus``).
    sector : sequence of str, default ("sector",)
        Fields joined (" / ") into ``sector_raw``.
    modality : sequence of str, default ("sector", "description")
        Fields the ATMP ``modality`` is read from (:func:`fundgap.normalise.modality.modality_of`).
    id_prefix : str, default ""
        Put before the provider's ids (``round_id`` / ``fund_id``).
    amount_is_usd : bool, default False
        Amounts (fund sizes) are US dollars unless a cell writes its own currency.
    dayfirst : bool, default False
        Read ``03/04/2021`` as 3 April.
    date_formats : sequence of str, default ()
        ``strftime`` formats tried before the built-in ones.
    constants : mapping, default {}
        Series: values of series columns the file does not hold.
    labels : sequence of str, optional
        Fields with few distinct values, read from a CSV as categoricals (default, for
        rounds: date, stage, currency, country, sector, is_biotech, description, status
        and the biotech, sector and modality fields; for funds and series none: every
        column is read as text).
    only_mapped : bool, default False
        Read only the mapped columns (faster on a wide export; the rejects then carry
        those columns, and exact duplicates are rows equal on them).
    sniff : bool, sequence or callable, default True
        How the file is recognised (and its header row found below banner rows): True,
        by the headers of the required fields; a sequence of headers (an inner sequence
        is satisfied by any of its headers); a function of the header's cells; False:
        never guessed (``source=`` must name it).
    priority : int, default 0
        Layouts with a higher priority are tried first when sniffing.
    description : str
        One line for :func:`fundgap.io.describe_sources`.
    read_options : mapping, default {}
        Defaults of the reading options (``quotechar``, ``escapechar``, ``encoding`` ...).
    duplicates_ignore : sequence of str, default ()
        Funds: fields whose values may differ between exact duplicate rows (ids,
        timestamps); the id fields always are.
    prepare, stage_rule, country_rule, biotech_rule, fund_type_rule, check_rule : callable, optional
        Hooks for what a provider does its own way. Each receives the
        :class:`fundgap.io.Fields` of the file: ``prepare(fields)`` may reject rows,
        add notes and replace fields before the rest is read; ``stage_rule(fields)``
        returns ``(stage, stage_raw)``; ``country_rule(fields)`` the country text of
        each row; ``biotech_rule(fields)`` a boolean per row (rounds: is biotech;
        funds: life-science focus); ``fund_type_rule(fields)`` ``vc`` / ``growth`` /
        ``pe`` / ``other`` per row; ``check_rule(funds, fields)`` may reject funds on
        the frame of those kept so far (with ``size_usd``).

    Raises
    ------
    FundgapError
        Naming the argument, the allowed values and the value given.
    """

    name: str
    kind: str = "rounds"
    columns: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    currency: str | None = None
    unit: str = "millions"
    stages: Mapping[str, str] | str = "any"
    statuses: Sequence[str] | None = None
    status_reason: str = "status not accepted"
    required: Sequence[str] | None = None
    keep: Sequence[str] | Mapping[str, str] | None = None
    biotech: Sequence[str] = ("sector",)
    sector: Sequence[str] = ("sector",)
    modality: Sequence[str] = ("sector", "description")
    id_prefix: str = ""
    amount_is_usd: bool = False
    dayfirst: bool = False
    date_formats: Sequence[str] = ()
    constants: Mapping[str, Any] = field(default_factory=dict)
    labels: Sequence[str] | None = None
    only_mapped: bool = False
    sniff: SniffRule = True
    priority: int = 0
    description: str = ""
    read_options: Mapping[str, Any] = field(default_factory=dict)
    prepare: Hook | None = None
    stage_rule: Hook | None = None
    country_rule: Hook | None = None
    biotech_rule: Hook | None = None
    fund_type_rule: Hook | None = None
    check_rule: Hook | None = None
    duplicates_ignore: Sequence[str] = ()

    def __post_init__(self) -> None:
        _check(isinstance(self.name, str) and self.name.strip() != "", "name",
               "a layout needs a name (the source= name)", self.name)
        _set(self, "name", self.name.strip().lower())
        _check(self.kind in KINDS, "kind", "unknown kind of data", self.kind, KINDS)
        _set(self, "columns", _columns(self.columns))
        _check(self.unit in UNITS, "unit", "unknown unit", self.unit, UNITS)
        required = _REQUIRED[self.kind] if self.required is None else tuple(self.required)
        missing = [f for f in required if f not in self.columns and f not in self.constants]
        _check(not missing, "columns", f"the required field(s) {missing} have no header",
               sorted(self.columns), required)
        _set(self, "required", required)
        # (a prepare hook may set fields of its own, which can be kept too)
        _set(self, "keep", _keep(self.keep, self.columns, self.kind, self.prepare is not None))
        for name in ("biotech", "sector", "modality", "date_formats", "duplicates_ignore"):
            _set(self, name, _names(getattr(self, name), name))
        labels = _LABELS[self.kind]
        if self.kind == "rounds":  # (the text read for flags, sectors and modalities too)
            labels = tuple(dict.fromkeys(labels + self.biotech + self.sector + self.modality))
        _set(self, "labels", _names(labels if self.labels is None else self.labels, "labels"))
        _set(self, "stages", _stages(self.stages))
        if self.statuses is not None:
            _set(self, "statuses", _names(self.statuses, "statuses"))
        _check(self.currency is None or isinstance(self.currency, str), "currency",
               "the currency is an ISO 4217 code", self.currency)
        for name in ("prepare", "stage_rule", "country_rule", "biotech_rule", "fund_type_rule",
                     "check_rule"):
            hook = getattr(self, name)
            _check(hook is None or callable(hook), name, "a hook must be callable", hook)

    @property
    def scale(self) -> float:
        """Multiplier from the file's plain numbers to millions."""
        return UNITS[self.unit]

    def sniffer(self) -> Callable[[list[str]], bool] | None:
        """The header test: True for a header row of this layout (None: never sniffed)."""
        rule = self.sniff
        if rule is False:
            return None
        if callable(rule):
            return rule
        groups = ([self.columns[f] for f in self.required if f in self.columns] if rule is True
                  else [(g,) if isinstance(g, str) else tuple(g) for g in rule])
        keyed = [{snake(h) for h in g} for g in groups]

        def sniff(cells: list[str]) -> bool:
            keys = {snake(c) for c in cells}
            return all(keys & g for g in keyed)

        return sniff


def _set(obj: Layout, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # (a frozen dataclass normalises its own fields)


def _check(ok: bool, argument: str, message: str, value: Any, expected: Any = None) -> None:
    if not ok:
        raise FundgapError(message, argument=argument, value=value,
                           expected=None if expected is None else list(expected))


def _columns(columns: Any) -> dict[str, tuple[str, ...]]:
    """Field -> a tuple of accepted headers."""
    _check(isinstance(columns, Mapping) and len(columns) > 0, "columns",
           "columns must map fields to headers, e.g. {'company': 'Startup'}", columns)
    out = {}
    for key, headers in columns.items():
        alts = (headers,) if isinstance(headers, str) else tuple(headers)
        _check(isinstance(key, str) and alts != () and all(isinstance(h, str) and h.strip()
                                                            for h in alts),
               "columns", f"field {key!r} needs a header (text) or a list of them", headers)
        out[key] = alts
    return out


def _names(values: Any, argument: str) -> tuple[str, ...]:
    values = (values,) if isinstance(values, str) else tuple(values)
    _check(all(isinstance(v, str) for v in values), argument, "a list of names is expected",
           values)
    return values


def _keep(keep: Any, columns: Mapping[str, Any], kind: str, hooked: bool) -> dict[str, str]:
    """Output column -> field (``modality`` may stand for itself)."""
    if keep is None:
        keep = [k for k in ("modality", "description") if k in columns or k == "modality"
                ] if kind == "rounds" else []
    pairs = dict(keep) if isinstance(keep, Mapping) else {k: k for k in _names(keep, "keep")}
    unknown = [f for f in pairs.values() if f not in columns and f != "modality" and not hooked]
    _check(not unknown, "keep", f"kept field(s) {unknown} are not in columns", unknown,
           [*columns, "modality"])
    return pairs


def _stages(stages: Any) -> Mapping[str, str] | str:
    from fundgap.normalise.stages import TAXONOMIES
    from fundgap.schema import STAGES

    if isinstance(stages, str):
        _check(stages in TAXONOMIES, "stages", "unknown stage crosswalk", stages, TAXONOMIES)
        return stages
    _check(isinstance(stages, Mapping), "stages",
           "stages must map labels to stages, or name a crosswalk", stages)
    bad = {k: v for k, v in stages.items() if v not in STAGES}
    _check(not bad, "stages", "unknown canonical stage(s)", bad, STAGES)
    return dict(stages)
