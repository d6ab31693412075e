"""The published fund-size case: hand-worked lead capacities (synthetic fixtures)."""

import math

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.models import published_fund_case

CASES = [{"pair": "avg", "code": 12, "region_code": "EU28", "year": 2024, "side": "EU"},
         {"pair": "avg", "code": 12, "region_code": "US", "year": 2024, "side": "US"}]


def _pub(eu=56.0, us=156.0, unit="EUR m", year=2024):
    """A synthetic published table shaped like published_figures."""
    return pd.DataFrame({"code": [12, 12, 99], "metric": ["Average VC fund size"] * 2 + ["x"],
                         "region": ["EU", "US", "US"], "region_code": ["EU28", "US", "US"],
                         "year": year, "value": [eu, us, 1.0], "unit": unit,
                         "source": "synthetic", "address": None, "flag": ["f1", None, None]})


def _rounds(amounts_usd, year=2024):
    """Synthetic later-stage biotech rounds (USD million) plus rows that must be ignored."""
    n = len(amounts_usd)
    return pd.DataFrame({
        "amount_usd": list(amounts_usd) + [1.0, 1.0, np.nan],
        "year": [year] * (n + 3),
        "stage_group": ["later"] * n + ["early", "later", "later"],
        "is_biotech": [True] * n + [True, False, True],
    })


def _get(r, side, lever, col="largest_lead_round_eur"):
    f = r.to_frame()
    return float(f.loc[(f["side"] == side) & (f["lever"] == lever), col].iloc[0])


def test_hand_worked_lead_rounds_by_lever():
    r = published_fund_case(_pub(), cases=CASES, multiple=5.0)
    # 56 x 0.15 / 0.5 = 16.8; bigger funds: 280 x 0.3 = 84; more funds: the size is unchanged
    assert _get(r, "EU", "today") == pytest.approx(16.8)
    assert _get(r, "EU", "bigger_funds") == pytest.approx(84.0)
    assert _get(r, "EU", "more_funds") == pytest.approx(16.8)
    # mix 0.5: size x sqrt(5) = 2.2360680 -> 16.8 x 2.2360680 = 37.5659
    assert _get(r, "EU", "mix") == pytest.approx(37.56594, rel=1e-6)
    # US: 156 x 0.3 = 46.8, x5 = 234
    assert _get(r, "US", "today") == pytest.approx(46.8)
    assert _get(r, "US", "bigger_funds") == pytest.approx(234.0)
    assert _get(r, "EU", "more_funds", "fund_count_factor") == pytest.approx(5.0)
    f = r.to_frame()
    assert set(f["source"]) == {"synthetic"} and f["flag"].iloc[0] == "f1"
    assert f["caveat"].str.contains("point value").all()
    assert f["caveat"].iloc[0].count("EU of 28") == 1


def test_parameters_change_the_rule():
    r = published_fund_case(_pub(eu=100.0), cases=CASES, max_position=0.1, lead_share=0.25,
                            reserve=0.5)
    # 100 x 0.1 x 0.5 / 0.25 = 20
    assert _get(r, "EU", "today") == pytest.approx(20.0)


def test_usd_figure_converted_at_the_ecb_rate():
    from fundgap.normalise import convert_currency

    r = published_fund_case(_pub(eu=50.0, us=50.0, unit="USD m", year=2021), cases=[
        dict(c, year=2021) for c in CASES])
    rate = float(convert_currency(pd.Series([1.0]), "USD", pd.Series([2021]), to="EUR").iloc[0])
    # the ECB reference rate 2021 averaged 1.1827 USD per EUR (published ECB annual average)
    assert rate == pytest.approx(1 / 1.1827, rel=1e-3)
    assert _get(r, "EU", "today", "fund_size_eur") == pytest.approx(50.0 / 1.1827, rel=1e-3)
    assert _get(r, "EU", "today") == pytest.approx(0.3 * 50.0 / 1.1827, rel=1e-3)


def test_share_of_rounds_leadable_by_hand():
    from fundgap.normalise import convert_currency

    rate = float(convert_currency(pd.Series([1.0]), "USD", pd.Series([2024]), to="EUR").iloc[0])
    assert 0.85 < rate < 1.0  # USD 1 is EUR 0.85-1.0 in 2024, so the cut-offs below are robust
    # rounds of USD 10, 20, 50, 100, 200 m in 2024 = EUR ~9, ~18, ~46, ~92, ~185 m
    rounds = _rounds([10.0, 20.0, 50.0, 100.0, 200.0])
    r = published_fund_case(_pub(), rounds, cases=CASES)
    # EU today leads up to 16.8: only the 10 round; bigger funds (84): 10, 20, 50
    assert _get(r, "EU", "today", "share_rounds_leadable") == pytest.approx(1 / 5)
    assert _get(r, "EU", "bigger_funds", "share_rounds_leadable") == pytest.approx(3 / 5)
    assert _get(r, "EU", "more_funds", "share_rounds_leadable") == pytest.approx(1 / 5)
    # US today leads up to 46.8: 10, 20, 50 (EUR ~46) -> share of capital 80 / 380
    assert _get(r, "US", "today", "share_rounds_leadable") == pytest.approx(3 / 5)
    assert _get(r, "US", "today", "share_capital_leadable") == pytest.approx(80 / 380)
    assert _get(r, "US", "bigger_funds", "share_rounds_leadable") == pytest.approx(1.0)
    assert r.meta["rounds_n"] == 5 and r.meta["rounds_years"] == (2024, 2024)


