"""The zip parts of a big workbook are inflated on a second thread while the budget scan
runs: the same verdicts as on one thread, the producer stopped when the scan stops early,
its errors raised where they happen (SYNTHETIC workbooks made here)."""

from __future__ import annotations

import threading

import pytest

from fundgap.errors import FileFormatError
from fundgap.io import _xlsx
from fundgap.io._threads import parallel, prefetched
from tests.hostile._xlsx_parts import sheet_xml, xlsx


def _alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "fundgap-prefetch"]


def test_items_in_order_and_all_of_them():
    with parallel(True):
        assert list(prefetched(iter(range(1000)), depth=3)) == list(range(1000))
    assert not _alive()


def test_consumer_stopping_early_stops_the_producer():
    made = []

    def producer():
        for i in range(10_000):
            made.append(i)
            yield i

    with parallel(True):
        for x in prefetched(producer(), depth=2):
            if x == 3:
                break
    assert not _alive()
    # the items taken (4), those waiting in the queue (2) and the one being put when the
    # consumer stopped
    assert 4 <= len(made) <= 4 + 2 + 1


def test_producer_error_after_the_items_before_it():
    def producer():
        yield from range(3)
        raise FileFormatError("corrupt XLSX part", file="x.xlsx")

    got = []
    with parallel(True), pytest.raises(FileFormatError, match="corrupt"):
        for x in prefetched(producer()):
            got.append(x)
    assert got == [0, 1, 2] and not _alive()


def _big_workbook(tmp_path, rows: int) -> str:
    # a sheet part of more than _PREFETCH_FROM bytes inflated: prefetched
    body = sheet_xml([[f"company {i:07d} " + "x" * 60, i, 2.5] for i in range(rows)])
    assert len(body) > _xlsx._PREFETCH_FROM
    p = tmp_path / "SYNTHETIC_big.xlsx"
    p.write_bytes(xlsx(body))
    return str(p)


def test_big_sheet_same_verdict_on_one_or_two_threads(tmp_path, monkeypatch):
    path = _big_workbook(tmp_path, 80_000)
    for par in (False, True):
        with parallel(par):
            _xlsx.check_budget(path)  # (within the budget: no error either way)
    monkeypatch.setitem(_xlsx.LIMITS, "rows", 50_000)  # now over it, half way through the part
    messages = []
    for par in (False, True):
        with parallel(par), pytest.raises(FileFormatError) as err:
            _xlsx.check_budget(path)
        messages.append((err.value.message, err.value.column))
    assert messages[0] == messages[1] and "rows" in messages[0][0]
    assert not _alive()
