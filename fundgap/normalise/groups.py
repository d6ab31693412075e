"""Countries, groups of countries and the rest of the EU-27 as places beside the regions.

Wherever fundgap takes a region code (``base=``, ``against=``, ``region=``,
``regions=``) it also takes a *place*:

* a built-in region of :data:`fundgap.schema.REGIONS` (``EU27``, ``US`` ...), as before;
* an ISO 3166 alpha-2 country code (``"BE"``): that country's own rows;
* the name of a group given as ``groups={"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}``;
* ``"EU27_excl_<group or country>"``: the rest of the EU-27, the 27 members of the
  2020 EU minus the members of that group (or that country), computed like a group.

This module defines and checks them (:func:`resolve_groups`, :class:`Groups`,
:func:`check_place`) and sums a country table (GDP, population) over a place's
members (:func:`place_totals`). :mod:`fundgap.normalise.places` turns canonical
frames into rows of the places.

Examples
--------
>>> g = resolve_groups({"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]})
>>> g.kind("coalition"), g.kind("BE"), g.kind("EU27_excl_coalition"), g.kind("USA")
('group', 'country', 'complement', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.normalise._util import reference
from fundgap.normalise.regions import EU27_2020, _valid_codes, to_iso2
from fundgap.schema import REGIONS

__all__ = ["EXCL_PREFIX", "Groups", "check_place", "place_options", "place_totals",
           "resolve_groups"]

#: Prefix of the computed complements: ``EU27_excl_coalition`` = the EU-27 without the group.
EXCL_PREFIX = "EU27_excl_"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")


def _alpha3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def _suggest(value: Any) -> str:
    """' (did you mean 'BE'?)' when the value names a country, else ''."""
    try:
        code = to_iso2([str(value)]).iloc[0]
    except (TypeError, ValueError):  # pragma: no cover - to_iso2 takes any text
        return ""
    return f" (did you mean {code!r}?)" if isinstance(code, str) and code != value else ""


class Groups(Mapping):
    """Validated groups of countries: name -> tuple of ISO 3166 alpha-2 codes.

    Build it with :func:`resolve_groups`; it reads like a dict and tells what a
    place name is (:meth:`kind`) and which countries it covers (:meth:`members`).

    Examples
    --------
    >>> g = resolve_groups({"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]})
    >>> g.kind("coalition"), g.kind("BE"), g.kind("EU27"), g.kind("EU27_excl_coalition")
    ('group', 'country', 'region', 'complement')
    >>> len(g.members("EU27_excl_coalition")), "BE" in g.members("EU27_excl_coalition")
    (22, False)
    """

    def __init__(self, members: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self._members = dict(members or {})

    def __getitem__(self, name: str) -> tuple[str, ...]:
        return self._members[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)

    def __repr__(self) -> str:
        return f"Groups({self._members!r})"

    def kind(self, place: Any) -> str | None:
        """``"region"``, ``"group"``, ``"country"``, ``"complement"`` or None (unknown)."""
        if not isinstance(place, str):
            return None
        if place in REGIONS:
            return "region"
        if place in self._members:
            return "group"
        if place in _valid_codes():
            return "country"
        if place.startswith(EXCL_PREFIX) and self.kind(place[len(EXCL_PREFIX):]) in (
                "group", "country"):
            return "complement"
        return None

    def members(self, place: str) -> tuple[str, ...]:
        """The ISO2 codes a group, country or complement covers (sorted for a complement).

        Raises
        ------
        FundgapError
            For a built-in region (its rows come from the source) or an unknown name,
            and for a complement that leaves no EU-27 member.
        """
        kind = self.kind(place)
        if kind == "group":
            return self._members[place]
        if kind == "country":
            return (place,)
        if kind == "complement":
            inner = set(self.members(place[len(EXCL_PREFIX):]))
            rest = tuple(sorted(EU27_2020 - inner))
            if not rest:
                raise FundgapError("the rest of the EU-27 is empty for this group",
                                   argument="place", value=place,
                                   expected="a group or code that leaves some EU-27 member")
            return rest
        raise FundgapError("not a group, country code or EU27_excl_<name> place", argument="place",
                           value=place, expected=[*self._members, "ISO 3166 alpha-2 code",
                                                  f"{EXCL_PREFIX}<group or code>"])


def _members_of(name: str, members: Any, argument: str) -> tuple[str, ...]:
    if isinstance(members, str):
        members = members.split(",")
    if not isinstance(members, Iterable):
        raise FundgapError(f"{argument}[{name!r}] must be a list of ISO 3166 alpha-2 codes",
                           argument=argument, value=members,
                           expected="a list of ISO 3166 alpha-2 codes, e.g. ['BE', 'NL']")
    members = list(members)
    codes = [str(m).strip().upper() for m in members]
    if not codes or codes == [""]:
        raise FundgapError(f"{argument}[{name!r}] is empty: a group needs at least one member",
                           argument=argument, value=list(codes),
                           expected="one or more ISO 3166 alpha-2 codes")
    valid = _valid_codes()
    for given, code in zip(members, codes, strict=True):
        if code not in valid:
            raise FundgapError(
                f"{argument}[{name!r}] holds {given!r}, which is not an ISO 3166 alpha-2 "
                f"country code{_suggest(given)}", argument=argument, value=given,
                expected=sorted(valid))
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise FundgapError(f"{argument}[{name!r}] lists {twice} more than once",
                           argument=argument, value=list(members),
                           expected="each member once")
    return tuple(codes)


def _check_name(name: Any, argument: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise FundgapError(
            f"a name in {argument} must start with a letter and hold only letters, digits, "
            "'_' and '-'", argument=argument, value=name,
            expected="a name such as 'coalition' or 'nordics_2'")
    clash = None
    if name.upper() in REGIONS:
        clash = "a built-in region"
    elif name.upper() in _valid_codes() or name.upper() in _alpha3():
        clash = "an ISO 3166 country code"
    elif name.upper().startswith(EXCL_PREFIX.upper()):
        clash = f"a computed rest of the EU-27 ({EXCL_PREFIX}<name>)"
    if clash:
        raise FundgapError(
            f"the group name {name!r} in {argument} is already {clash}: choose another name "
            f"(built-in regions: {list(REGIONS)}; country codes stand for themselves)",
            argument=argument, value=name, expected=["a new name such as 'coalition'"])
    return name


def resolve_groups(groups: Mapping[str, Any] | Groups | None, *,
                   argument: str = "groups") -> Groups:
    """Check ``groups`` and return them as :class:`Groups`.

    Parameters
    ----------
    groups : mapping of str to list of str, Groups or None
        Group name -> members (ISO 3166 alpha-2 codes, any case; a comma-separated
        string also works). None gives no groups.
    argument : str, default "groups"
        The argument's name, used in error messages (e.g. ``"--group"``).

    Returns
    -------
    Groups

    Raises
    ------
    FundgapError
        A name that is a built-in region (``EU27``, ``US`` ...), an ISO country code
        (alpha-2 or alpha-3) or starts with ``EU27_excl_``; an empty group; a member
        that is not an ISO 3166 alpha-2 code (the message suggests the code when it
        is a country name, e.g. ``"Belgium"`` -> ``'BE'``); a member listed twice; a
        country in two groups.

    Examples
    --------
    >>> resolve_groups({"coalition": "be,nl,dk,se,fi,no"})["coalition"]
    ('BE', 'NL', 'DK', 'SE', 'FI', 'NO')
    >>> resolve_groups({"US": ["US"]})
    Traceback (most recent call last):
    ...
    fundgap.errors.FundgapError: argument 'groups': the group name 'US' in groups is already a built-in region...
    >>> resolve_groups({"a": ["BE", "NL"], "b": ["NL"]})
    Traceback (most recent call last):
    ...
    fundgap.errors.FundgapError: argument 'groups': groups overlap: 'NL' is in 'a' and in 'b'...
    """
    if groups is None:
        return Groups()
    if isinstance(groups, Groups):
        return groups
    if not isinstance(groups, Mapping):
        raise FundgapError(f"{argument} must be a mapping of group name -> ISO2 codes, e.g. "
                           "{'coalition': ['BE', 'NL']}", argument=argument,
                           value=type(groups).__name__,
                           expected="a mapping of group name -> ISO2 codes")
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for given, members in groups.items():
        name = _check_name(given, argument)
        codes = _members_of(name, members, argument)
        for c in codes:
            if c in owner:
                raise FundgapError(f"groups overlap: {c!r} is in {owner[c]!r} and in {name!r}",
                                   argument=argument, value={owner[c]: list(out[owner[c]]),
                                                           name: list(codes)},
                                   expected="groups without a common member")
            owner[c] = name
        out[name] = codes
    return Groups(out)


def check_place(place: Any, groups: Any = None, *, argument: str = "region") -> str:
    """Return the kind of ``place`` (see :meth:`Groups.kind`); raise if it is unknown.

    Examples
    --------
    >>> check_place("BE")
    'country'
    >>> check_place("Belgium", argument="against")
    Traceback (most recent call last):
    ...
    fundgap.errors.FundgapError: argument 'against': against must be a region code, an ISO 3166 alpha-2 country code, a group of groups= or EU27_excl_<group or code> (did you mean 'BE'?); got 'Belgium'...
    """
    g = resolve_groups(groups)
    kind = g.kind(place)
    if kind is None:
        raise FundgapError(f"{argument} must be a region code, an ISO 3166 alpha-2 country code, "
                           f"a group of groups= or {EXCL_PREFIX}<group or code>{_suggest(place)}",
                           argument=argument, value=place, expected=[*REGIONS, *g])
    return kind


def place_options(groups: Any, against: Any = None) -> dict[str, Any]:
    """Checked ``groups`` and ``against`` as plain options (e.g. a report's).

    Examples
    --------
    >>> place_options({"coalition": "BE,NL"}, "coalition")
    {'groups': {'coalition': ['BE', 'NL']}, 'against': 'coalition'}
    """
    g = resolve_groups(groups)
    if against is not None:
        check_place(against, g, argument="against")
    return {"groups": {k: list(v) for k, v in g.items()} or None, "against": against}


# ----------------------------------------------------------------------------- tables


#: The shipped country tables by kind and name: GDP, the World Bank's (no Norway) and the one
#: implied by the OECD; population, the World Bank's (``population_wb``, Norway included).
_SHIPPED = {"gdp": {"shipped": "gdp_usd.csv", "oecd": "gdp_oecd.csv"},
            "population": {"shipped": "population_wb.csv"}}


def _country_table(table: Any, what: str) -> pd.DataFrame | None:
    """A country table (iso2/country, year, value) as iso2, year, value; None = no table.

    ``"shipped"`` is the World Bank GDP (``gdp_usd``, no Norway) for ``what="gdp"`` and
    the World Bank population (``population_wb``) for ``what="population"``; ``"oecd"``
    the GDP implied by the OECD VC table (``gdp_oecd``: USD / share of GDP, Norway
    included).
    """
    if table is None:
        return None
    if isinstance(table, str):
        names = _SHIPPED.get(what, {})
        if table not in names:
            raise FundgapError(f"{what} must be {', '.join(map(repr, names))}, None or a frame",
                               argument=what, value=table, expected=[*names, None, "DataFrame"])
        table = reference(names[table])
    if not isinstance(table, pd.DataFrame):
        raise FundgapError(f"{what} must be a DataFrame with iso2, year and value",
                           argument=what, value=type(table).__name__,
                           expected=["shipped", None, "DataFrame"])
    code = next((c for c in ("iso2", "country") if c in table.columns), None)
    value = next((c for c in ("value", "gdp_usd_m", "population") if c in table.columns), None)
    if code is None or value is None or "year" not in table.columns:
        raise MissingColumnError(f"{what} needs columns iso2 (or country), year and value",
                                 argument=what, expected=["iso2", "year", "value"])
    out = pd.DataFrame({
        "iso2": table[code].astype("object").to_numpy(),
        "year": pd.to_numeric(table["year"], errors="coerce").to_numpy(dtype="float64"),
        "value": pd.to_numeric(table[value], errors="coerce").to_numpy(dtype="float64"),
    })
    out = out[out["iso2"].notna() & np.isfinite(out["value"])].reset_index(drop=True)
    if out.duplicated(["iso2", "year"]).any():
        raise FundgapError(f"{what} holds several values for one country and year",
                           argument=what,
                           value=out[out.duplicated(["iso2", "year"])].iloc[0].tolist(),
                           expected="one value per country and year")
    return out


def place_totals(places: Sequence[str], groups: Any = None, *,
                 table: Any = "shipped") -> pd.DataFrame:
    """A country table (GDP, population) summed over each place's members, by year.

    For ``scale=``/``denominators=`` of :func:`fundgap.depth` and ``gdp=`` of
    :func:`fundgap.gap`. A year is given only when **every** member has a value, so
    a denominator never covers fewer countries than the rounds it divides.

    Parameters
    ----------
    places : sequence of str
        Groups, ISO2 codes, ``EU27_excl_<name>`` and ``EU27`` (its 27 members).
    groups : mapping, optional
    table : "shipped", "oecd" or DataFrame, default "shipped"
        "shipped" = World Bank GDP in USD millions (``gdp_usd``); "oecd" = the GDP
        implied by the OECD VC table (``gdp_oecd``, Norway included); or a frame with
        iso2 (or country), year and value (e.g. population in persons).

    Returns
    -------
    DataFrame
        region, year, value, n_members.

    Examples
    --------
    >>> pop = pd.DataFrame({"iso2": ["BE", "NL", "BE"], "year": [2024, 2024, 2025],
    ...                     "value": [11.8e6, 17.9e6, 11.9e6]})  # SYNTHETIC
    >>> place_totals(["benelux"], {"benelux": ["BE", "NL"]}, table=pop)
        region  year       value  n_members
    0  benelux  2024  29700000.0          2
    """
    g = resolve_groups(groups)
    t = _country_table(table, "gdp" if isinstance(table, str) else "table")
    rows = []
    for place in dict.fromkeys(places):
        members = EU27_2020 if place == "EU27" else set(g.members(place))
        sub = t[t["iso2"].isin(list(members))]
        for year, grp in sub.groupby("year", sort=True):
            if set(grp["iso2"]) == set(members):
                rows.append({"region": place, "year": int(year), "value": float(grp["value"].sum()),
                             "n_members": len(members)})
    return pd.DataFrame(rows, columns=["region", "year", "value", "n_members"])