def test_rounds_deflated_to_the_price_base():
    from fundgap.normalise import deflate

    # one round of USD 20m in 2010: in 2024 prices 20 x CPI(2024)/CPI(2010)
    cpi = float(deflate(pd.Series([1.0]), pd.Series([2010]), currency="USD").iloc[0])
    assert 1.3 < cpi < 1.5  # US CPI-U rose about 44 % from 2010 to 2024
    r = published_fund_case(_pub(), _rounds([20.0], year=2010), cases=CASES)
    # EUR 2024 value of the round = 20 x 1.44 x ~0.92 = ~26.5 > 16.8: not leadable today
    assert _get(r, "EU", "today", "share_rounds_leadable") == 0.0
    assert _get(r, "EU", "bigger_funds", "share_rounds_leadable") == 1.0


def test_more_capital_never_lowers_the_lead_round():
    r = published_fund_case(_pub(), cases=CASES, multiple=3.0).to_frame()
    today = r[r["lever"] == "today"].set_index("side")["largest_lead_round_eur"]
    for lever in ("bigger_funds", "more_funds", "mix"):
        after = r[r["lever"] == lever].set_index("side")["largest_lead_round_eur"]
        assert (after >= today - 1e-12).all()


@pytest.mark.parametrize("change, match", [
    ({"unit": "count"}, "EUR m"),
    ({"year": 2019}, "not found"),
])
def test_bad_inputs_raise(change, match):
    pub = _pub()
    for col, val in change.items():
        pub[col] = val
    with pytest.raises(FundgapError, match=match):
        published_fund_case(pub, cases=CASES)


def test_duplicate_case_raises():
    pub = pd.concat([_pub(), _pub()], ignore_index=True)
    with pytest.raises(FundgapError, match="more than once"):
        published_fund_case(pub, cases=CASES)


def test_bad_multiple_raises():
    with pytest.raises(FundgapError, match="multiple"):
        published_fund_case(_pub(), cases=CASES, multiple=-1)


def test_shipped_published_figures_hand_worked():
    import fundgap

    try:
        pub = fundgap.load_dataset("published_figures")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"published_figures not available: {exc}")
    r = published_fund_case(pub)
    # European Commission (VentureEU, 2018): average fund EU EUR 56m, US EUR 156m (2017)
    f = r.to_frame()
    avg = f[f["pair"].str.startswith("average")]
    assert _get(r, "EU", "today") == pytest.approx(16.8)  # 56 x 0.3
    assert avg.loc[(avg.side == "US") & (avg.lever == "today"),
                   "largest_lead_round_eur"].iloc[0] == pytest.approx(46.8)  # 156 x 0.3
    assert avg.loc[(avg.side == "EU") & (avg.lever == "bigger_funds"),
                   "largest_lead_round_eur"].iloc[0] == pytest.approx(84.0)
    # typical European life-science fund EUR 125m (2024): 37.5
    ls = f[f["pair"].str.startswith("typical") & (f["lever"] == "today")]
    assert ls["largest_lead_round_eur"].iloc[0] == pytest.approx(37.5)
    assert not math.isnan(ls["largest_lead_round_eur_const"].iloc[0])


def test_amount_eur_is_preferred_and_deflated_by_the_hicp():
    from fundgap.normalise import deflate

    hicp = float(deflate(pd.Series([1.0]), pd.Series([2015]), currency="EUR").iloc[0])
    assert 1.2 < hicp < 1.4  # euro-area HICP rose about 30 % from 2015 to 2024
    rounds = pd.DataFrame({"amount_eur": [14.0, 20.0], "amount_usd": [np.nan, np.nan],
                           "year": [2015, 2015], "stage_group": "later", "is_biotech": True})
    r = published_fund_case(_pub(), rounds, cases=CASES)
    # 14 x ~1.3 = ~18.2 > 16.8 and 20 x ~1.3 = ~26: neither leadable by the EU fund today;
    # the US fund (46.8) leads both
    assert _get(r, "EU", "today", "share_rounds_leadable") == 0.0
    assert _get(r, "US", "today", "share_rounds_leadable") == 1.0
    assert "HICP" in r.meta["rounds_prices"]
