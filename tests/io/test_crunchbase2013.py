"""CrunchBase October 2013 rounds loader: a synthetic fixture in its real (odd) layout, and the
real file compared with an independent pandas calculation written here."""

import math
import os

import numpy as np
import pandas as pd
import pytest

import fundgap

HEADER = ("company_permalink,company_name,company_category_code,company_country_code,"
          "company_state_code,company_region,company_city,funding_round_type,funded_at,"
          "funded_month,funded_quarter,funded_year,raised_amount_usd")
ROWS = [
    "/company/alpha-bio,Alpha Bio,biotech,USA,MA,Boston,Cambridge,series-c+,2012-05-01,2012-05,2012-Q2,2012,25000000",  # 2
    "/company/beta,Beta,software,USA,CA,SF Bay,Palo Alto,venture,2011-03-15,2011-03,2011-Q1,2011,",                   # 3 undisclosed
    "/company/caf\xe9-bio,#NAME?,biotech,USA,NY,New York,New York,angel,2010-01-01,2010-01,2010-Q1,2010,0",          # 4 0 = undisclosed
    "/company/delta,Delta,biotech,USA,TX,Austin,Austin,series-a,1960-01-01,1960-01,1960-Q1,1960,5000000",             # 5 placeholder
    "/company/alpha-bio,Alpha Bio,biotech,USA,MA,Boston,Cambridge,series-c+,2012-05-01,2012-05,2012-Q2,2012,25000000",  # 6 exact dup of 2
    "/company/alpha-bio,alpha bio ,biotech,USA,MA,Boston,Boston,venture,2012-05-01,2012-05,2012-Q2,2012,25000000",    # 7 same company/date/amount
    "/company/eps,Eps,biotech,USA,MA,Boston,Boston,post-ipo,2013-02-02,2013-02,2013-Q1,2013,291",                     # 8 too small
    "/company/zeta,Zeta,biotech,USA,MA,Boston,Boston,series-b,2013-09-30,2013-09,2013-Q3,2013,12500000",              # 9
]


def _write_cb2013(path):
    trailing = "," * 40  # the real file has ~1,000 empty trailing columns
    text = "\r".join(line + trailing for line in [HEADER, *ROWS]) + "\r"
    path.write_bytes(text.encode("latin-1"))
    return path


def test_crunchbase2013_fixture(tmp_path):
    p = _write_cb2013(tmp_path / "synthetic_crunchbase_rounds_2013.csv")
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "crunchbase2013"
    ld.check_accounting()
    d = ld.data.set_index("source_row")
    assert sorted(d.index) == [2, 3, 4, 9]
    assert d.loc[2, "stage"] == "series_c_plus" and d.loc[2, "stage_group"] == "later"
    assert d.loc[2, "amount_usd"] == pytest.approx(25.0)
    assert math.isnan(d.loc[3, "amount_usd"]) and d.loc[3, "stage"] == "venture_unknown"
    assert math.isnan(d.loc[4, "amount_usd"]) and d.loc[4, "company"] == "café bio"
    assert d.loc[9, "stage"] == "series_b" and d.loc[9, "amount_usd"] == pytest.approx(12.5)
    assert d["country"].unique().tolist() == ["US"] and d["region"].astype(str).unique().tolist() == ["US"]
    assert d["is_biotech"].tolist() == [True, False, True, True]
    rj = ld.rejects.set_index("source_row")
    assert rj.loc[5, "reason"].startswith("placeholder date")
    assert rj.loc[6, "reason"] == "exact duplicate row" and rj.loc[6, "duplicate_of"] == 2
    assert rj.loc[7, "reason"] == "duplicate: same company, date and amount"
    assert rj.loc[7, "duplicate_of"] == 2
    assert rj.loc[8, "reason"].startswith("implausibly small amount")
    assert any("CR-only" in n for n in ld.notes)


REAL = "/work/shared/data/crunchbase-oct2013-us/crunchbase-rounds.csv"

GROUP = {"angel": "seed", "series-a": "early", "series-b": "early", "series-c+": "later",
         "venture": "unknown", "private-equity": "non_vc", "post-ipo": "non_vc",
         "crowdfunding": "non_vc", "other": "non_vc"}


