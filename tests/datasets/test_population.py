"""The World Bank population extract: the build stops on a mis-copied or missing row."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = ROOT / "datasets" / "raw" / "worldbank" / "sp_pop_totl_extract.csv"


@pytest.fixture(scope="module")
def build():
    sys.path.insert(0, str(ROOT / "datasets"))
    try:
        import build as module
    finally:
        sys.path.remove(str(ROOT / "datasets"))
    return module


def test_the_extract_adds_up_and_ships_as_built(build):
    out, info = build.build_population()
    assert len(out) == 32 * 26 and info["max_relative_gap_eu27_vs_euu"] <= 1e-4
    import fundgap

    shipped = fundgap.load_dataset("population_wb")
    cols = ["country", "year", "population"]
    assert shipped[cols].values.tolist() == out[cols].values.tolist()
    # Belgium 2025 as the World Bank file gives it (line 'Belgium,BEL,2025,11941781')
    be = shipped[(shipped["country"] == "BE") & (shipped["year"] == 2025)]
    assert int(be["population"].iloc[0]) == 11941781


def test_a_mis_copied_member_row_is_caught_by_the_eu_total(build, tmp_path):
    bad = tmp_path / "extract.csv"
    text = EXTRACT.read_text(encoding="utf-8")
    assert "Belgium,BEL,2019,11488980\n" in text
    bad.write_text(text.replace("Belgium,BEL,2019,11488980\n", "Belgium,BEL,2019,11848980\n"),
                   encoding="utf-8")  # two digits swapped: +359,000 persons, 0.08% of the EU
    with pytest.raises(SystemExit, match=r"EUU.*2019.*mis-copied"):
        build.build_population(bad)


def test_a_missing_year_stops_the_build(build, tmp_path):
    bad = tmp_path / "extract.csv"
    lines = EXTRACT.read_text(encoding="utf-8").splitlines(keepends=True)
    bad.write_text("".join(x for x in lines if not x.startswith("Norway,NOR,2003,")),
                   encoding="utf-8")
    with pytest.raises(SystemExit, match=r"every year.*NOR"):
        build.build_population(bad)
