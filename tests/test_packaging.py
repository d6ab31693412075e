"""Packaging checks: light import, public API, package data declared for the wheel."""

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

import fundgap

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_light():
    code = ("import sys, fundgap, fundgap.models, fundgap.scenarios; "
            "heavy = [m for m in ('matplotlib', 'seaborn', 'openpyxl', 'statsmodels') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_fundgap_alone_does_not_import_pandas():
    code = "import sys, fundgap; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_api_names_resolve():
    for name in fundgap.__all__:
        assert getattr(fundgap, name) is not None, name
    assert fundgap.__all__ == sorted(fundgap.__all__)


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError):
        fundgap.no_such_thing  # noqa: B018


def _package_data_patterns():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    raw = cfg["options.package_data"]["fundgap"]
    return [p.strip() for p in raw.replace("\n", ",").split(",") if p.strip()]


@pytest.mark.skipif(not (ROOT / "setup.cfg").exists(), reason="needs the source tree")
def test_every_shipped_data_file_is_declared_as_package_data():
    data_dir = ROOT / "fundgap"
    files = [p for p in (data_dir / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    patterns = _package_data_patterns()
    missing = [str(p.relative_to(data_dir)) for p in files
               if not any(p.relative_to(data_dir).match(pat) or
                          str(p.relative_to(data_dir)).startswith(pat.split("**")[0]) and "**" in pat
                          for pat in patterns)]
    assert missing == []
