"""Currency codes and conversion at ECB annual averages (stub, being filled in)."""
from __future__ import annotations

import pandas as pd


def normalise_currency(values) -> pd.Series:
    raise NotImplementedError


def convert_currency(amount, currency, year, to: str = "USD") -> pd.Series:
    raise NotImplementedError


def add_money_columns(frame, *, amount="amount", currency="currency", year="year",
                      usd="amount_usd", eur="amount_eur", provider_usd=None) -> pd.DataFrame:
    raise NotImplementedError
