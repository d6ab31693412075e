"""Native Excel charts drawn from a table's own cells, placed below the table, with alt text."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from fundgap.report.excel._model import Chart, Table

__all__ = ["add_chart", "check_chart"]

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
#: Fan bands, outermost first.
BAND_COLOURS = ["#C6DBEF", "#6BAED6", "#2171B5"]
HEIGHT = 340  # pixels
ROW_PX = 20


def check_chart(chart: Chart, tables: Any) -> None:
    """Raise KeyError when the chart names a table or a column that does not exist."""
    if chart.table >= len(tables):
        raise KeyError(f"chart table {chart.table} not on the sheet")
    cols = list(tables[chart.table].frame.columns)
    wanted = [chart.x, *chart.y, *chart.bands]
    wanted += [chart.group] if chart.group else []
    missing = [c for c in wanted if c not in cols]
    if missing:
        raise KeyError(f"chart columns not in the table: {missing}")


def _runs(values: pd.Series) -> list[tuple[int, int]]:
    """Contiguous runs (first, last position) of present values."""
    ok = pd.to_numeric(values, errors="coerce").notna().tolist()
    runs, start = [], None
    for i, flag in enumerate([*ok, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _name(chart: Chart, table: Table, col: str) -> str:
    if chart.names and col in chart.names:
        return str(chart.names[col])
    return str((table.labels or {}).get(col, col))


def _alt_text(chart: Chart, table: Table) -> str:
    if chart.alt_text:
        return chart.alt_text
    kind = {"bar": "Bar chart", "fan": "Fan chart", "line": "Line chart"}[chart.kind]
    series = "; ".join(_name(chart, table, c) for c in chart.y)
    return (f"{kind}: {chart.title or 'chart'}. {chart.y_title or 'value'} by "
            f"{chart.x_title or chart.x}. Series: {series}. The numbers are in the table above.")


def _axes(c: Any, chart: Chart, y_format: str | None, *, numeric_x: bool,
          frame: pd.DataFrame) -> None:
    x_axis: dict[str, Any] = {"name": chart.x_title or chart.x,
                              "name_font": {"size": 9, "bold": False}, "num_font": {"size": 9}}
    if numeric_x:
        xs = pd.to_numeric(frame[chart.x], errors="coerce").dropna()
        if len(xs):
            x_axis.update(min=float(xs.min()), max=float(xs.max()), num_format="0")
        x_axis["major_gridlines"] = {"visible": False}
    if chart.kind == "fan":
        x_axis["position_axis"] = "on_tick"
    c.set_x_axis(x_axis)
    y_axis: dict[str, Any] = {"name": chart.y_title, "name_font": {"size": 9, "bold": False},
                              "num_font": {"size": 9},
                              "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    fmt = chart.y_format or y_format
    if fmt:
        y_axis["num_format"] = "0%" if fmt.endswith("%") else fmt
    c.set_y_axis(y_axis)


def _line(wb: Any, sheet: str, chart: Chart, placed: Any, table: Table, frame: pd.DataFrame,
          numeric_x: bool) -> Any:
    xj = placed.columns.index(chart.x)
    first = placed.first
    if not numeric_x:
        c = wb.add_chart({"type": "line"})
        for k, y in enumerate(chart.y):
            yj = placed.columns.index(y)
            c.add_series({"name": _name(chart, table, y),
                          "categories": [sheet, first, xj, placed.last, xj],
                          "values": [sheet, first, yj, placed.last, yj],
                          "line": _line_style(k, y in chart.dashed), "marker": {"type": "none"}})
        return c
    c = wb.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    hidden, index = [], 0
    for k, y in enumerate(chart.y):
        yj = placed.columns.index(y)
        for r, (a, b) in enumerate(_runs(frame[y])):
            c.add_series({"name": _name(chart, table, y),
                          "categories": [sheet, first + a, xj, first + b, xj],
                          "values": [sheet, first + a, yj, first + b, yj],
                          "line": _line_style(k, y in chart.dashed),
                          "marker": {"type": "circle", "size": 4,
                                     "fill": {"color": PALETTE[k % len(PALETTE)]},
                                     "border": {"color": PALETTE[k % len(PALETTE)]}}})
            if r:
                hidden.append(index)
            index += 1
    c.set_legend({"position": "bottom", "delete_series": hidden, "font": {"size": 9}})
    return c


def _line_style(k: int, dashed: bool) -> dict[str, Any]:
    style: dict[str, Any] = {"color": PALETTE[k % len(PALETTE)], "width": 2.0}
    if dashed:
        style.update(dash_type="dash", width=1.25)
    return style


def _groups(chart: Chart, table: Table, placed: Any) -> list[tuple[str, int, int]]:
    """(name, first row, last row) of each series: the whole table, or one per group."""
    if not chart.group:
        return [("", placed.first, placed.last)]
    values = table.frame[chart.group].astype(str).tolist()[: placed.last - placed.first + 1]
    out: list[tuple[str, int, int]] = []
    for i, v in enumerate(values):
        if out and out[-1][0] == v:
            out[-1] = (v, out[-1][1], placed.first + i)
        else:
            out.append((v, placed.first + i, placed.first + i))
    return out


def _bar(wb: Any, sheet: str, chart: Chart, placed: Any, table: Table) -> Any:
    xj = placed.columns.index(chart.x)
    c = wb.add_chart({"type": "column"})
    k = 0
    for y in chart.y:
        yj = placed.columns.index(y)
        for group, a, b in _groups(chart, table, placed):
            name = group if chart.group and len(chart.y) == 1 else " ".join(
                p for p in (_name(chart, table, y), group) if p)
            c.add_series({"name": name, "categories": [sheet, a, xj, b, xj],
                          "values": [sheet, a, yj, b, yj],
                          "fill": {"color": PALETTE[k % len(PALETTE)]}, "gap": 80})
            k += 1
    return c


def _fan(wb: Any, sheet: str, chart: Chart, placed: Any, table: Table) -> Any:
    """Stacked areas (an unfilled base, then each band's width), lines on top.

    Stacked areas look the same in every spreadsheet program (overlapping areas do
    not: Excel draws the last series in front, LibreOffice the first).
    """
    xj = placed.columns.index(chart.x)
    cats = [sheet, placed.first, xj, placed.last, xj]
    area = wb.add_chart({"type": "area", "subtype": "stacked"})
    widths = list(chart.bands[1:])
    hidden = []
    for i, col in enumerate(chart.bands):
        j = placed.columns.index(col)
        series: dict[str, Any] = {"name": _name(chart, table, col), "categories": cats,
                                  "values": [sheet, placed.first, j, placed.last, j],
                                  "border": {"none": True}}
        if i == 0:
            series["fill"] = {"none": True}
        else:
            depth = min(i - 1, len(widths) - i)  # 0 at the edges, larger inside
            series["fill"] = {"color": BAND_COLOURS[min(depth, len(BAND_COLOURS) - 1)]}
        area.add_series(series)
        if not (chart.names and col in chart.names) or i == 0:
            hidden.append(i)
    line = wb.add_chart({"type": "line"})
    for k, y in enumerate(chart.y):
        j = placed.columns.index(y)
        style = {"color": "#08306B" if k == 0 else "#404040", "width": 2.25 if k == 0 else 1.5}
        if y in chart.dashed or k > 0:
            style["dash_type"] = "dash"
        line.add_series({"name": _name(chart, table, y), "categories": cats,
                         "values": [sheet, placed.first, j, placed.last, j], "line": style,
                         "marker": {"type": "none"}})
    area.combine(line)
    area.set_legend({"position": "bottom", "delete_series": hidden, "font": {"size": 9}})
    return area


def add_chart(wb: Any, ws: Any, chart: Chart, placed: Any, table: Table, row: int, width: int,
              fm: Any) -> int:
    """Draw ``chart`` below the table at ``row``; return the rows it covers."""
    frame = table.frame.reset_index(drop=True).iloc[: placed.last - placed.first + 1]
    numeric_x = pd.api.types.is_numeric_dtype(frame[chart.x].dtype) and chart.kind == "line"
    sheet = ws.name
    if chart.kind == "bar":
        c = _bar(wb, sheet, chart, placed, table)
    elif chart.kind == "fan":
        c = _fan(wb, sheet, chart, placed, table)
    else:
        c = _line(wb, sheet, chart, placed, table, frame, numeric_x)
    if chart.kind != "fan" and not (chart.kind == "line" and numeric_x):
        c.set_legend({"position": "bottom", "font": {"size": 9}})
    if chart.title:
        c.set_title({"name": chart.title, "name_font": {"size": 11, "bold": True}})
    y_fmt = placed.formats[placed.columns.index(chart.y[0])] if chart.y else None
    _axes(c, chart, y_fmt, numeric_x=numeric_x, frame=frame)
    c.set_size({"width": width, "height": HEIGHT})
    c.set_chartarea({"border": {"none": True}})
    ws.insert_chart(row, 0, c, {"description": _alt_text(chart, table), "object_position": 1})
    return math.ceil(HEIGHT / ROW_PX) + 1
