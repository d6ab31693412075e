"""The whole analysis, end to end: data in, findings, workbook + figures + tidy tables out.

:func:`write_report` is what ``fundgap report`` runs. It reads the files you give
(``fundgap.read_*``), computes every finding once with :func:`fundgap.findings`,
and renders them: the workbook (:mod:`fundgap.report.excel`, the one module that
writes Excel), the figures (:mod:`fundgap.report.figures`, the one module that
plots) and one CSV per table. Each section renders on its own: a section whose
input is missing (no funds file, one region only) is reported as unavailable,
with the reason, and the rest of the report is still written.

Examples
--------
>>> from fundgap.report.pipeline import ReportOutput
>>> ReportOutput.__name__
'ReportOutput'
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError
from fundgap.findings import DEFAULT_SEED, STEPS
from fundgap.models._progress import bars_on, step
from fundgap.report.sections import SECTIONS, Section, Unavailable

__all__ = ["REPORT_STEPS", "ReportOutput", "SectionStatus", "Unavailable", "shipped_series",
           "write_report"]

WORKBOOK_NAME = "fundgap-report.xlsx"
#: Rows of one table written into the workbook by default; longer tables go to CSV.
REPORT_MAX_ROWS = 20_000
#: Constant-price base year of round and fund sizes.
PRICE_BASE = 2024
SHIPPED = {"rounds": "crunchbase2013_us_rounds", "funds": "crunchbase2013_funds"}
#: The steps :func:`write_report` reports to its ``progress`` callback, in order.
REPORT_STEPS: tuple[str, ...] = (*STEPS, "Sections", "Workbook", "Figures")


def shipped_series() -> pd.DataFrame:
    """Every shipped series dataset in one canonical frame (sources kept apart by ``source``)."""
    from fundgap.findings import shipped_series as _shipped

    return _shipped()


@dataclass
class SectionStatus:
    """How one section of the report went."""

    key: str
    title: str
    status: str = "ok"  # ok | unavailable | failed
    detail: str = ""
    seconds: float = 0.0


@dataclass
class InputSummary:
    """What was read for one kind of input: rows read, kept and rejected."""

    kind: str
    label: str
    n_read: int
    n_kept: int
    n_rejected: int

    def line(self) -> str:
        """One line: ``rounds  export.csv: 1,000 read, 990 kept, 10 rejected``."""
        return (f"  {self.kind:<7} {self.label}: {self.n_read:,} read, {self.n_kept:,} kept, "
                f"{self.n_rejected:,} rejected")


@dataclass
class ReportOutput:
    """What :func:`write_report` wrote, the findings, and how each section went.

    Attributes
    ----------
    out_dir, workbook : Path
    figures, tables : list of Path
    sections : list of SectionStatus
    inputs : list of InputSummary
    findings : fundgap.findings.Findings
    seconds : float
        Wall time of the whole run.
    results : dict
        The model results behind the findings.
    """

    out_dir: Path
    workbook: Path | None = None
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    sections: list[SectionStatus] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)
    findings: Any = None
    seconds: float = 0.0
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[SectionStatus]:
        """Sections that did not run (unavailable or failed)."""
        return [s for s in self.sections if s.status != "ok"]

    def summary(self, k: int = 12) -> str:
        """Inputs (rows read, kept, rejected), the headline findings, where the files went."""
        lines = ["Inputs"] + [i.line() for i in self.inputs]
        if self.findings is not None:
            lines.append("Findings (the sentences: workbook sheet 'Key findings', "
                         "tables/findings.csv)")
            lines.extend(self.findings.to_lines(k))
        lines.append(f"Written to {self.out_dir}: {self.workbook.name if self.workbook else '-'}"
                     f", {len({p.stem for p in self.figures})} figures (PNG + SVG), "
                     f"{len(self.tables)} CSV tables")
        lines.extend(f"  FAILED {s.title}: {s.detail}" for s in self.sections
                     if s.status == "failed")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<ReportOutput {self.out_dir}: {len(self.sections) - len(self.problems)} of "
                f"{len(self.sections)} sections, {len(self.figures)} figure files>")


# ----------------------------------------------------------------------------- inputs


def _read(kind: str, value: Any, source: str | None) -> tuple[Any, InputSummary]:
    """(frame, summary) for one input: a file, a Loaded, a frame or None (shipped)."""
    import fundgap
    from fundgap.loaded import Loaded

    if value is None:
        return None, None
    if isinstance(value, pd.DataFrame):
        n = len(value)
        return value, InputSummary(kind, "frame given by the caller", n, n, 0)
    if not isinstance(value, Loaded):
        reader = {"rounds": fundgap.read_rounds, "funds": fundgap.read_funds,
                  "series": fundgap.read_series}[kind]
        # the loader's own bar of the bytes read only where the report draws bars
        with step(f"reading {kind}: {Path(value).name}"):
            value = reader(os.fspath(value), source=source, progress=bars_on())
    return value, InputSummary(kind, f"{value.path or 'frame'} (source: {value.source})",
                               int(value.n_input), len(value.data), len(value.rejects))


def _release_memory() -> None:
    """Return memory freed by the loaders to the operating system (Arrow's pool, glibc's heap).

    Reading a large export leaves freed blocks that both allocators keep for reuse
    (about 150 MB after a 10^6-row PitchBook file); the report's peak comes later,
    so handing them back lowers it. A no-op where glibc is not the C library.
    """
    import contextlib
    import ctypes
    import ctypes.util
    import gc
    import sys

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # another C library
            ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _countries(places: Mapping[str, Any]) -> tuple[str, ...]:
    """Belgium, and the ``--against`` place when it is a single country."""
    against = places.get("against")
    extra = (against,) if against and against not in (places.get("groups") or {}) \
        and len(str(against)) == 2 and against not in ("US", "UK", "CN") else ()
    return tuple(dict.fromkeys(("BE", *extra)))


def _shipped_summary(kind: str, findings: Any) -> InputSummary:
    from fundgap.datasets import load_dataset

    if kind == "series":
        from fundgap.findings import shipped_series as _s

        n = len(_s())
        return InputSummary(kind, "shipped OECD and NCSES tables", n, n, 0)
    frame = load_dataset(SHIPPED[kind])
    rej = _shipped_rejects(SHIPPED[kind])
    n_rej = 0 if rej is None else len(rej)
    return InputSummary(kind, f"shipped dataset {SHIPPED[kind]}", len(frame) + n_rej, len(frame),
                        n_rej)


def _shipped_rejects(name: str) -> pd.DataFrame | None:
    from importlib import resources

    path = resources.files("fundgap") / "data" / name / f"{name}_rejects.csv"
    try:
        return pd.read_csv(path.open("rb"), dtype=str, keep_default_na=False)
    except (FileNotFoundError, OSError):
        return None


# ----------------------------------------------------------------------------- main entry


def write_report(
    out: str | os.PathLike = "fundgap-report",
    *,
    rounds: Any = None,
    funds: Any = None,
    series: Any = None,
    sources: Mapping[str, str] | None = None,
    multiple: float = 5.0,
    horizon: int = 10,
    lever: str = "bigger_funds",
    n_sims: int = 1000,
    seed: int = DEFAULT_SEED,
    max_rows: int | None = None,
    figures: bool = True,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    groups: Mapping[str, Any] | None = None,
    against: str | None = None,
) -> ReportOutput:
    """Run the whole analysis and write the workbook, figures and tidy tables.

    Parameters
    ----------
    out : path-like, default "fundgap-report"
        Output folder (created). Receives ``fundgap-report.xlsx``,
        ``figures/*.png`` and ``*.svg`` and ``tables/*.csv``.
    rounds, funds, series : path, DataFrame, Loaded or None
        Your data: a file (read with :func:`fundgap.read_rounds` etc.), a canonical
        frame or a :class:`~fundgap.loaded.Loaded` (read it yourself for a layout's
        options, e.g. ``--source generic --columns``). None uses the shipped data
        (CrunchBase 2013 US biotech rounds, CrunchBase 2013 funds, OECD + NCSES series).
    sources : dict, optional
        The layout of each file given, e.g. ``{"rounds": "pitchbook"}`` (default:
        recognised from the header).
    multiple, horizon, lever : scenario options: capital x``multiple`` in ``horizon`` years
        through ``lever`` (default x5 in 10 years, ``bigger_funds``).
    n_sims : int, default 1000
        Monte Carlo simulations of the scenario (0 = central projection only).
    seed : int
        Seed of every stochastic step (bootstrap, Monte Carlo).
    max_rows : int, optional
        Largest table written into the workbook (default 20,000); longer tables
        are in ``tables/`` and the sheet says so.
    figures : bool, default True
        Write the figures.
    strict : bool, default False
        Raise on a section's unexpected error instead of reporting it as failed.
    progress : callable, optional
        Called with each finished step's name (the CLI draws a progress bar).
    groups, against : optional
        Groups of countries and a place to compare (see :func:`fundgap.gap`), checked
        before any work and passed to the sections (``ctx["groups"]``, ``ctx["against"]``).

    Returns
    -------
    ReportOutput

    Raises
    ------
    FundgapError
        When a file you gave cannot be read (bad layout, missing columns ...).
    """
    import fundgap

    t0 = time.perf_counter()
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise FundgapError("the output folder is a file", file=out_dir)
    from fundgap.normalise.groups import place_options

    places = place_options(groups, against)  # checked before any work
    # the files you give are read first, so their errors come before any work is done
    given, summaries, rejects = {}, [], {}
    sources = dict(sources or {})
    unknown = set(sources) - {"rounds", "funds", "series"}
    if unknown:
        raise FundgapError("sources names the kind of each file", argument="sources",
                           value=sorted(unknown), expected=["rounds", "funds", "series"])
    for kind, value in (("rounds", rounds), ("funds", funds), ("series", series)):
        frame, summary = _read(kind, value, sources.get(kind))
        given[kind] = frame
        if summary is not None:
            summaries.append(summary)
            rej = getattr(frame, "rejects", None)
            if rej is not None and len(rej):
                rejects[kind] = rej
    _release_memory()  # what the loaders freed goes back to the system before the models run
    out_dir.mkdir(parents=True, exist_ok=True)
    found = fundgap.findings(**given, multiple=multiple, horizon=int(horizon), lever=lever,
                             n_sims=int(n_sims), seed=seed, price_base=PRICE_BASE,
                             progress=progress, groups=places["groups"],
                             countries=_countries(places))
    summaries.extend(_shipped_summary(kind, found) for kind in ("rounds", "funds", "series")
                     if given[kind] is None)
    summaries.sort(key=lambda s: ("rounds", "funds", "series").index(s.kind))
    ctx = {"multiple": float(multiple), "horizon": int(horizon), "lever": lever,
           "n_sims": int(n_sims), "seed": seed, "ci": 0.95, "price_base": PRICE_BASE,
           "rejects": rejects, "funds": found.inputs.funds, **places}
    result = ReportOutput(out_dir, results=dict(found.results), findings=found, inputs=summaries)
    rendered = _render(found, ctx, result, strict, progress)
    _write_tables(rendered, out_dir, result)
    _write_book(found, rendered, result, out_dir, max_rows, strict, progress)
    if figures:
        _draw(rendered, out_dir / "figures", result, strict, progress)
    _remove_stale(out_dir, result)
    result.seconds = time.perf_counter() - t0
    return result


def _render(found: Any, ctx: dict[str, Any], result: ReportOutput, strict: bool,
            progress: Callable[[str], None] | None) -> dict[str, Section]:
    rendered: dict[str, Section] = {}
    with step("sheets", total=len(SECTIONS), unit="section") as bar:
        for key, (title, fn) in SECTIONS.items():
            st = SectionStatus(key, title)
            t = time.perf_counter()
            try:
                rendered[key] = fn(found, ctx)
            except Unavailable as exc:
                st.status, st.detail = "unavailable", str(exc)
            except FundgapError as exc:
                st.status, st.detail = "unavailable", f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # a bug: loud in strict mode, reported otherwise
                if strict:
                    raise
                st.status, st.detail = "failed", f"{type(exc).__name__}: {exc}"
                warnings.warn(f"fundgap report: section {title!r} failed: {st.detail}",
                              stacklevel=2)
            st.seconds = time.perf_counter() - t
            result.sections.append(st)
            bar.update()
    if progress is not None:
        progress("Sections")
    return rendered


def _write_tables(rendered: Mapping[str, Section], out_dir: Path, result: ReportOutput) -> None:
    from fundgap.report.excel import atomic_csv

    tdir = out_dir / "tables"
    tdir.mkdir(exist_ok=True)
    frames = {"findings": result.findings.to_frame()}
    for sec in rendered.values():
        frames.update(sec.tables)
    with step("tables (CSV)", total=len(frames), unit="table") as bar:
        for name, frame in frames.items():
            p = tdir / f"{name}.csv"
            atomic_csv(frame, p)
            result.tables.append(p)
            bar.update()


def _remove_stale(out_dir: Path, result: ReportOutput) -> None:
    """Remove the tables and figures an earlier run wrote into this folder and this one did not."""
    from fundgap._output import remove_stale

    written = [*result.tables, *result.figures]
    remove_stale(out_dir / "tables", written, ["*.csv"])
    remove_stale(out_dir / "figures", written, ["*.png", "*.svg"])


def _vintages(found: Any) -> list[str]:
    """One line per source: the vintage of its data, as the findings record it."""
    from fundgap.report import labels

    f = found.to_frame()
    seen: dict[str, list[str]] = {}
    f = f[~f["id"].astype(str).str.startswith("published.")]
    for src, vintage in zip(f["source"], f["vintage"], strict=True):
        if not vintage or not src or "fundgap" in str(src) or ";" in str(src):
            continue
        name = labels.source(src, "").split(" (")[0]
        for part in str(vintage).split("; "):
            if part and part not in seen.setdefault(name, []):
                seen[name].append(part)
    return ["; ".join(p if p.startswith(name) else f"{name}: {p}" for p in parts)
            for name, parts in seen.items()]


def _contents(found: Any, rendered: Mapping[str, Section], sections: list[SectionStatus],
              body: list[Any]) -> list[dict[str, str]]:
    front = [("Notes", "definitions and caveats, referenced as [note N]"),
             ("Key findings", "the answer in twelve rows or fewer, each with source and status"),
             ("All findings", "every finding fundgap computes, with its rule, status and caveat")]
    rows = [{"Sheet": n, "What it shows": w, "Status": "ok"} for n, w in front]
    what = {name: w for sec in rendered.values() for name, w in sec.contents.items()}
    rows += [{"Sheet": s.name, "What it shows": what.get(s.name, ""), "Status": "ok"}
             for s in body]
    for st in sections:
        if st.status != "ok" and st.key not in ("rejects", "countries"):
            rows.append({"Sheet": st.title, "What it shows": "(not in this workbook)",
                         "Status": f"{st.status}: {st.detail}"})
    rows += [{"Sheet": "Model options", "What it shows": "every model's options as run",
              "Status": "ok"},
             {"Sheet": "Data sources", "What it shows": "the shipped datasets, their coverage "
              "and licences", "Status": "ok"}]
    return rows


def _write_book(found: Any, rendered: Mapping[str, Section], result: ReportOutput, out_dir: Path,
                max_rows: int | None, strict: bool,
                progress: Callable[[str], None] | None) -> None:
    import fundgap
    from fundgap.datasets import list_datasets
    from fundgap.report import front
    from fundgap.report.excel import write_workbook

    st = SectionStatus("workbook", "Workbook")
    t = time.perf_counter()
    body = [s for sec in rendered.values() for s in sec.sheets]
    run_notes = list(found.meta.get("notes", []))
    catalog = front.notes_catalog(run_notes)
    sheets = [
        front.cover_sheet(found, version=fundgap.__version__, vintages=_vintages(found),
                          data=found.meta.get("data", {})),
        front.contents_sheet(_contents(found, rendered, result.sections, body)),
        front.notes_sheet(),
        front.key_findings_sheet(found),
        front.findings_sheet(found),
        *body,
        front.options_sheet(found.results, notes=[f"run{i}" for i in range(1, len(run_notes) + 1)]),
        front.sources_sheet(list_datasets()),
    ]
    cap = REPORT_MAX_ROWS if max_rows is None else int(max_rows)
    try:
        result.workbook = write_workbook(
            sheets, out_dir / WORKBOOK_NAME, max_rows=cap, notes=catalog,
            properties={"title": "fundgap report: Europe's biotech funding gap",
                        "author": f"fundgap {fundgap.__version__}",
                        "subject": "EU-US-China venture capital gap by stage"})
    except FundgapError:
        raise
    except Exception as exc:
        if strict:
            raise
        raise FundgapError(f"the workbook could not be written: {type(exc).__name__}: {exc}",
                           file=out_dir / WORKBOOK_NAME) from exc
    st.seconds = time.perf_counter() - t
    result.sections.append(st)
    if progress is not None:
        progress("Workbook")


def _draw(rendered: Mapping[str, Section], folder: Path, result: ReportOutput, strict: bool,
          progress: Callable[[str], None] | None) -> None:
    from fundgap.report.figures import save_figure

    st = SectionStatus("figures", "Figures")
    t = time.perf_counter()
    errors = []
    todo = [(name, spec) for sec in rendered.values() for name, spec in sec.figures.items()]
    with step("figures", total=len(todo), unit="figure") as bar:
        for name, (fn, args) in todo:
            try:
                result.figures.extend(save_figure(fn(*args), folder, name))
            except Unavailable:
                continue
            except Exception as exc:
                if strict:
                    raise
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
            finally:
                bar.update()
    if errors:
        st.status, st.detail = "failed", "; ".join(errors)
        warnings.warn(f"fundgap report: figures failed: {st.detail}", stacklevel=2)
    st.seconds = time.perf_counter() - t
    result.sections.append(st)
    if progress is not None:
        progress("Figures")
