"""Fixtures of the io tests: writers of synthetic files in providers' real layouts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest


def _write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def _write_xlsx(path, rows: list[list], sheet: str = "Sheet1"):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _xlsx_with_part(path: Path, part: str, content: bytes, rows: list[list]) -> Path:
    buf = io.BytesIO()
    _write_xlsx(buf, rows)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == part else src.read(info.filename))
    return path


@pytest.fixture
def write_text():
    """write_text(path, text, encoding="utf-8", newline="\\n") -> path."""
    return _write


@pytest.fixture
def write_xlsx():
    """write_xlsx(path, rows, sheet="Sheet1") -> path (a real XLSX via openpyxl)."""
    return _write_xlsx


@pytest.fixture
def xlsx_with_part():
    """xlsx_with_part(path, part, content, rows): an XLSX with one zip member replaced."""
    return _xlsx_with_part
