"""PitchBook deals loader on synthetic fixtures in PitchBook's real layout.

Expected values are worked out by hand from the fixture text below.
"""

import math

import pandas as pd
import pytest

import fundgap

BANNER = (
    "PitchBook Data, Inc. (synthetic fixture)\n"
    "Deals\n"
    "Downloaded: 02-Jan-2025\n"
    "Search criteria: synthetic test data only\n"
    "\n"
    "\n"
)
HEADER = (
    "Deal ID,Companies,Company ID,Deal Date,Deal Size,Deal Status,Deal Type,Series,"
    "Primary Industry Sector,Primary Industry Group,Verticals,Company Country/Territory/Region,Investors\n"
)
ROWS = [
    # row 8
    '10001-01T,Alpha Bio,11111-11,15-Mar-2021,"1,250.50",Completed,Later Stage VC,Series C,Healthcare,Biotechnology,Life Sciences,Germany,"Inv A, Inv B"',
    # row 9
    "10002-02T,Beta Soft,22222-22,2021-06-01,12.00,Completed,Early Stage VC,,Information Technology,Software,SaaS,United States,Inv C",
    # row 10
    "10003-03T,Gamma Tx,33333-33,2022-01-10,,Completed,Seed Round,,Healthcare,Pharmaceuticals and Biotechnology,,United Kingdom,",
    # row 11: not completed
    "10004-04T,Delta,44444-44,2022-02-01,5,Announced/In Progress,Early Stage VC,Series A,Information Technology,Software,,France,",
    # row 12: negative
    "10005-05T,Eps Bio,55555-55,2020-05-05,-3,Completed,Early Stage VC,Series A,Healthcare,Biotechnology,,Spain,",
    # row 13: future
    "10006-06T,Zeta,66666-66,2099-01-01,5,Completed,Seed Round,,Information Technology,Software,,Italy,",
    # row 14: exact duplicate of row 8
    '10001-01T,Alpha Bio,11111-11,15-Mar-2021,"1,250.50",Completed,Later Stage VC,Series C,Healthcare,Biotechnology,Life Sciences,Germany,"Inv A, Inv B"',
    # row 15: a grant with a series filled: the deal type wins
    "10008-08T,Eta,88888-88,2021-07-07,20,Completed,Grant,Series A,Healthcare,Biotechnology,,China,",
    # row 16: absurd (USD 250 bn)
    '10009-09T,Theta Bio,99999-99,2021-08-08,"250,000",Completed,Later Stage VC,,Healthcare,Biotechnology,,Sweden,',
    # row 17: unknown country
    "10010-10T,Iota,10101-01,2023-09-30,7.5,Completed,Later Stage VC,,Information Technology,Software,,Narnia,",
]
TEXT = BANNER + HEADER + "\n".join(ROWS) + "\n"

EXPECTED_DATA = pd.DataFrame(
    {
        "source_row": [8, 9, 10, 15],
        "company": ["Alpha Bio", "Beta Soft", "Gamma Tx", "Eta"],
        "country": ["DE", "US", "GB", "CN"],
        "region": ["EU27", "US", "UK", "CN"],
        "stage": ["series_c", "early_unspecified", "seed", "grant"],
        "stage_group": ["later", "early", "seed", "non_vc"],
        "date": pd.to_datetime(["2021-03-15", "2021-06-01", "2022-01-10", "2021-07-07"]),
        "amount_usd": [1250.5, 12.0, math.nan, 20.0],
        "is_biotech": [True, False, True, True],
    }
)
EXPECTED_REJECTS = {
    11: "deal status not completed: Announced/In Progress",
    12: "negative amount",
    13: "date in the future",
    14: "exact duplicate row",
    16: "absurd amount",
    17: "unknown country",
}


def _check(ld):
    d = ld.data
    assert len(d) == 4 and len(ld.rejects) == 6 and ld.n_input == 10
    ld.check_accounting()
    for col in EXPECTED_DATA.columns:
        got = d[col].astype(object).tolist()
        exp = EXPECTED_DATA[col].astype(object).tolist()
        if col == "amount_usd":
            assert d[col].tolist() == pytest.approx(exp, nan_ok=True)
        else:
            assert got == exp, col
    assert d["amount_usd"].sum() == pytest.approx(1282.5)
    assert (d["currency"] == "USD").all()
    rj = ld.rejects.set_index("source_row")
    assert sorted(rj.index) == sorted(EXPECTED_REJECTS)
    for row, reason in EXPECTED_REJECTS.items():
        assert reason in rj.loc[row, "reason"]
    assert rj.loc[14, "duplicate_of"] == 8
    assert rj.loc[12, "column"] == "Deal Size" and rj.loc[12, "value"] == "-3"
    # raw values are kept on rejects
    assert rj.loc[16, "Deal Size"] == "250,000"
    fundgap.validate_rounds(d)


def test_pitchbook_csv_with_banner_rows(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_pitchbook_deals.csv", TEXT)
    ld = fundgap.read_rounds(p, source="pitchbook", today="2025-01-01")
    _check(ld)
    assert any("header found on row 7" in n for n in ld.notes)


def test_pitchbook_sniffed(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_pitchbook_deals.csv", TEXT)
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "pitchbook"
    assert "source='pitchbook'" in ld.notes[0]


def test_pitchbook_xlsx(tmp_path, write_xlsx):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(TEXT)))
    rows = [r if r else ["."] for r in rows]  # banner blank lines as a "." cell
    p = write_xlsx(tmp_path / "synthetic_pitchbook_deals.xlsx", rows)
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "pitchbook"
    _check(ld)


def test_pitchbook_cp1252_semicolon_crlf(tmp_path, write_text):
    text = TEXT.replace("Alpha Bio", "Société Bio")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    p = write_text(tmp_path / "synthetic_pitchbook_cp1252.csv", out.getvalue(), "cp1252", "\r\n")
    ld = fundgap.read_rounds(p, source="pitchbook", today="2025-01-01")
    assert ld.data.loc[0, "company"] == "Société Bio"
    assert len(ld.data) == 4
    assert any("cp1252" in n for n in ld.notes)


def test_pitchbook_feed_variant(tmp_path, write_text):
    text = (
        "DEAL_ID,COMPANY_NAME,DEAL_DATE,DEAL_SIZE,DEAL_STATUS,DEAL_TYPE,SERIES,"
        "PRIMARY_INDUSTRY_SECTOR,PRIMARY_INDUSTRY_GROUP,COMPANY_COUNTRY\n"
        "1-A,Kappa Bio,2022-04-01,33.3,Completed,Early Stage VC,Series B,Healthcare,Biotechnology,Belgium\n"
        "2-B,Lambda,2022-05-01,1.0,Failed/Cancelled,Seed Round,,Information Technology,Software,Belgium\n"
    )
    p = write_text(tmp_path / "synthetic_pitchbook_feed.csv", text)
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "pitchbook"
    assert ld.data["stage"].astype(str).tolist() == ["series_b"]
    assert ld.data["country"].tolist() == ["BE"]
    assert ld.rejects["reason"].tolist() == ["deal status not completed: Failed/Cancelled"]
    assert ld.rejects["source_row"].tolist() == [3]


def test_pitchbook_missing_required_column(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_pitchbook_nosize.csv",
                   HEADER.replace("Deal Size,", "") + "x\n")
    with pytest.raises(fundgap.MissingColumnError) as e:
        fundgap.read_rounds(p, source="pitchbook")
    assert "Deal Size" in str(e.value) and str(p) in str(e.value)
    assert e.value.row == 1