@pytest.mark.skipif(not os.path.exists(REAL), reason="shared data not present")
def test_crunchbase2013_real_file_against_independent_calculation():
    # --- independent calculation with plain pandas, following the documented rules
    raw = pd.read_csv(REAL, encoding="latin-1", lineterminator="\r", dtype=str,
                      keep_default_na=False)
    raw = raw.loc[:, ~raw.columns.str.startswith("Unnamed")]
    raw = raw[raw.ne("").any(axis=1)].copy()
    n_input = len(raw)
    assert (raw["company_category_code"] == "biotech").sum() == 3889  # as the data README says
    raw["row"] = np.arange(2, n_input + 2)
    amt = pd.to_numeric(raw["raised_amount_usd"].replace("", np.nan)) / 1e6
    raw["amt"] = amt.where(amt != 0)
    keep = raw["funded_at"] != "1960-01-01"
    keep &= ~((raw["amt"] > 0) & (raw["amt"] < 0.001))
    raw = raw[keep]
    cols = [c for c in raw.columns if c not in ("row", "amt")]
    raw = raw[~raw.duplicated(cols)]
    key = pd.DataFrame({"c": raw["company_name"].str.strip().str.lower(),
                        "d": raw["funded_at"], "a": raw["amt"].round(6)})
    raw = raw[~(key.duplicated() & raw["amt"].notna())]
    bio = raw[raw["company_category_code"] == "biotech"]
    expected = bio.groupby(bio["funding_round_type"].map(GROUP))["amt"].agg(["size", "sum"])

    # --- the loader
    ld = fundgap.read_rounds(REAL)
    assert ld.source == "crunchbase2013"
    assert ld.n_input == n_input
    ld.check_accounting()
    assert len(ld.data) == len(raw)
    d = ld.data[ld.data["is_biotech"]]
    got = d.groupby(d["stage_group"].astype(str))["amount_usd"].agg(["size", "sum"])
    got = got.loc[expected.index]
    assert got["size"].tolist() == expected["size"].tolist()
    assert got["sum"].to_numpy() == pytest.approx(expected["sum"].to_numpy(), rel=1e-9)
    # every rejected row says why; duplicates point at an earlier row
    assert ld.rejects["reason"].notna().all()
    dups = ld.rejects[ld.rejects["duplicate_of"].notna()]
    assert (dups["duplicate_of"] < dups["source_row"]).all()
    assert len(dups) >= 63


def test_crunchbase2013_snapshot_rounds_layout(tmp_path):
    """The 2013 snapshot's funding_rounds table: object ids, funding_round_code refines stages."""
    p = tmp_path / "synthetic_snapshot_funding_rounds.csv"
    p.write_text(
        "id,funding_round_id,object_id,funded_at,funding_round_type,funding_round_code,"
        "raised_amount_usd,raised_amount,raised_currency_code\n"
        "1,1,c:4,2006-12-01,series-b,b,8500000,8500000,USD\n"          # row 2
        "2,2,c:5,2004-09-01,angel,angel,500000,500000,USD\n"            # row 3
        "3,3,c:5,2005-05-01,series-c+,c,12700000,12700000,USD\n"        # row 4: code c -> Series C
        "4,4,c:5,2008-05-19,series-c+,d,27500000,27500000,USD\n"        # row 5: code d -> D+
        "5,5,c:6,2008-01-01,venture,unattributed,0,0,USD\n"             # row 6: undisclosed
    )
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "crunchbase2013"
    d = ld.data
    assert d["stage"].astype(str).tolist() == ["series_b", "seed", "series_c", "series_d_plus",
                                               "venture_unknown"]
    assert d["company"].tolist() == ["c:4", "c:5", "c:5", "c:5", "c:6"]
    assert d["round_id"].tolist()[0] == "crunchbase2013:1"
    assert d["amount_usd"].tolist()[:4] == pytest.approx([8.5, 0.5, 12.7, 27.5])
    assert math.isnan(d["amount_usd"].iloc[4])
    assert d["is_biotech"].isna().all()
