"""Results objects read as statsmodels-style summaries: a header block and one key table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import fundgap
from fundgap.models import published_fund_case
from fundgap.models.results import KEY_ROWS, format_number


@pytest.fixture(scope="module")
def results():
    ncses = fundgap.load_dataset("ncses_vc")
    both = pd.concat([fundgap.load_dataset("oecd_vc"), ncses])
    rounds = fundgap.load_dataset("crunchbase2013_us_rounds")
    funds = fundgap.load_dataset("crunchbase2013_funds").assign(region="all")
    return {
        "gap": fundgap.gap(ncses, source="ncses", table="SINV-31"),
        "sources": fundgap.compare_sources(both, table={"ncses": "SINV-31"},
                                           aggregate_countries=True),
        "depth": fundgap.depth(rounds, n_boot=50, seed=1, price_base=None),
        "capacity": fundgap.capacity(funds, price_base=None),
        "case": published_fund_case(fundgap.load_dataset("published_figures")),
        "scenario": fundgap.project(None, fundgap.growth_path(5, 10), n_sims=50, seed=1),
    }


@pytest.mark.parametrize("name", ["gap", "sources", "depth", "capacity", "case", "scenario"])
def test_summary_is_compact_and_readable(results, name):
    r = results[name]
    text = r.summary()
    assert len(r.key_table()) <= KEY_ROWS
    assert len(text.splitlines()) <= KEY_ROWS + 30
    assert not re.search(r"\d\.\d+e[+-]\d", text), text  # no scientific notation
    assert "<NA>" not in text and "{" not in text  # no dicts, no pandas NA markers
    assert text.rstrip().endswith(f"{len(r.to_frame()):,} rows)")
    assert "<table" in r._repr_html_()


def test_gap_summary_shows_the_published_ncses_values(results):
    text = results["gap"].summary()
    # NCSES SINV-31, 2022: EU-27 USD 61,911m, US USD 247,925m
    assert re.search(r"2022\s+247,925\s+61,911\s+0\.2497", text), text


def test_number_format():
    assert format_number(1820200.0) == "1,820,200"
    assert format_number(0.04712) == "0.0471"
    assert format_number(pd.NA) == "-"
