"""The provenance register fundgap/data/datasets.json: complete records, matching checksums."""

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from fundgap.datasets import describe_dataset, list_datasets, load_dataset
from fundgap.errors import UnknownSourceError

DATA = Path(__file__).resolve().parents[2] / "fundgap" / "data"
REQUIRED = ("name", "title", "kind", "coverage", "source", "publisher", "origin", "retrieved",
            "licence", "citation", "caveats", "codebook", "files")
NAMES = ("oecd_vc", "ncses_vc", "ncses_industry", "ncses_firms", "crunchbase2013_us_rounds",
         "crunchbase2013_funds", "published_figures",
         "fx_ecb_annual", "us_cpi_u", "hicp", "gdp_usd", "eu_membership")


def _records():
    return json.loads((DATA / "datasets.json").read_text(encoding="utf-8"))["datasets"]


def test_the_names_others_rely_on_are_registered():
    names = {r["name"] for r in _records()}
    assert set(NAMES) <= names
    assert len(names) == len(_records())  # no duplicates


@pytest.mark.parametrize("rec", _records(), ids=lambda r: r["name"])
def test_every_record_is_complete(rec):
    for key in REQUIRED:
        assert rec.get(key), f"{rec['name']}: empty {key}"
    assert rec["kind"] in ("series", "rounds", "funds", "table", "reference")
    assert isinstance(rec["caveats"], list) and all(isinstance(c, str) and c for c in rec["caveats"])
    assert all(isinstance(v, str) and v for v in rec["codebook"].values())
    # an origin is an exact address: a repository with a commit, or a publisher's address
    assert ("commit" in rec["origin"]) or ("https://" in rec["origin"]) or ("datasets/raw/" in rec["origin"])


@pytest.mark.parametrize("rec", _records(), ids=lambda r: r["name"])
def test_every_checksum_matches_the_shipped_file(rec):
    for f in rec["files"]:
        path = DATA / f["path"]
        assert path.is_file(), f["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"], f["path"]
        assert path.stat().st_size == f["bytes"]


def test_every_file_of_the_datasets_room_is_registered():
    registered = {f["path"] for r in _records() for f in r["files"]}
    ours = [p for p in DATA.rglob("*") if p.is_file() and "reference" not in p.parts
            and p.name != "datasets.json" and "__pycache__" not in p.parts]
    missing = [str(p.relative_to(DATA)) for p in ours if str(p.relative_to(DATA)) not in registered]
    assert missing == []


@pytest.mark.parametrize("name", ["oecd_vc", "ncses_vc", "ncses_industry", "ncses_firms", "published_figures",
                                  "fx_ecb_annual",
                                  "us_cpi_u", "hicp", "gdp_usd", "eu_membership",
                                  "crunchbase2013_us_companies", "crunchbase2013_us_rounds",
                                  "crunchbase2013_funds"])
def test_codebook_names_every_column(name):
    rec = {r["name"]: r for r in _records()}[name]
    frame = load_dataset(name)
    from fundgap.schema import FUND_COLUMNS, ROUND_COLUMNS

    canonical = {"rounds": ROUND_COLUMNS, "funds": FUND_COLUMNS}.get(rec["kind"], {})
    undocumented = [c for c in frame.columns if c not in rec["codebook"] and c not in canonical]
    assert undocumented == []


def test_unverified_series_say_so():
    rec = {r["name"]: r for r in _records()}
    hicp = " ".join(rec["hicp"]["caveats"]).lower()
    assert "euro" in hicp and "area" in hicp and "not verified for eu-27" in hicp
    assert "cyprus" in " ".join(rec["oecd_vc"]["caveats"]).lower()
    assert "cc-by" in rec["crunchbase2013_us_rounds"]["licence"].lower()


def test_list_datasets_frame():
    ds = list_datasets()
    assert list(ds.columns) == ["name", "title", "kind", "coverage", "source", "licence"]
    assert set(NAMES) <= set(ds["name"])
    assert ds.notna().all().all()


def test_unknown_name_lists_the_names():
    with pytest.raises(UnknownSourceError) as err:
        load_dataset("oecd_vcc")
    msg = str(err.value)
    assert "oecd_vcc" in msg and "ncses_vc" in msg and "did you mean 'oecd_vc'" in msg
    with pytest.raises(UnknownSourceError):
        describe_dataset("nope")


def test_describe_dataset_has_everything():
    text = describe_dataset("oecd_vc")
    assert isinstance(text, str)
    for part in ("How to cite", "Caveats", "Codebook", "Licence", "Origin", "sha256",
                 "DSD_VC@DF_VC_INV", "Cyprus"):
        assert part in text
    assert repr(text) == str(text)  # prints as text at the prompt


def test_load_dataset_returns_a_copy():
    a = load_dataset("published_figures")
    a.loc[0, "value"] = -1.0
    assert load_dataset("published_figures").loc[0, "value"] != -1.0
    assert isinstance(a, pd.DataFrame)
