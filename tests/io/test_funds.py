"""Fund loaders (Preqin, PitchBook funds, CrunchBase 2013 snapshot funds) on synthetic fixtures.

Expected values are worked out by hand from the fixture rows.
"""

import math
import os

import pytest

import fundgap

PREQIN_HEADER = ["FUND ID", "NAME", "FIRM ID", "FUND MANAGER", "ASSET CLASS", "STRATEGY",
                 "VINTAGE / INCEPTION YEAR", "FUND SIZE (USD MN)", "FUND CURRENCY", "STATUS",
                 "GEOGRAPHIC FOCUS", "COUNTRY", "CORE INDUSTRIES"]
PREQIN_ROWS = [
    [1, "Helix Bio Fund II", 10, "Helix Partners", "Venture Capital", "Early Stage", 2019, 250.0,
     "EUR", "Closed", "Europe", "Germany", "Healthcare"],                       # row 2
    [2, "Summit Growth III", 11, "Summit", "Private Equity", "Growth", 2021, "1,200", "USD",
     "Closed", "North America", "US", "Information Technology"],                # row 3
    [3, "Big Buyout X", 12, "BB Capital", "Private Equity", "Buyout", 2020, 5000, "GBP",
     "Closed", "Europe", "United Kingdom", "Industrials"],                      # row 4
    [4, "Future Fund", 13, "FF", "Venture Capital", "Venture (General)", 2099, 100, "USD",
     "Raising", "Asia", "China", None],                                         # row 5: future
    [5, "Neg Fund", 14, "NF", "Venture Capital", "Early Stage: Seed", 2018, -5, "USD", "Closed",
     None, "France", None],                                                     # row 6: negative
    [6, "Undisclosed Fund", 15, "UF", "Venture Capital", "Expansion / Late Stage", 2017, None,
     "USD", "Closed", None, "Sweden", "Healthcare, Biotechnology"],             # row 7
]


def test_preqin_xlsx(tmp_path, write_xlsx):
    p = write_xlsx(tmp_path / "synthetic_preqin_funds.xlsx", [PREQIN_HEADER, *PREQIN_ROWS],
                   sheet="Preqin_Export")
    ld = fundgap.read_funds(p, today="2025-01-01")
    assert ld.source == "preqin"
    d = ld.data
    assert d["source_row"].tolist() == [2, 3, 4, 7]
    assert d["fund_type"].astype(str).tolist() == ["vc", "growth", "pe", "vc"]
    assert d["size_usd"].tolist() == pytest.approx([250.0, 1200.0, 5000.0, math.nan], nan_ok=True)
    assert d["country"].tolist() == ["DE", "US", "GB", "SE"]
    assert d["region"].astype(str).tolist() == ["EU27", "US", "UK", "EU27"]
    assert d["vintage"].tolist() == [2019, 2021, 2020, 2017]
    assert d["life_science_focus"].tolist()[0] is True and d["life_science_focus"].tolist()[3] is True
    assert d["manager"].tolist()[0] == "Helix Partners"
    rj = ld.rejects.set_index("source_row")
    assert rj.loc[5, "reason"] == "vintage in the future"
    assert rj.loc[6, "reason"] == "negative fund size"
    ld.check_accounting()
    fundgap.validate_funds(d)


PB_FUNDS = (
    "PitchBook Data, Inc. (synthetic fixture)\nFunds\nDownloaded: 02-Jan-2025\n\n"
    "Fund ID,Fund Name,Investors,Fund No.,Vintage,Fund Status,Fund Size,Fund Type,"
    "Preferred Geography,Preferred Industry,Fund Country\n"
    'F1,Nordic Life Science Fund I,Nordic LS Partners,1,2020,Closed,"1,050.00",Venture Capital,'
    'Europe,"Healthcare, Biotechnology",Sweden\n'                                   # row 6
    "F2,US Growth Fund IV,US Growth,4,2022,Closed,800,PE Growth/Expansion,North America,Software,"
    "United States\n"                                                               # row 7
    "F3,Buyout Fund,BO,2,2019,Closed,60000,Buyout,Global,,United States\n"          # row 8: absurd
    "F4,Seed Fund,S,1,2021,Open,,Early Stage VC,Europe,Software,France\n"           # row 9
)


