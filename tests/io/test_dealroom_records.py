"""Dealroom records that hold their company's cells once (fundgap.io._records).

Expected values are worked out by hand from the SYNTHETIC fixture text, and the
:class:`Records` helpers are checked against the frame they stand for, built here with
``DataFrame.iloc`` (an independent repetition).
"""

import numpy as np
import pandas as pd
import pytest

import fundgap
from fundgap.io._columnar import encode
from fundgap.io._records import Records

HEADER = ("NAME,PROFILE URL,TAGLINE,HQ COUNTRY,INDUSTRIES,EACH ROUND TYPE,EACH ROUND AMOUNT,"
          "EACH ROUND CURRENCY,EACH ROUND DATE\n")
ROWS = [
    # row 2: two rounds; its tagline padded
    "Acme Bio,https://x/acme,  cures things ,Germany,biotech,SEED;SERIES A,1;5,EUR;EUR,jan/2020;mar/2021",
    # row 3: no rounds
    "Empty Co,https://x/empty,#N/A,France,software,,,,",
    # row 4: the same company row as row 2, again: both its rounds are exact duplicates
    "Acme Bio,https://x/acme,  cures things ,Germany,biotech,SEED;SERIES A,1;5,EUR;EUR,jan/2020;mar/2021",
    # row 5: inconsistent packed columns
    "Odd Ltd,https://x/odd,odd,Spain,biotech,SEED;SEED,2,EUR,feb/2020",
    # row 6: one round, tagline an artefact
    "Solo,https://x/solo,#N/A,Italy,biotech,SEED,3,EUR,may/2022",
    # row 7: no profile URL: the round id names the file row
    "Nemo,,x,Italy,biotech,SEED,4,EUR,may/2022",
]


def test_dealroom_rejects_show_the_company_cells(tmp_path, write_text):
    p = write_text(tmp_path / "SYNTHETIC_dealroom.csv", HEADER + "\n".join(ROWS) + "\n")
    ld = fundgap.read_rounds(p, source="dealroom", today="2025-01-01")
    d, rj = ld.data, ld.rejects
    # 2 + 2 + 1 + 1 rounds and 2 company rows that do not unpack: 8 records
    assert ld.n_input == 8 and len(d) + len(rj) == 8
    assert d["source_row"].tolist() == [2, 2, 6, 7]
    assert d["round_id"].tolist() == ["dealroom:https://x/acme:1", "dealroom:https://x/acme:2",
                                      "dealroom:https://x/solo:1", "dealroom:row7:1"]
    assert d["tagline"].tolist()[:2] == ["cures things", "cures things"]
    assert pd.isna(d["tagline"].iloc[2])
    assert d["company"].tolist() == ["Acme Bio", "Acme Bio", "Solo", "Nemo"]
    assert d["amount"].tolist() == pytest.approx([1.0, 5.0, 3.0, 4.0])
    rj = rj.set_index(["source_row", "round_type"], drop=False)
    dup = rj.loc[(4, "SEED")]
    assert dup["reason"] == "exact duplicate row" and dup["duplicate_of"] == 2
    # the rejects show the raw cells: the company's (as written) and the round's own
    assert dup["TAGLINE"] == "  cures things " and dup["EACH ROUND TYPE"] == "SEED;SERIES A"
    assert dup["round_amount"] == "1"
    assert rj.loc[(4, "SERIES A")]["round_amount"] == "5"
    reasons = dict(zip(rj["source_row"], rj["reason"], strict=False))
    assert reasons[3] == "company lists no rounds"
    assert reasons[5].startswith("packed round columns have different lengths (type 2, amount 1")
    odd = rj[rj["source_row"] == 5].iloc[0]
    assert odd["value"] == "SEED;SEED" and odd["NAME"] == "Odd Ltd" and pd.isna(odd["round_type"])


def _records():
    companies = pd.DataFrame({"NAME": pd.array(["A", " B", "A", None], dtype="str"),
                              "TAG": pd.array(["x", "#N/A", "y", "x"], dtype="str")})
    parent = np.array([0, 0, 1, 3, 3, 3, 2])
    own = pd.DataFrame({"__row": np.arange(7), "round": pd.array(list("pqrstuv"), dtype="str")})
    full = pd.concat([companies.iloc[parent].reset_index(drop=True), own], axis=1)
    return Records(companies, parent, own), full


def test_records_stand_for_the_repeated_frame():
    r, full = _records()
    assert r.columns == list(full.columns) and len(r) == 7
    for c in full.columns:
        pd.testing.assert_series_equal(r[c], full[c], check_names=False)
    pos = np.array([1, 3, 6])
    pd.testing.assert_frame_equal(r.rows(pos, ["NAME", "round"]), full.iloc[pos][["NAME", "round"]])
    took = r.repeated("TAG", cleaned=True).take(pos, pd.Index(pos))
    assert took.tolist()[0] == "x" and took.tolist()[1:] == ["x", "y"]
    assert r.cleaned("NAME").fillna("-").tolist() == ["A", "A", "B", "-", "-", "-", "A"]
    e = r.encoded("TAG")
    assert e.tolist() == encode(full["TAG"]).tolist()
    assert e.isna().tolist() == [False, False, True, False, False, False, False]
