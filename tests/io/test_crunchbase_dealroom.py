"""Crunchbase (current export) and Dealroom (packed rounds) loaders on synthetic fixtures.

Expected values are worked out by hand from the fixture text.
"""

import math

import pytest

import fundgap

CB_HEADER = (
    "Transaction Name,Transaction Name URL,Organization Name,Organization Name URL,Funding Type,"
    "Money Raised,Money Raised Currency,Money Raised (in USD),Announced Date,Funding Stage,"
    "Organization Industries,Organization Location,Lead Investors\n"
)
CB_ROWS = [
    # row 2: CHF, Crunchbase's own USD figure wins
    'Series B - Vaderis,https://www.crunchbase.com/funding_round/vaderis-b,Vaderis Therapeutics,'
    'https://www.crunchbase.com/organization/vaderis,Series B,60000000,CHF,66000000,2023-11-14,'
    'Early Stage Venture,"Biotechnology, Health Care","Basel, Basel-Stadt, Switzerland, Europe",X',
    # row 3: venture series unknown refined by Funding Stage; EUR converted at ECB 2021 average
    'Venture Round - Foo,https://www.crunchbase.com/funding_round/foo-v,Foo Bio,'
    'https://www.crunchbase.com/organization/foo,Venture - Series Unknown,5000000,EUR,,2021-02-01,'
    'Late Stage Venture,Biotechnology,"Munich, Bayern, Germany, Europe",',
    # row 4: grant, GBP
    'Grant - Baz,https://www.crunchbase.com/funding_round/baz-g,Baz Labs,'
    'https://www.crunchbase.com/organization/baz,Grant,250000,GBP,,2022-05-05,,Software,'
    '"London, England, United Kingdom, Europe",',
    # row 5: unknown currency
    'Series A - Qux,https://www.crunchbase.com/funding_round/qux-a,Qux,'
    'https://www.crunchbase.com/organization/qux,Series A,3000000,XYZ,,2022-03-03,Early Stage Venture,'
    'Software,"Austin, Texas, United States, North America",',
    # row 6: undisclosed pre-seed
    'Pre Seed Round - Nov,https://www.crunchbase.com/funding_round/nov-p,Nov Bio,'
    'https://www.crunchbase.com/organization/nov,Pre-Seed,,,,2020-01-01,Seed,Biotechnology,'
    '"Boston, Massachusetts, United States, North America",',
]


