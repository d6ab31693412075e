r"""Parse money amounts written as text into numbers in millions.

Accepted forms (case-insensitive, white space optional):

* plain numbers: ``"1250000"``, ``"1,250.5"``, ``"1 250 000"``, ``"1'250"``;
* a currency code or symbol before or after: ``"$12M"``, ``"US$ 3.5m"``, ``"EUR 5 m"``,
  ``"5m €"``, ``"£1.2bn"``, ``"CHF 800k"``, ``"3 MUSD"``, ``"250 kEUR"``;
* a scale word or suffix: ``k``/``thousand`` (1e3), ``m``/``mm``/``mn``/``mln``/``mio``/
  ``million`` (1e6), ``b``/``bn``/``bln``/``mrd``/``billion`` (1e9), ``tn``/``trillion`` (1e12).

Undisclosed: missing values and ``""``, ``"-"``, ``"—"``, ``"–"``, ``"n/a"``, ``"na"``,
``"nan"``, ``"none"``, ``"null"``, ``"undisclosed"``, ``"not disclosed"``, ``"unknown"``.

Separators
----------
* Both ``,`` and ``.`` present: the one that comes last is the decimal mark
  (``"1,250.5"`` -> 1250.5, ``"1.250,5"`` -> 1250.5).
* Only commas: ``"1,250"`` and ``"1,250,000"`` (groups of exactly three digits) are
  thousands separators, as in English-language exports; a single comma followed by
  one, two or four-plus digits is a decimal comma (``"5,5"`` -> 5.5, ``"1,25"`` -> 1.25),
  because it cannot be a thousands separator. So ``"1,250"`` is 1250, never 1.25.
* Only dots: one dot is a decimal point (``"1.250"`` -> 1.25); several dots with groups
  of three digits are thousands separators (``"1.250.000"`` -> 1250000).
* Anything else (``"1,2,3"``, ranges ``"5-10m"``, ``"~5m"``, ``">5m"``, Excel ``"#NAME?"``,
  hexadecimal ``"0x10"``, ``"inf"``, digits of other scripts such as full-width ``"１２３"``)
  is ``invalid``.

Scale
-----
A number with a scale word is converted to millions exactly (``"500k"`` -> 0.5); a bare
number is multiplied by ``scale`` (``scale=1e-6`` for files in raw units, e.g. the
CrunchBase 2013 ``raised_amount_usd``; the default 1.0 means the file is in millions).

Signs
-----
A leading ``-`` or accounting parentheses ``"(5)"`` give status ``negative``; the
amount keeps the (negative) value so the loader can show it in the rejects.

Examples
--------
>>> from fundgap.normalise import parse_amounts
>>> parse_amounts(["1,250.5", "$12M", "EUR 5 m", "1.2bn", "500k", "-", "n/a", "", "—"]).values.tolist()
[[1250.5, <NA>, 'ok'], [12.0, 'USD', 'ok'], [5.0, 'EUR', 'ok'], [1200.0, <NA>, 'ok'], [0.5, <NA>, 'ok'], [nan, <NA>, 'undisclosed'], [nan, <NA>, 'undisclosed'], [nan, <NA>, 'undisclosed'], [nan, <NA>, 'undisclosed']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.normalise._util import STRING, as_series, codes_to_strings
from fundgap.normalise.currency import normalise_currency

__all__ = ["STATUSES", "STATUS_INVALID", "STATUS_NEGATIVE", "STATUS_OK", "STATUS_UNDISCLOSED",
           "parse_amount_codes", "parse_amounts"]

#: The status codes of :func:`parse_amounts`.
STATUSES: tuple[str, ...] = ("ok", "undisclosed", "invalid", "negative")
#: The codes :func:`parse_amount_codes` gives each status (positions in :data:`STATUSES`).
STATUS_OK, STATUS_UNDISCLOSED, STATUS_INVALID, STATUS_NEGATIVE = range(len(STATUSES))

_UNDISCLOSED = frozenset(
    {"", "-", "--", "---", "—", "–", "n/a", "na", "n.a.", "n.a", "nan", "none", "null", "nil",
     "undisclosed", "not disclosed", "unknown", "n/d", "nd", "n.d."}
)
_MULT = {
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "tsd": 1e3,
    "m": 1e6, "mm": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "mrd": 1e9, "billion": 1e9, "billions": 1e9,
    "tn": 1e12, "trillion": 1e12, "trillions": 1e12,
}
_CUR = r"(?:[A-Za-z]{3}|US\$|[A-Za-z]{1,3}\$|\$|€|£|¥|CN¥|JP¥|RMB¥|₹|₩|₪|₽|₺)"
_MULT_RE = "|".join(sorted(_MULT, key=len, reverse=True))
#: One pattern for the whole value (RE2 syntax, run by Arrow over the unique values).
_AMOUNT_RE = (
    r"(?i)^(?P<open>\()?\s*(?P<sign1>[-+])?\s*"
    rf"(?P<cur1>{_CUR})?\s*(?P<sign2>[-+])?\s*"
    r"(?P<num>[0-9][0-9.,' ]*[0-9]|[0-9]|[.,][0-9]+)"
    rf"\s*(?P<mult>{_MULT_RE})?\.?\s*(?P<cur2>{_CUR})?\s*(?P<close>\))?$"
)
_GROUPS = ("open", "sign1", "cur1", "sign2", "num", "mult", "cur2", "close")


def _mask(values) -> np.ndarray:
    """Boolean mask (missing -> False) from any boolean-like Series/array."""
    return pd.Series(values).to_numpy(dtype=bool, na_value=False)


def _floats(text: pd.Series) -> np.ndarray:
    """Strings already checked to be plain decimal numbers -> float64 (Arrow cast)."""
    if len(text) == 0:
        return np.empty(0)
    return text.astype(STRING).astype("float64").to_numpy(dtype="float64", na_value=np.nan)


def _parse_number(num: pd.Series) -> np.ndarray:
    """Numbers written with , . ' and space separators -> float (NaN if ambiguous/invalid)."""
    s = num.astype(STRING).str.replace(r"[ ']", "", regex=True)
    out = np.full(len(s), np.nan)
    if len(s) == 0:
        return out
    has_c = _mask(s.str.contains(",", regex=False))
    has_d = _mask(s.str.contains(".", regex=False))

    def fill(sel: np.ndarray, pattern: str, *replacements: tuple[str, str]) -> np.ndarray:
        """Parse the rows ``sel`` that fully match ``pattern``; return the mask of parsed rows."""
        done = np.zeros(len(s), dtype=bool)
        if not sel.any():
            return done
        sub = s[sel]
        ok = _mask(sub.str.fullmatch(pattern))
        if not ok.any():
            return done
        text = sub[ok]
        for old, new in replacements:
            text = text.str.replace(old, new, regex=False)
        idx = np.nonzero(sel)[0][ok]
        out[idx] = _floats(text)
        done[idx] = True
        return done

    fill(~has_c & ~has_d, r"[0-9]+")
    # only commas: thousands if every group has three digits, else one decimal comma
    only_c = has_c & ~has_d
    thousands = fill(only_c, r"[0-9]{1,3}(?:,[0-9]{3})+", (",", ""))
    fill(only_c & ~thousands, r"[0-9]*,(?:[0-9]{1,2}|[0-9]{4,})", (",", "."))
    # only dots: one dot is a decimal point; several dots are thousands separators
    only_d = has_d & ~has_c
    single = fill(only_d, r"[0-9]*\.[0-9]+")
    fill(only_d & ~single, r"[0-9]{1,3}(?:\.[0-9]{3}){2,}", (".", ""))
    # both: the separator that comes last is the decimal mark
    both = has_c & has_d
    us = fill(both, r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+", (",", ""))
    fill(both & ~us, r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", (".", ""), (",", "."))
    return out


def _extract(text: pd.Series) -> pd.DataFrame:
    """Named groups of :data:`_AMOUNT_RE` for each string (NA where it does not match)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.astype(STRING).to_numpy(dtype=object, na_value=None), type=pa.string())
    st = pc.extract_regex(arr, _AMOUNT_RE)
    out = {}
    for g in _GROUPS:
        col = pc.struct_field(st, g)
        col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
        out[g] = pd.Series(col.to_pylist(), index=text.index, dtype=object).astype(STRING)
    return pd.DataFrame(out, index=text.index)


def _parse_unique_text(u: pd.Series, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse unique strings. Returns (amount, currency_hint, status) arrays."""
    n = len(u)
    amount = np.full(n, np.nan)
    hint = np.full(n, None, dtype=object)
    status = np.full(n, "invalid", dtype=object)

    text = (
        u.astype(STRING)
        .str.replace("[\u00a0\u202f\u2009]", " ", regex=True)
        .str.replace("\u2212", "-", regex=False)
        .str.strip()
    )
    undisclosed = _mask(text.str.lower().isin(list(_UNDISCLOSED)))
    status[undisclosed] = "undisclosed"

    # fast path: plain numbers ("1250000", "-3.5", "1e6"), cast by Arrow
    plain_mask = _mask(text.str.fullmatch(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"))
    plain = np.full(n, np.nan)
    plain[plain_mask] = _floats(text[plain_mask].str.lstrip("+"))
    # fast path too: comma-grouped thousands ("1,250", "12,345,678.5"), unambiguous
    grouped = ~plain_mask & _mask(text.str.fullmatch(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"))
    if grouped.any():
        plain[grouped] = _floats(text[grouped].str.replace(",", "", regex=False).str.lstrip("+"))
    is_plain = np.isfinite(plain) & ~undisclosed
    amount[is_plain] = plain[is_plain] * scale
    status[is_plain] = np.where(plain[is_plain] < 0, "negative", "ok")

    todo = ~undisclosed & ~is_plain
    if not todo.any():
        return amount, hint, status
    t = text[todo]
    parts = _extract(t)
    matched = parts["num"].notna().to_numpy(dtype=bool)
    value = _parse_number(parts["num"].fillna("").str.strip())
    mult = parts["mult"].str.lower().map(_MULT).to_numpy(dtype="float64", na_value=np.nan)
    millions = np.where(np.isfinite(mult), value * mult / 1e6, value * scale)
    cur1 = normalise_currency(parts["cur1"])
    cur2 = normalise_currency(parts["cur2"])
    bad_cur = (_mask(parts["cur1"].notna()) & ~_mask(cur1.notna())) | (
        _mask(parts["cur2"].notna()) & ~_mask(cur2.notna())
    )
    clash = _mask(cur1.notna() & cur2.notna()) & (
        cur1.fillna("").to_numpy(dtype=object) != cur2.fillna("").to_numpy(dtype=object)
    )
    cur = cur1.fillna(cur2).to_numpy(dtype=object, na_value=None)
    has_open = _mask(parts["open"].notna())
    has_close = _mask(parts["close"].notna())
    paren = has_open & has_close
    paren_ok = has_open == has_close
    two_signs = _mask(parts["sign1"].notna()) & _mask(parts["sign2"].notna())
    neg = _mask(parts["sign1"] == "-") | _mask(parts["sign2"] == "-") | paren
    good = matched & np.isfinite(value) & ~bad_cur & ~clash & paren_ok & ~two_signs
    idx = np.nonzero(todo)[0]
    signed = np.where(neg, -np.abs(millions), millions)
    amount[idx[good]] = signed[good]
    status[idx[good]] = np.where(neg[good], "negative", "ok")
    hint[idx[good]] = cur[good]
    return amount, hint, status


#: A plain number: optional minus, digits with optional thousands commas, optional decimals.
_PLAIN_NUMBER = r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$"


def _plain_numbers(u: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Which distinct texts are plain numbers (``_PLAIN_NUMBER``, one Arrow regex) and the
    float values of those (thousands commas dropped, one Arrow cast).

    Examples
    --------
    >>> m, x = _plain_numbers(pd.Series(["1,250.5", "$5M", "-3"], dtype=object))
    >>> m.tolist(), x.tolist()
    ([True, False, True], [1250.5, -3.0])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(u.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    hit = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
    plain = arr.filter(hit)
    values = pc.cast(pc.replace_substring(plain, ",", ""), pa.float64())
    return (np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool),
            np.asarray(values.to_numpy(zero_copy_only=False), dtype="float64"))


def _all_plain_numbers(s: pd.Series) -> np.ndarray | None:
    """Float values of an Arrow string column if every present value is a plain finite
    number that Arrow casts ("1250000", "-3.5"), or a plain number with thousands commas
    (``_PLAIN_NUMBER``: "1,250.50"); else None (the general parser runs)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_data(s)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    if len(arr) < 100_000:  # small columns: the general path is cheap and exact
        return None
    try:
        num = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # thousands commas ("1,250.50"): every present value a plain number (the test the
        # general parser makes per distinct text), then the same cast without the commas
        if not pc.all(pc.match_substring_regex(arr, _PLAIN_NUMBER)).as_py():
            return None
        num = pc.cast(pc.replace_substring(arr, ",", ""), pa.float64())
    x = num.to_numpy() if isinstance(num, pa.Array) else np.concatenate(
        [c.to_numpy(zero_copy_only=False) for c in num.chunks]) if num.num_chunks else np.empty(0)
    x = np.asarray(x, dtype="float64")
    if np.isinf(x).any() or int(np.isnan(x).sum()) != arr.null_count:
        return None  # "inf", "nan" and the like: the general parser decides
    return x


def parse_amount_codes(values, *, scale: float = 1.0):
    """:func:`parse_amounts` as arrays, for loaders on big files (no string per row).

    Returns
    -------
    (amount, hint_codes, hint_categories, status_codes)
        ``amount`` float64 millions; ``hint_codes`` integer codes into
        ``hint_categories`` (-1 = no hint); ``status_codes`` integer codes into
        :data:`STATUSES`.

    Examples
    --------
    >>> a, hc, hcats, st = parse_amount_codes(["$5M", "n/a"])
    >>> a.tolist(), [hcats[c] for c in hc if c >= 0], [STATUSES[c] for c in st]
    ([5.0, nan], ['USD'], ['ok', 'undisclosed'])
    """
    s = as_series(values)
    n = len(s)
    if n == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64), [], np.zeros(0, dtype=np.int64)
    status_pos = {st: i for i, st in enumerate(STATUSES)}
    fast = _all_plain_numbers(s)
    if fast is not None:  # a text column of plain numbers (raw units): one Arrow cast
        x = fast
        status_codes = np.zeros(n, dtype=np.int8)  # ok
        status_codes[np.isnan(x)] = 1  # undisclosed
        status_codes[x < 0] = 3  # negative
        amount = x * scale
        hint_codes, hint_cats = np.full(n, -1, dtype=np.int32), []
    elif pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
        finite = np.isfinite(x)
        status_codes = np.where(np.isnan(x), 1, np.where(~finite, 2, np.where(x < 0, 3, 0))).astype(
            np.int8)
        amount = np.where(finite, x * scale, np.nan)
        hint_codes, hint_cats = np.full(n, -1, dtype=np.int32), []
    else:
        if isinstance(s.dtype, pd.CategoricalDtype):  # the categories are the distinct values
            codes, uniques = s.cat.codes.to_numpy(), s.cat.categories
        else:
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
        u = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
        ua = np.full(len(u), np.nan)
        uh = np.full(len(u), None, dtype=object)
        us = np.full(len(u), "invalid", dtype=object)
        if len(u):
            # numbers inside an object column are taken as numbers, not re-read as text
            kind = pd.api.types.infer_dtype(
                uniques.categories if isinstance(uniques, pd.CategoricalIndex) else uniques,
                skipna=True)
            if kind == "string":
                is_text = np.ones(len(u), dtype=bool)
            else:
                is_text = np.fromiter((isinstance(x, str) for x in u), dtype=bool, count=len(u))
            isnum = ~is_text
            if isnum.any():
                num = pd.to_numeric(u[isnum], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
                ok_num = np.isfinite(num)
                idx = np.nonzero(isnum)[0]
                ua[idx[ok_num]] = num[ok_num] * scale
                us[idx[ok_num]] = np.where(num[ok_num] < 0, "negative", "ok")
                us[idx[np.isnan(num)]] = "undisclosed"
            if is_text.any():
                # plain numbers ("1,250.50", "-3.5"): one Arrow cast; the rest: the parser
                plain = np.zeros(len(u), dtype=bool)
                plain[is_text], x = _plain_numbers(u[is_text])
                if plain.any():
                    ua[plain] = x * scale
                    us[plain] = np.where(x < 0, "negative", "ok")
                rest = is_text & ~plain
                if rest.any():
                    a, h, st = _parse_unique_text(u[rest].reset_index(drop=True), scale)
                    ua[rest], uh[rest], us[rest] = a, h, st
        # (small integer types: these are gathered into one value per row)
        us_codes = np.append(pd.Series(us, dtype=object).map(status_pos).to_numpy(dtype=np.int8),
                             np.int8(1))
        uh_codes, hint_cats = pd.factorize(pd.Series(uh, dtype=object), use_na_sentinel=True)
        uh_codes = np.append(uh_codes, -1).astype(np.int32)
        ua = np.append(ua, np.nan)
        # codes == -1 (missing input) picks the appended last element: undisclosed / NA / NaN
        amount = ua[codes]
        status_codes = us_codes[codes]
        hint_codes = uh_codes[codes]
    return amount, np.asarray(hint_codes), list(hint_cats), np.asarray(status_codes)


def parse_amounts(values, *, scale: float = 1.0) -> pd.DataFrame:
    """Parse money amounts (text or numbers) into millions, with a currency hint and a status.

    Parameters
    ----------
    values : array-like or scalar
        Text such as ``"1,250.5"``, ``"$12M"``, ``"EUR 5 m"``, ``"1.2bn"``, ``"500k"``,
        ``"-"``, ``"n/a"``, ``""``, or numbers.
    scale : float, default 1.0
        Factor that turns a *bare* number into millions (1.0: the column is in millions;
        1e-6: the column is in units). Numbers with a scale word (k, m, bn ...) ignore it.

    Returns
    -------
    DataFrame
        Same index as ``values``, with columns

        * ``amount`` (float): millions; NaN unless status is ok or negative;
        * ``currency_hint`` (string): ISO 4217 code of a currency written in the value, or NA;
        * ``status`` (string): ``ok``, ``undisclosed``, ``invalid`` or ``negative``.

    Notes
    -----
    Unique values are parsed once (vectorised string methods) and broadcast. A zero
    is ``ok`` with amount 0: whether a provider's 0 means "undisclosed" is the
    loader's decision. See the module docstring for the separator rules.

    Examples
    --------
    >>> parse_amounts(["1.250,5", "5,5", "1,250", "(3)", "#NAME?"])["amount"].tolist()
    [1250.5, 5.5, 1250.0, -3.0, nan]
    >>> parse_amounts(["1.250,5", "5,5", "1,250", "(3)", "#NAME?"])["status"].tolist()
    ['ok', 'ok', 'ok', 'negative', 'invalid']
    >>> parse_amounts([1750000, None], scale=1e-6)[["amount", "status"]].values.tolist()
    [[1.75, 'ok'], [nan, 'undisclosed']]
    """
    s = as_series(values)
    index = s.index
    if len(s) == 0:
        return pd.DataFrame(
            {"amount": pd.Series([], dtype="float64"), "currency_hint": pd.Series([], dtype=STRING),
             "status": pd.Series([], dtype=STRING)}, index=index,
        )
    amount, hint_codes, hint_cats, status_codes = parse_amount_codes(s, scale=scale)
    return pd.DataFrame(
        {
            "amount": pd.Series(amount, index=index, dtype="float64"),
            "currency_hint": codes_to_strings(hint_codes, list(hint_cats), index),
            "status": codes_to_strings(status_codes, list(STATUSES), index),
        },
        index=index,
    )
