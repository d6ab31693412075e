"""The loader registry (lookup, sniffing, errors) and the generic column-mapping loader."""

import math

import pytest

import fundgap
from fundgap.io._registry import _SOURCES, lookup, register, sniff_source


def test_known_sources():
    rounds = fundgap.known_sources("rounds")
    for name in ("pitchbook", "crunchbase", "crunchbase2013", "dealroom", "generic"):
        assert name in rounds
    funds = fundgap.known_sources("funds")
    assert {"preqin", "pitchbook_funds", "crunchbase2013_funds", "generic"} <= set(funds)
    assert "pitchbook" not in funds
    assert set(rounds) | set(funds) <= set(fundgap.known_sources())


def test_unknown_source_suggests_close_match():
    with pytest.raises(fundgap.UnknownSourceError) as e:
        fundgap.read_rounds("deals.csv", source="pitchbok")
    msg = str(e.value)
    assert "did you mean 'pitchbook'" in msg and "deals.csv" in msg and "'dealroom'" in msg


def test_source_of_the_wrong_kind():
    with pytest.raises(fundgap.UnknownSourceError, match="reads funds, not rounds"):
        lookup("preqin", "rounds")
    assert lookup("pitchbook", "funds").name == "pitchbook_funds"


def test_unrecognised_layout_lists_layouts_and_columns(tmp_path):
    p = tmp_path / "synthetic_unknown.csv"
    p.write_text("Foo,Bar,Baz\n1,2,3\n")
    with pytest.raises(fundgap.UnknownSourceError) as e:
        fundgap.read_rounds(p)
    msg = str(e.value)
    assert "unrecognised layout" in msg and "'Foo'" in msg and "'pitchbook'" in msg
    assert str(p) in msg


def test_register_custom_loader_and_sniff(tmp_path):
    calls = []

    def reader(path, **options):
        calls.append(options)
        return fundgap.read_rounds(path, source="generic", columns={"company": "Co", "date": "When"})

    register("synthetic_demo", "rounds", reader, lambda cols: "SYNTH_DEMO_MARK" in cols, "demo")
    try:
        p = tmp_path / "synthetic_demo.csv"
        p.write_text("SYNTH_DEMO_MARK,Co,When\nx,Acme,2020-01-01\n")
        ld = fundgap.read_rounds(p)
        assert "synthetic_demo" in ld.notes[0] and len(ld.data) == 1
        src, i = sniff_source([["title"], ["SYNTH_DEMO_MARK", "Co"]], "rounds")
        assert src.name == "synthetic_demo" and i == 1
    finally:
        del _SOURCES["synthetic_demo"]


def test_register_rejects_bad_kind():
    with pytest.raises(fundgap.FundgapError, match="unknown loader kind"):
        register("x", "deals", lambda p: None)


def test_generic_rounds(tmp_path):
    p = tmp_path / "synthetic_generic_rounds.csv"
    p.write_text(
        "Startup;When;Size (EUR k);Round;Sector;Where\n"
        "Acme Bio;01/03/2021;12 500;Series A;Biotechnology;Germany\n"   # row 2
        "Beta;15/06/2022;-;Seed;Software;France\n"                        # row 3: undisclosed
        "Gamma;31/02/2022;100;Seed;Software;France\n"                     # row 4: bad date
        "Delta;01/01/2023;abc;Seed;Software;France\n"                     # row 5: bad amount
    )
    ld = fundgap.read_rounds(p, source="generic", currency="EUR", unit="thousands", dayfirst=True,
                             columns={"company": "Startup", "date": "When", "amount": "Size (EUR k)",
                                      "stage": "Round", "sector": "Sector", "country": "Where"},
                             today="2025-01-01")
    d = ld.data
    assert d["source_row"].tolist() == [2, 3]
    assert d["amount"].tolist() == pytest.approx([12.5, math.nan], nan_ok=True)
    assert d["currency"].tolist()[0] == "EUR"
    assert str(d.loc[0, "date"].date()) == "2021-03-01"
    assert d["stage"].astype(str).tolist() == ["series_a", "seed"]
    assert d["is_biotech"].tolist() == [True, False]
    assert ld.rejects["reason"].tolist() == ["unparseable date", "unparseable amount"]
    assert ld.rejects["value"].tolist() == ["31/02/2022", "abc"]


def test_generic_requires_mapping(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(fundgap.FundgapError, match="columns="):
        fundgap.read_rounds(p, source="generic")
    with pytest.raises(fundgap.MissingColumnError) as e:
        fundgap.read_rounds(p, source="generic", columns={"company": "a", "date": "zzz"})
    assert "zzz" in str(e.value)


def test_generic_funds_and_series(tmp_path):
    p = tmp_path / "synthetic_generic_funds.csv"
    p.write_text("Fund,Size USD m,Year,Type\nLS Fund I,100,2019,Venture\nBO Fund,\"2,000\",2020,Buyout\n")
    ld = fundgap.read_funds(p, source="generic", currency="USD",
                            columns={"fund_name": "Fund", "size": "Size USD m", "vintage": "Year",
                                     "fund_type": "Type"})
    assert ld.data["size_usd"].tolist() == pytest.approx([100.0, 2000.0])
    assert ld.data["fund_type"].astype(str).tolist() == ["vc", "pe"]
    s = tmp_path / "synthetic_generic_series.csv"
    s.write_text("yr,val\n2020,1.5\n2021,x\n")
    ls = fundgap.read_series(s, source="generic", columns={"year": "yr", "value": "val"},
                             constants={"source": "synthetic", "table": "t", "region": "EU27",
                                        "sector": "all", "stage_group": "all", "measure": "vc_invested",
                                        "unit": "USD_M", "price_base": "current"})
    assert ls.data["value"].tolist() == [1.5] and ls.rejects["reason"].tolist() == ["unparseable value"]
    fundgap.validate_series(ls.data)
