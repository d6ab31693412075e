"""CITATION.cff: the keys CFF 1.2.0 requires, and the version of the package."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _top_level(text):
    keys = {}
    for line in text.splitlines():
        m = re.match(r"^([a-z][a-z0-9-]*):\s*(.*)$", line)
        if m:
            keys[m.group(1)] = m.group(2).strip().strip('"')
    return keys


def test_citation_has_the_required_cff_keys():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    keys = _top_level(text)
    assert keys["cff-version"] == "1.2.0"
    for required in ("message", "title", "authors"):  # required by the CFF 1.2.0 schema
        assert required in keys
    assert keys["type"] in {"software", "dataset"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", keys["date-released"])
    # authors is a non-empty list of persons or entities
    assert re.search(r"^authors:\n  - (name|family-names): \S", text, flags=re.M)
    assert "\t" not in text


def test_citation_version_matches_the_package():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    keys = _top_level((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert keys["version"] == cfg["metadata"]["version"]