def test_crunchbase_export(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_crunchbase_rounds.csv", CB_HEADER + "\n".join(CB_ROWS) + "\n")
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "crunchbase"
    d = ld.data
    assert d["source_row"].tolist() == [2, 3, 4, 6]
    assert d["country"].tolist() == ["CH", "DE", "GB", "US"]
    assert d["region"].astype(str).tolist() == ["OTHER_EUROPE", "EU27", "UK", "US"]
    assert d["stage"].astype(str).tolist() == ["series_b", "later_unspecified", "grant", "pre_seed"]
    assert d["amount"].tolist() == pytest.approx([60.0, 5.0, 0.25, math.nan], nan_ok=True)
    assert d["currency"].tolist()[:3] == ["CHF", "EUR", "GBP"]
    assert d.loc[0, "amount_usd"] == pytest.approx(66.0)
    # ECB 2021 annual average: 1.1827 USD per EUR
    assert d.loc[1, "amount_usd"] == pytest.approx(5 * 1.1827, rel=1e-3)
    assert d["is_biotech"].tolist() == [True, True, False, True]
    assert d["round_id"].iloc[0] == "https://www.crunchbase.com/funding_round/vaderis-b"
    rj = ld.rejects
    assert rj["source_row"].tolist() == [5]
    assert rj["reason"].tolist() == ["unknown currency"]
    assert rj["column"].tolist() == ["Money Raised Currency"] and rj["value"].tolist() == ["XYZ"]
    ld.check_accounting()


def test_crunchbase_old_usd_header(tmp_path, write_text):
    header = CB_HEADER.replace("Money Raised (in USD)", "Money Raised Currency (in USD)")
    p = write_text(tmp_path / "synthetic_crunchbase_old.csv", header + CB_ROWS[0] + "\n")
    ld = fundgap.read_rounds(p, source="crunchbase", today="2025-01-01")
    assert ld.data.loc[0, "amount_usd"] == pytest.approx(66.0)


DR_HEADER = (
    "NAME,PROFILE URL,HQ COUNTRY,HQ CITY,INDUSTRIES,SUB INDUSTRIES,EACH ROUND TYPE,"
    "EACH ROUND AMOUNT,EACH ROUND CURRENCY,EACH ROUND DATE,EACH ROUND INVESTORS\n"
)
DR_ROWS = [
    # row 2: three rounds
    "Acme Bio,https://app.dealroom.co/companies/acme_bio,Germany,Berlin,health,biotechnology,"
    "SEED;SERIES A;SERIES B,1.5;n/a;30,EUR;EUR;USD,jan/2019;mar/2021;sep/2023,Angel X;VC A++VC B;VC C",
    # row 3: two rounds
    "Beta Soft,https://app.dealroom.co/companies/beta_soft,France,Paris,enterprise software,,"
    "SEED;EARLY VC,0.8;4,EUR;EUR,feb/2020;jun/2022,A;B",
    # row 4: 2 types but 3 amounts -> one rejected record
    "Broken Co,https://app.dealroom.co/companies/broken,Spain,Madrid,health,biotechnology,"
    "SEED;SERIES A,1;2;3,EUR;EUR,jan/2020;jan/2021,A;B",
    # row 5: no rounds -> one rejected record
    "Quiet Co,https://app.dealroom.co/companies/quiet,Italy,Rome,fintech,,,,,,",
]


def _check_dealroom(ld, offset=0):
    d = ld.data
    assert ld.n_input == 7 and len(d) == 5 and len(ld.rejects) == 2
    ld.check_accounting()
    assert d["company"].tolist() == ["Acme Bio"] * 3 + ["Beta Soft"] * 2
    assert d["source_row"].tolist() == [2 + offset] * 3 + [3 + offset] * 2
    assert d["stage"].astype(str).tolist() == ["seed", "series_a", "series_b", "seed", "early_unspecified"]
    assert d["amount"].tolist() == pytest.approx([1.5, math.nan, 30.0, 0.8, 4.0], nan_ok=True)
    assert d["currency"].tolist()[2] == "USD" and d.loc[2, "amount_usd"] == pytest.approx(30.0)
    assert [str(x.date()) for x in d["date"]] == [
        "2019-01-01", "2021-03-01", "2023-09-01", "2020-02-01", "2022-06-01"]
    assert d["is_biotech"].tolist() == [True, True, True, False, False]
    assert d["country"].tolist() == ["DE"] * 3 + ["FR"] * 2
    assert d["investors"].tolist()[1] == "VC A, VC B"
    assert d["round_id"].is_unique
    rj = ld.rejects.set_index("source_row")
    assert "different lengths" in rj.loc[4 + offset, "reason"]
    assert rj.loc[5 + offset, "reason"] == "company lists no rounds"


def test_dealroom_upper_case(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_dealroom.csv", DR_HEADER + "\n".join(DR_ROWS) + "\n")
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "dealroom"
    _check_dealroom(ld)


def test_dealroom_sentence_case_with_metadata_rows(tmp_path, write_xlsx):
    import csv
    import io

    header = ["Name", "Dealroom URL", "HQ Country", "HQ City", "Industries", "Sub industries",
              "Each round type", "Each round amount", "Each round currency", "Each round date",
              "Each round investors"]
    rows = [["Dealroom.co export (synthetic fixture)"], ["Exported on 2025-01-02"], header]
    rows += [r for r in csv.reader(io.StringIO("\n".join(DR_ROWS)))]
    p = write_xlsx(tmp_path / "synthetic_dealroom_sentence.xlsx", rows)
    ld = fundgap.read_rounds(p, today="2025-01-01")
    assert ld.source == "dealroom"
    _check_dealroom(ld, offset=2)