def test_pitchbook_funds(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_pitchbook_funds.csv", PB_FUNDS)
    ld = fundgap.read_funds(p, source="pitchbook", today="2025-01-01")
    assert ld.source == "pitchbook_funds"
    d = ld.data
    assert d["source_row"].tolist() == [6, 7, 9]
    assert d["fund_type"].astype(str).tolist() == ["vc", "growth", "vc"]
    assert d["size_usd"].tolist() == pytest.approx([1050.0, 800.0, math.nan], nan_ok=True)
    assert d["country"].tolist() == ["SE", "US", "FR"]
    assert d["life_science_focus"].tolist()[0] is True
    assert d["manager"].tolist()[0] == "Nordic LS Partners"
    assert ld.rejects["source_row"].tolist() == [8]
    assert ld.rejects["reason"].iloc[0].startswith("absurd fund size")
    # sniffed too
    assert fundgap.read_funds(p, today="2025-01-01").source == "pitchbook_funds"


CB_FUNDS = (
    '"id", "fund_id", "object_id", "name", "funded_at", "raised_amount", "raised_currency_code", '
    '"source_url", "source_description", "created_at", "updated_at"\n'
    # row 2: plain USD VC fund
    "1,1,'f:1','Second Fund','2008-12-16',300000000,'USD','http://example.com/a','x','2008-12-17 03:07:16','2008-12-17 03:07:16'\n"
    # row 3: unit error: EUR 62 means EUR 62m
    "2,2,'f:2','Ventech I','1999-01-01',62,'EUR',NULL,NULL,'2009-01-01 00:00:00','2009-01-01 00:00:00'\n"
    # row 4: a private person's $89bn 'fund' -> spam
    "3,3,'f:3','Deric R. Mccloud','2013-09-09',89000000000,'USD',NULL,NULL,'2013-09-10 00:00:00','2013-09-10 00:00:00'\n"
    # row 5: buyout house -> pe; escaped quote in the name
    "4,4,'f:4','Carlyle Partners\\' VI','2013-11-25',13000000000,'USD','http://example.com/c','c','2013-11-26 00:00:00','2013-11-26 00:00:00'\n"
    # row 6: NULL amount and NULL date: kept, size and vintage missing
    "5,5,'f:5','Bio Ventures Fund III',NULL,NULL,'USD',NULL,NULL,'2010-01-01 00:00:00','2010-01-01 00:00:00'\n"
    # row 7: exact duplicate of row 2 apart from ids and timestamps
    "6,6,'f:1','Second Fund','2008-12-16',300000000,'USD','http://example.com/a','x','2008-12-18 00:00:00','2008-12-18 00:00:00'\n"
    # row 8: a round, not a fund
    "7,7,'f:7','Seed Round','2013-02-08',15000,'USD',NULL,NULL,'2013-03-01 00:00:00','2013-03-01 00:00:00'\n"
    # row 9: VC fund of USD 10bn -> implausible
    "8,8,'f:8','Accel Fund','2008-12-01',10000000000,'USD',NULL,NULL,'2009-01-01 00:00:00','2009-01-01 00:00:00'\n"
)


def test_crunchbase2013_funds_rules(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_cb_funds.csv", CB_FUNDS)
    ld = fundgap.read_funds(p, today="2025-01-01")
    assert ld.source == "crunchbase2013_funds"
    d = ld.data.set_index("source_row")
    assert sorted(d.index) == [2, 3, 5, 6]
    assert d.loc[2, "size"] == pytest.approx(300.0) and d.loc[2, "fund_type"] == "vc"
    assert d.loc[3, "size"] == pytest.approx(62.0) and d.loc[3, "currency"] == "EUR"
    assert "read as millions" in d.loc[3, "size_note"]
    assert d.loc[5, "fund_name"] == "Carlyle Partners' VI" and d.loc[5, "fund_type"] == "pe"
    assert math.isnan(d.loc[6, "size"]) and d["vintage"].isna().tolist() == [False, False, False, True]
    assert bool(d.loc[6, "life_science_focus"]) is True
    assert d["country"].isna().all() and d["manager"].isna().all()
    rj = ld.rejects.set_index("source_row")
    assert rj.loc[4, "reason"] == "spam: not a fund name"
    assert rj.loc[7, "reason"] == "exact duplicate row" and rj.loc[7, "duplicate_of"] == 2
    assert rj.loc[8, "reason"] == "not a fund: a funding round or deal"
    assert rj.loc[9, "reason"].startswith("implausible VC fund size")
    ld.check_accounting()


REAL_FUNDS = "/work/shared/data/crunchbase-2013-snapshot-funds/cb_funds.csv"


@pytest.mark.skipif(not os.path.exists(REAL_FUNDS), reason="shared data not present")
def test_crunchbase2013_funds_real_file():
    import pandas as pd

    ld = fundgap.read_funds(REAL_FUNDS, source="crunchbase2013_funds")
    ld.check_accounting()
    assert ld.n_input == 1564
    raw = pd.read_csv(REAL_FUNDS, quotechar="'", escapechar="\\", skipinitialspace=True,
                      na_values=["NULL"], dtype=str, keep_default_na=False)
    assert len(raw) == 1564
    # the documented cases
    rj = ld.rejects.set_index("value")
    assert rj.loc["Deric R. Mccloud", "reason"] == "spam: not a fund name"
    ventech = ld.data[ld.data["fund_name"] == "Ventech I"]
    assert ventech["size"].tolist() == [62.0] and ventech["currency"].tolist() == ["EUR"]
    # currencies: USD 1296, EUR 179, GBP 69 ... in the raw table; kept ones are a subset
    assert set(ld.data["currency"].dropna()) <= {"USD", "EUR", "GBP", "CAD", "JPY", "AUD", "SEK"}
