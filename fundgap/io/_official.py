"""Helpers shared by the official-statistics loaders (:mod:`fundgap.io.oecd`, :mod:`fundgap.io.ncses`).

Country names are mapped with :func:`fundgap.normalise.to_iso2` and regions with
:func:`fundgap.normalise.region_of`. While those are not available (a source tree
in the middle of being built) a small fallback based on :mod:`pycountry` and the
fixed EU-27 (2020) composition is used, and the loader notes say so.

Examples
--------
>>> list(country_codes(["Slovak Republic", "Korea", "United States"]))
['SK', 'KR', 'US']
>>> list(region_codes(["DE", "GB", "NO", "HK", "IL"]))
['EU27', 'UK', 'OTHER_EUROPE', 'CN', 'ROW']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from fundgap.schema import STRING

__all__ = ["EU27_ISO2", "clean_label", "country_codes", "region_codes", "sniff_header"]

#: The 27 member states of the EU from 1 February 2020 (ISO 3166 alpha-2).
EU27_ISO2: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)

# geographic Europe outside EU-27 and the UK (used only by the fallback)
_OTHER_EUROPE = {
    "NO", "CH", "IS", "LI", "RU", "UA", "BY", "MD", "TR", "RS", "BA", "ME", "MK", "AL",
    "XK", "AD", "MC", "SM", "VA", "GI", "FO", "GG", "JE", "IM",
}

_ALIASES = {
    "korea": "KR", "south korea": "KR", "korea, rep.": "KR", "republic of korea": "KR",
    "russia": "RU", "taiwan": "TW", "vietnam": "VN", "slovak republic": "SK",
    "czech republic": "CZ", "czechia": "CZ", "turkey": "TR", "türkiye": "TR",
    "united kingdom": "GB", "uk": "GB", "united states": "US", "usa": "US",
    "hong kong": "HK", "hong kong sar": "HK", "china": "CN", "iran": "IR",
}

_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def clean_label(text: object) -> str:
    """Strip footnote markers (``<sup>a</sup>``), other HTML tags and outer whitespace.

    Examples
    --------
    >>> clean_label("EU-27<sup>b</sup> ")
    'EU-27'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    s = _TAG.sub("", _SUP.sub("", str(text)))
    return " ".join(s.split())


def footnotes(text: object) -> str:
    """Return the footnote markers of a label, comma separated ('' if none).

    Examples
    --------
    >>> footnotes("United Kingdom<sup>a</sup>")
    'a'
    """
    if text is None:
        return ""
    return ",".join(m[5:-6].strip() for m in _SUP.findall(str(text)))


def _fallback_iso2(name: str) -> str | None:
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        import pycountry

        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


def country_codes(names: Iterable[object]) -> pd.Series:
    """Country names or codes -> ISO 3166 alpha-2 (missing where not a country).

    Uses :func:`fundgap.normalise.to_iso2`; falls back to :mod:`pycountry` while that
    function is not implemented. Unique values are mapped once.
    """
    values = pd.Series(list(names), dtype="object")
    uniq = pd.Series(values.dropna().unique(), dtype="object")
    mapped: dict[object, object] = {}
    if len(uniq):
        try:
            from fundgap.normalise import to_iso2

            out = to_iso2(uniq.astype(STRING))
            mapped = dict(zip(uniq, pd.Series(out).astype("object"), strict=True))
        except (ImportError, NotImplementedError, AttributeError):
            mapped = {u: _fallback_iso2(str(u)) for u in uniq}
        # fill what the normaliser left open with the fallback (e.g. an alias it lacks)
        for u, code in list(mapped.items()):
            if code is None or (isinstance(code, float) and pd.isna(code)) or code is pd.NA:
                mapped[u] = _fallback_iso2(str(u))
    return values.map(mapped).astype(STRING)


def region_codes(iso2: Iterable[object]) -> pd.Series:
    """ISO2 -> fundgap region (EU-27 fixed 2020 composition; Hong Kong counted in CN).

    Uses :func:`fundgap.normalise.region_of`; falls back to a fixed table while that
    function is not implemented.
    """
    values = pd.Series(list(iso2), dtype="object")
    try:
        from fundgap.normalise import region_of

        out = region_of(values.astype(STRING))
        return pd.Series(out).astype("object").reset_index(drop=True)
    except (ImportError, NotImplementedError, AttributeError):
        pass

    def one(code: object) -> object:
        if code is None or code is pd.NA or (isinstance(code, float) and pd.isna(code)):
            return None
        c = str(code)
        if c in EU27_ISO2:
            return "EU27"
        if c == "GB":
            return "UK"
        if c == "US":
            return "US"
        if c in ("CN", "HK", "MO"):
            return "CN"
        if c in _OTHER_EUROPE:
            return "OTHER_EUROPE"
        return "ROW"

    uniq = {u: one(u) for u in values.dropna().unique()}
    return values.map(uniq)


def sniff_header(path: object, n: int = 4096) -> str:
    """Return the first ``n`` characters of a text file (utf-8, BOM stripped), '' if unreadable."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(n)
    except OSError:
        return ""
    for enc in ("utf-8-sig", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return ""
