"""A provider declared outside the package with the public API only (fundgap.io.Layout,
fundgap.io.register_loader), read with and without ``source=``.

The export is SYNTHETIC, written below: a French deal database's CSV (semicolons, one
banner row, day-first dates, amounts in thousands of euros). What is kept and rejected,
and why, is worked out by hand row by row in ``EXPECTED``.
"""

import math

import pytest

import fundgap
from fundgap.io import Layout, register_loader, unregister_loader

NAME = "synthetic_acme"

HEADER = ("Startup name;Round closed;Raised (kEUR);Round type;Status;HQ;Sector;Pitch;Deal ref;"
          "Lead investor\n")
ROWS = [
    # file row 3: kept; 2,500 kEUR = EUR 2.5m; Série A; France; biotech; antibodies: other
    "Alpha Bio;15/03/2021;2 500;Série A;closed;France;Biotechnology;Antibodies against solid "
    "tumours;A-1;Fonds Un",
    # row 4: kept; seed ("Amorçage"); Germany; not biotech; "Software" says no ATMP: other
    "Beta Soft;01/06/2022;800;Amorçage;closed;Germany;Software;;A-2;",
    # row 5: kept; amount undisclosed (empty); gene therapy in the pitch
    "Gamma Gene;10/10/2022;;Série B;Closed;Belgium;Biotechnology;AAV gene therapy for an "
    "inherited retinal disease;A-3;Fonds Deux",
    # row 6: rejected: no company name
    ";05/05/2021;100;Série A;closed;France;Biotechnology;;A-4;",
    # row 7: rejected: 31 February
    "Delta;31/02/2022;100;Série A;closed;France;Software;;A-5;",
    # row 8: rejected: status "announced" is not an accepted status
    "Epsilon;01/01/2023;300;Série A;announced;Spain;Software;;A-6;",
    # row 9: rejected: the same cells as row 3
    "Alpha Bio;15/03/2021;2 500;Série A;closed;France;Biotechnology;Antibodies against solid "
    "tumours;A-1;Fonds Un",
    # row 10: rejected: the amount is not a number
    "Zeta;01/02/2023;abc;Série A;closed;Italy;Software;;A-7;",
    # row 11: rejected: no such country
    "Eta;01/03/2023;50;Série A;closed;Atlantis;Software;;A-8;",
    # row 12: kept; an unknown round type is venture_unknown (noted)
    "Theta;01/04/2023;70;Mystery round;closed;Netherlands;Software;;A-9;",
]
# file row -> (reason, column) for the rejects, by hand from the comments above
EXPECTED_REJECTS = {
    6: ("missing company name", "Startup name"),
    7: ("unparseable date", "Round closed"),
    8: ("status not accepted: announced", "Status"),
    9: ("exact duplicate row", "Startup name"),
    10: ("unparseable amount", "Raised (kEUR)"),
    11: ("unknown country", "HQ"),
}
EXPECTED_KEPT = {  # file row -> company, stage, amount (EUR m), country, biotech, modality, id
    3: ("Alpha Bio", "series_a", 2.5, "FR", True, "other", "acme:A-1"),
    4: ("Beta Soft", "seed", 0.8, "DE", False, "other", "acme:A-2"),
    5: ("Gamma Gene", "series_b", math.nan, "BE", True, "gene_therapy", "acme:A-3"),
    12: ("Theta", "venture_unknown", 0.07, "NL", False, "other", "acme:A-9"),
}


@pytest.fixture
def acme(tmp_path):
    """The SYNTHETIC export, and the layout registered for the test only."""
    path = tmp_path / "synthetic_acme_export.csv"
    path.write_text("Export Acme Ventures DB (SYNTHETIC);;;;;;;;;\n" + HEADER
                    + "\n".join(ROWS) + "\n", encoding="utf-8")
    layout = Layout(
        NAME,
        columns={"company": "Startup name", "date": ["Round closed", "Closing date"],
                 "amount": "Raised (kEUR)", "stage": "Round type", "status": "Status",
                 "country": "HQ", "sector": "Sector", "description": "Pitch",
                 "round_id": "Deal ref", "lead": "Lead investor"},
        currency="EUR", unit="thousands", dayfirst=True,
        stages={"Amorçage": "seed", "Série A": "series_a", "Série B": "series_b"},
        statuses=["closed"],
        keep=["modality", "lead"],
        id_prefix="acme:",
        description="SYNTHETIC Acme Ventures DB deal export",
    )
    register_loader(layout)
    yield path
    unregister_loader(NAME)


@pytest.mark.parametrize("source", [NAME, None])
def test_declared_provider_keeps_and_rejects_rows_by_hand(acme, source):
    ld = fundgap.read_rounds(acme, source=source, today="2025-01-01")
    assert ld.source == NAME and ld.n_input == len(ROWS)
    if source is None:
        assert f"source={NAME!r}" in ld.notes[0] and "row 2" in ld.notes[0]
    rej = ld.rejects.set_index("source_row")
    assert sorted(rej.index) == sorted(EXPECTED_REJECTS)
    for row, (reason, column) in EXPECTED_REJECTS.items():
        assert (rej.loc[row, "reason"], rej.loc[row, "column"]) == (reason, column), row
    assert int(rej.loc[9, "duplicate_of"]) == 3
    d = ld.data.set_index("source_row")
    assert sorted(d.index) == sorted(EXPECTED_KEPT)
    for row, (company, stage, amount, country, bio, modality, rid) in EXPECTED_KEPT.items():
        r = d.loc[row]
        assert (r["company"], r["stage"], r["country"], bool(r["is_biotech"]), r["modality"]) == (
            company, stage, country, bio, modality), row
        assert r["amount"] == pytest.approx(amount, nan_ok=True)
        assert r["round_id"] == rid
    assert set(d["currency"].dropna()) == {"EUR"}
    assert d.loc[3, "lead"] == "Fonds Un" and d.loc[5, "lead"] == "Fonds Deux"
    assert any("venture_unknown" in n and "Mystery round" in n for n in ld.notes)


def test_declared_provider_is_listed_and_sniffed_only_while_registered(acme):
    assert NAME in fundgap.known_sources("rounds")
    assert NAME not in fundgap.known_sources("funds")
    unregister_loader(NAME)
    assert NAME not in fundgap.known_sources()
    with pytest.raises(fundgap.UnknownSourceError):
        fundgap.read_rounds(acme)


@pytest.mark.parametrize("kwargs, argument", [
    ({"kind": "deals"}, "kind"),
    ({"unit": "dozens"}, "unit"),
    ({"stages": {"Série A": "series_z"}}, "stages"),
    ({"stages": "no_such_crosswalk"}, "stages"),
    ({"columns": {"company": "Startup name"}}, "columns"),  # no date
    ({"keep": ["nowhere"]}, "keep"),
    ({"stage_rule": "not callable"}, "stage_rule"),
])
def test_layout_errors_name_the_argument(kwargs, argument):
    args = {"columns": {"company": "Startup name", "date": "Round closed"}, **kwargs}
    with pytest.raises(fundgap.FundgapError) as err:
        Layout(NAME, **args)
    assert err.value.argument == argument and f"argument {argument!r}" in str(err.value)


def test_register_loader_takes_a_layout():
    with pytest.raises(fundgap.FundgapError) as err:
        register_loader({"name": "acme"})
    assert err.value.argument == "layout"
