"""The public normalisation API is exactly this list (the original contract plus the places of
issue 18: groups, countries, the rest of the EU-27), with its signatures."""

import inspect

import fundgap.normalise as norm

CONTRACT = [
    "add_money_columns", "convert_currency", "deflate", "find_duplicates", "is_biotech",
    "map_stage", "normalise_currency", "parse_amounts", "region_of", "stage_group_of", "to_iso2",
    "Groups", "add_places", "place_totals", "resolve_groups",
]


def test_exports_exactly_the_contract():
    assert sorted(norm.__all__) == sorted(CONTRACT)
    for name in CONTRACT:
        assert callable(getattr(norm, name))
    p = inspect.signature(norm.add_places).parameters
    assert list(p) == ["frame", "places", "groups", "gdp", "population"]


def _sig(f):
    return str(inspect.signature(f))


def test_signatures_match_contract():
    assert _sig(norm.parse_amounts) == "(values, *, scale: 'float' = 1.0) -> 'pd.DataFrame'"
    assert _sig(norm.normalise_currency) == "(values) -> 'pd.Series'"
    assert _sig(norm.convert_currency) == "(amount, currency, year, to: 'str' = 'USD') -> 'pd.Series'"
    p = inspect.signature(norm.add_money_columns).parameters
    assert list(p) == ["frame", "amount", "currency", "year", "usd", "eur", "provider_usd"]
    assert [p[k].default for k in list(p)[1:]] == [
        "amount", "currency", "year", "amount_usd", "amount_eur", None]
    p = inspect.signature(norm.deflate).parameters
    assert list(p) == ["values", "year", "currency", "base_year"]
    assert p["currency"].default == "USD" and p["base_year"].default == 2024
    assert p["currency"].kind is inspect.Parameter.KEYWORD_ONLY
    p = inspect.signature(norm.region_of).parameters
    assert list(p) == ["iso2", "date", "eu_membership", "separate_hk"]
    assert (p["date"].default, p["eu_membership"].default, p["separate_hk"].default) == (None, "fixed", False)
    assert list(inspect.signature(norm.map_stage).parameters) == ["labels", "taxonomy"]
    p = inspect.signature(norm.find_duplicates).parameters
    assert list(p) == ["frame", "exact_cols", "key", "row_col"]
    assert p["key"].default == ("company", "date", "amount") and p["row_col"].default == "source_row"
    assert inspect.signature(norm.is_biotech).parameters["text_columns"].kind is inspect.Parameter.VAR_POSITIONAL


def test_import_does_not_pull_plotting_or_excel():
    import subprocess
    import sys

    code = ("import sys, fundgap.normalise as n; n.to_iso2(['DE']); "
            "bad = [m for m in ('matplotlib', 'seaborn', 'openpyxl', 'statsmodels') if m in sys.modules]; "
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
