"""Time fundgap against the targets of issues 8 and 19, each beside a reference measured in the same run.

Every measured call runs in a fresh Python subprocess, so that imports, caches and
memory of one call do not leak into the next. Inside the subprocess the setup
(imports, reading the input frame of a model) is done first; then the peak-RSS
counter is reset (``/proc/self/clear_refs``) and only the measured call is timed.
Commands (``fundgap report``) are timed from the outside, start to exit. Memory is
peak resident set size (RSS: numpy and pyarrow buffers included, unlike
tracemalloc): the whole child process (``ru_maxrss`` from ``os.wait4``) and, for
calls, the rise during the call (``VmHWM`` after minus ``VmRSS`` before).

Every measurement is repeated (``--repeat N``; the fundgap call and its reference
alternate, so that a slow phase of the machine hits both); the table gives the
minimum and the spread (min / median / max) of each, and the ratio of the minima.

Targets (2-core machine; "x ref" = ratio to the reference measured in the same run):

==================================  =========================================================
read_rounds / read_funds, CSV 10^6  <= 2x pandas.read_csv(path, engine="pyarrow", dtype=str)
                                    (issue 19 for Dealroom, Preqin, PitchBook funds, generic;
                                    issue 8 for PitchBook and Crunchbase); peak <= 4x file
                                    (issue 8)
read_rounds, XLSX 10^5              <= 1.5x pandas.read_excel(path, engine="calamine")
fundgap report --rounds FILE 10^6   <= 10x read_rounds of the same file; peak <= 3x the file
compare_regions, 10^6 rounds        <= 3 s; any other model over 1 s at 10^6 rounds is flagged
depth, 1,000 boot, 10^6 rounds      <= 5 s (issue 8)
project, 10,000 sims x 10 y         <= 0.5 s
fundgap report (shipped data)       <= 15 s, end to end as a command
import fundgap                      <= 0.5 s; no matplotlib/seaborn/openpyxl/statsmodels after
==================================  =========================================================

The pandas reference of a layout with banner rows above the header (PitchBook deals
and funds) skips them (``skiprows=6``), since pyarrow cannot parse a file whose first
rows have a different number of fields; it is the same call otherwise. Under the Dealroom
read (CSV) the harness also times :func:`unpacked_rounds`, the same rounds from bare Arrow
without fundgap's checks, and prints the loader's ratio to it: informational, since the
issue's reference parses one row per company while the loader returns one per round.

Usage::

    python benchmarks/run.py                # everything: 10^4, 10^5, 10^6 rows
    python benchmarks/run.py --quick        # 10^4 and 10^5 rows only
    python benchmarks/run.py --steps read --layouts dealroom preqin --sizes 1e6 --repeat 3
    python benchmarks/run.py --steps report_rounds --sizes 1e4 1e5
    python benchmarks/run.py --profile read_dealroom --sizes 1e5
    python benchmarks/run.py --markdown benchmarks/_out/results-<stamp>.json   # tables for README

A step whose API does not exist is reported as "not available".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = HERE / "_out"
sys.path.insert(0, str(HERE))

FORBIDDEN_AT_IMPORT = ("matplotlib", "seaborn", "openpyxl", "statsmodels")
TARGET = {
    "read_csv_ratio": 2.0,
    "read_xlsx_ratio": 1.5,
    "read_mem_ratio": 4.0,
    "report_ratio": 10.0,
    "report_mem_ratio": 3.0,
    "compare_regions_s": 3.0,
    "model_flag_s": 1.0,
    "depth_s": 5.0,
    "project_s": 0.5,
    "report_s": 15.0,
    "import_s": 0.5,
}
ALL_STEPS = ("import", "read", "report_rounds", "models", "project", "report")
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)


@dataclass(frozen=True)
class Layout:
    """One file layout the harness reads: which generator writes it and how it is read."""

    source: str                    # benchmarks/generate.py source
    style: str                     # file style of that source
    kind: str                      # "rounds" or "funds": read_rounds or read_funds
    fundgap_source: str            # source= of the fundgap call
    skiprows: int = 0              # banner rows the pandas reference skips
    sizes: str = "all"             # "all" sizes, "largest" only, or "xlsx" (10^4, 10^5)
    generic: bool = False          # read with columns=generate.GENERIC_COLUMNS

    @property
    def xlsx(self) -> bool:
        return self.style == "xlsx"


LAYOUTS: dict[str, Layout] = {
    "pitchbook": Layout("pitchbook", "standard", "rounds", "pitchbook", skiprows=6),
    "pitchbook_excel": Layout("pitchbook", "excel", "rounds", "pitchbook", sizes="largest"),
    "crunchbase": Layout("crunchbase", "standard", "rounds", "crunchbase"),
    "crunchbase_excel": Layout("crunchbase", "excel", "rounds", "crunchbase", sizes="largest"),
    "dealroom": Layout("dealroom", "standard", "rounds", "dealroom"),
    "preqin": Layout("preqin", "standard", "funds", "preqin"),
    "pitchbook_funds": Layout("pitchbook_funds", "standard", "funds", "pitchbook_funds", skiprows=6),
    "generic": Layout("generic", "standard", "rounds", "generic", generic=True),
    "pitchbook_xlsx": Layout("pitchbook", "xlsx", "rounds", "pitchbook", skiprows=6, sizes="xlsx"),
    "dealroom_xlsx": Layout("dealroom", "xlsx", "rounds", "dealroom", sizes="xlsx"),
    "preqin_xlsx": Layout("preqin", "xlsx", "funds", "preqin", sizes="xlsx"),
    "pitchbook_funds_xlsx": Layout("pitchbook_funds", "xlsx", "funds", "pitchbook_funds",
                                   skiprows=6, sizes="xlsx"),
    "generic_xlsx": Layout("generic", "xlsx", "rounds", "generic", sizes="xlsx", generic=True),
}
XLSX_SIZES = (10_000, 100_000)


# ======================================================================================
# Child side: one measured call per process
# ======================================================================================

def _proc_status(key: str) -> int:
    """A value of /proc/self/status in kB (0 if unavailable)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class Unavailable(Exception):
    """The API a step needs does not exist."""


def _cpu_seconds() -> float:
    """CPU time of this process so far, every thread (user + system)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _measure(fn, profile_path: str | None = None):
    """Time ``fn()`` once with the peak-RSS counter reset; optionally under cProfile."""
    import gc

    gc.collect()
    rss0 = _proc_status("VmRSS")
    reset = _reset_peak()
    prof = None
    if profile_path:
        import cProfile

        prof = cProfile.Profile()
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    value = fn()
    if prof:
        prof.disable()
    seconds = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    if prof:
        prof.dump_stats(profile_path)
    hwm = _proc_status("VmHWM")
    return value, {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rss_before_mb": rss0 / 1024,
        "peak_rss_mb": hwm / 1024 if reset else None,
        "peak_rise_mb": (hwm - rss0) / 1024 if reset else None,
    }


def _get_api(name: str):
    try:
        import fundgap
    except Exception as exc:
        raise Unavailable(f"import fundgap failed: {type(exc).__name__}: {exc}") from exc
    try:
        return getattr(fundgap, name)
    except (AttributeError, ImportError) as exc:
        raise Unavailable(f"fundgap.{name}: {type(exc).__name__}: {exc}") from exc


def child_import_fundgap(args):
    t0 = time.perf_counter()
    import fundgap  # noqa: F401

    seconds = time.perf_counter() - t0
    loaded = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in FORBIDDEN_AT_IMPORT})
    return {"seconds": seconds, "forbidden_loaded": loaded,
            "peak_rss_mb": _proc_status("VmHWM") / 1024}


def child_import_pandas(args):
    t0 = time.perf_counter()
    import pandas  # noqa: F401

    return {"seconds": time.perf_counter() - t0, "peak_rss_mb": _proc_status("VmHWM") / 1024}


def child_read_ref(args):
    """The pandas reference parse of a file: pyarrow CSV (all text) or calamine XLSX."""
    import pandas as pd

    if args["xlsx"]:
        import python_calamine  # noqa: F401 - imported before timing

        call = lambda: pd.read_excel(args["path"], engine="calamine",  # noqa: E731
                                     skiprows=args.get("skiprows", 0))
    else:
        import pyarrow.csv  # noqa: F401 - imported before timing, like fundgap's own imports

        call = lambda: pd.read_csv(args["path"], engine="pyarrow", dtype=str,  # noqa: E731
                                   skiprows=args.get("skiprows", 0))
    value, m = _measure(call, args.get("profile"))
    m["rows_out"] = len(value)
    return m


#: The packed round columns of the SYNTHETIC Dealroom export (upper-case headers).
DEALROOM_PACKED = ("EACH ROUND TYPE", "EACH ROUND AMOUNT", "EACH ROUND CURRENCY",
                   "EACH ROUND DATE", "EACH ROUND INVESTORS")


def unpacked_rounds(path: str, packed=DEALROOM_PACKED):
    """The records fundgap's Dealroom loader yields, from bare Arrow without its checks.

    A second, informational reference for the Dealroom layout (issue 19 compares the loader
    with the parse alone, which yields one row per company, not per round): every column
    parsed as text, the packed columns split on ``;``, one row per round with the company's
    cells repeated. A company row is left out when it lists no rounds or when its packed
    columns hold different numbers of elements (an empty packed cell is allowed: it gives
    a missing value on each of the company's rounds), as the loader rejects it.
    """
    import csv

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    table = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types={c: pa.string() for c in header}, strings_can_be_null=True,
        null_values=[""]))
    lists = [pc.split_pattern(table[c].combine_chunks(), ";") for c in packed]
    lens = np.stack([pc.fill_null(pc.list_value_length(v), 0).to_numpy(zero_copy_only=False)
                     for v in lists]).astype(np.int64)
    n = lens.max(axis=0)
    ok = (n > 0) & np.all((lens == n) | (lens == 0), axis=0)
    parent = np.repeat(np.flatnonzero(ok), n[ok])
    k = np.arange(len(parent)) - np.repeat(np.cumsum(n[ok]) - n[ok], n[ok])
    cols = {c: table[c].take(pa.array(parent)) for c in header if c not in packed}
    for c, v, ln in zip(packed, lists, lens, strict=True):
        at = np.asarray(v.offsets)[:-1][parent] + k
        cols[c] = v.values.take(pa.array(at, mask=ln[parent] == 0))
    out = pa.table({c: cols[c] for c in header})
    return out.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)


def child_read_ref_unpacked(args):
    """:func:`unpacked_rounds` of a Dealroom CSV, timed."""
    import pyarrow.csv  # noqa: F401 - imported before timing
    import pandas  # noqa: F401

    value, m = _measure(lambda: unpacked_rounds(args["path"]), args.get("profile"))
    m["rows_out"] = len(value)
    return m


def child_read(args):
    """fundgap's loader on a file: read_rounds or read_funds."""
    from fundgap.errors import UnknownSourceError

    reader = _get_api("read_funds" if args["kind"] == "funds" else "read_rounds")
    kw = {"source": args["source"]}
    if args.get("generic"):
        import generate

        kw["columns"] = dict(generate.GENERIC_COLUMNS)
    import fundgap.io  # noqa: F401 - the registry, imported before timing as the reference's pandas

    try:
        loaded, m = _measure(lambda: reader(args["path"], **kw), args.get("profile"))
    except UnknownSourceError as exc:
        raise Unavailable(f"source {args['source']!r}: {exc}") from exc
    data, rejects = loaded.data, loaded.rejects
    m.update(rows_data=len(data), rows_rejects=len(rejects), n_input=getattr(loaded, "n_input", None),
             data_mb=float(data.memory_usage(deep=True).sum()) / 2**20)
    if len(rejects) and "reason" in rejects.columns:
        reasons = rejects["reason"].astype("object").fillna("<NA>").value_counts().head(6)
        m["reject_reasons"] = {str(k)[:80]: int(v) for k, v in reasons.items()}
    return m


def child_report_steps(args):
    """``fundgap.report.write_report(out, rounds=FILE)`` in one process, timing its steps.

    The read is timed by wrapping ``fundgap.read_rounds`` (the report reads the file
    through it); the findings steps and the report's own stages by the ``progress``
    callback (called after each finished step); the sections from
    ``ReportOutput.sections``.
    """
    t_start = time.perf_counter()
    import fundgap

    try:
        from fundgap.report import write_report
    except ImportError as exc:
        raise Unavailable(f"fundgap.report.write_report: {exc}") from exc
    t_import = time.perf_counter() - t_start
    marks: list[tuple[str, float]] = []
    real_read = fundgap.read_rounds
    read_s = {}

    def timed_read(*a, **k):
        t = time.perf_counter()
        try:
            return real_read(*a, **k)
        finally:
            read_s["read"] = time.perf_counter() - t
            marks.append(("read", time.perf_counter()))

    fundgap.read_rounds = timed_read
    out = tempfile.mkdtemp(prefix="fundgap-bench-steps-")
    try:
        t0 = time.perf_counter()
        result = write_report(out, rounds=args["path"],
                              progress=lambda name: marks.append((str(name), time.perf_counter())))
        total = time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)
        fundgap.read_rounds = real_read
    steps, prev = [], t0
    for name, t in marks:
        steps.append([name, t - prev])
        prev = t
    steps.append(["(after the last step)", t0 + total - prev])
    sections = [[s.title, float(s.seconds), s.status] for s in getattr(result, "sections", [])]
    return {"seconds": total, "import_s": t_import, "steps": steps, "sections": sections,
            "read_s": read_s.get("read"), "peak_rss_mb": _proc_status("VmHWM") / 1024,
            "inputs": [i.line().strip() for i in getattr(result, "inputs", [])]}


def _load_canonical(path):
    import pandas as pd

    from fundgap import schema

    frame = pd.read_parquet(path)
    # parquet round-trips most dtypes; make sure the categoricals are the canonical ones
    for col, dtype in schema.ROUND_COLUMNS.items():
        if isinstance(dtype, pd.CategoricalDtype) and frame[col].dtype != dtype:
            frame[col] = frame[col].astype("object").astype(dtype)
    return frame


#: Model calls timed on the SYNTHETIC canonical rounds (name -> (API, keyword arguments)).
MODELS = {
    "depth": ("depth", {"by": ("region", "stage_group"), "n_boot": 1000, "seed": 0,
                        "price_base": 2024}),
    "depth_by_stage": ("depth", {"by": ("region", "stage"), "n_boot": 1000, "seed": 0,
                                 "price_base": 2024}),
    "compare_regions": ("compare_regions", {}),
}


def child_model(args):
    name, kw = MODELS[args["model"]]
    fn = _get_api(name)
    rounds = _load_canonical(args["path"])
    import statsmodels.api  # noqa: F401 - imported before timing (a library, not the model)

    result, m = _measure(lambda: fn(rounds, **kw), args.get("profile"))
    try:
        m["result_rows"] = len(result.to_frame())
    except Exception as exc:
        m["result_rows"] = f"to_frame failed: {type(exc).__name__}"
    m["call"] = f"{name}(rounds{''.join(f', {k}={v!r}' for k, v in kw.items())})"
    m["rows_in"] = len(rounds)
    return m


def child_model_ref(args):
    rounds = _load_canonical(args["path"])

    def plain():
        g = rounds.groupby(["region", "stage_group"], observed=True)["amount_eur"]
        a = g.agg(["size", "count", "sum", "mean", "median"])
        q = g.quantile([0.25, 0.75, 0.9]).unstack()
        return a.join(q)

    _, m = _measure(plain, args.get("profile"))
    return m


def _synthetic_baseline():
    """A SYNTHETIC baseline with every country region x seed/early/later, 15 years of history,
    fund sizes and later-stage round sizes (for the 'all stages and regions' target)."""
    import numpy as np
    import pandas as pd

    from fundgap.scenarios import make_baseline
    from fundgap.schema import COUNTRY_REGIONS

    rng = np.random.default_rng(11)
    regions = [r for r in COUNTRY_REGIONS]
    stages = ["seed", "early", "later"]
    years = np.arange(2010, 2025)
    rows = []
    for i, r in enumerate(regions):
        for j, s in enumerate(stages):
            level = 100.0 * (1 + i) * (1 + j)
            growth = 0.03 + 0.01 * ((i + j) % 5)
            vals = level * np.exp(growth * (years - 2010) + 0.1 * rng.standard_normal(len(years)))
            rows.append(pd.DataFrame({"source": "synthetic", "region": r, "stage_group": s,
                                      "year": years, "value": vals, "unit": "USD_M"}))
    series = pd.concat(rows, ignore_index=True)
    fund_sizes = {r: np.exp(np.log(50 + 20 * i) + rng.standard_normal(300))
                  for i, r in enumerate(regions)}
    round_sizes = {"later": np.exp(np.log(40) + rng.standard_normal(2000))}
    return make_baseline(series, fund_sizes=fund_sizes, round_sizes=round_sizes), regions


def child_project(args):
    project = _get_api("project")
    growth_path = _get_api("growth_path")
    path = growth_path(5.0, 10)
    kw = {"n_sims": args["n_sims"], "horizon": 10, "seed": 0}
    if args.get("baseline", "").startswith("synthetic"):
        try:
            baseline, regions = _synthetic_baseline()
        except ImportError as exc:
            raise Unavailable(f"fundgap.scenarios.make_baseline: {exc}") from exc
        if args["baseline"] == "synthetic_allpairs":
            # every region against every other: O(regions^2) ratio series (stress case)
            from fundgap.scenarios import Counterfactual

            kw["counterfactual"] = Counterfactual(
                comparators=tuple(r for r in regions if r != "EU27"))
        label = "SYNTHETIC_BASELINE_7_REGIONS"
    else:
        baseline, label = None, "None"
    if args.get("profile_warm"):
        project(baseline, path, **kw)
    _, m = _measure(lambda: project(baseline, path, **kw), args.get("profile"))
    _, m2 = _measure(lambda: project(baseline, path, **kw))
    m["seconds_warm"] = m2["seconds"]
    m["call"] = (f"project({label}, growth_path(5.0, 10), "
                 f"{', '.join(f'{k}={v!r}' for k, v in kw.items())})")
    return m


def child_project_ref(args):
    import numpy as np

    from fundgap.schema import COUNTRY_REGIONS, STAGE_GROUPS

    def floor():
        rng = np.random.default_rng(0)
        shape = (args["n_sims"], 10, len(STAGE_GROUPS) * len(COUNTRY_REGIONS))
        growth = 0.1746 + 0.05 * rng.standard_normal(shape)
        path = np.cumprod(1.0 + growth, axis=1)
        return np.quantile(path, [0.05, 0.5, 0.95], axis=0)

    _, m = _measure(floor, args.get("profile"))
    return m


CHILDREN = {
    "import_fundgap": child_import_fundgap,
    "import_pandas": child_import_pandas,
    "read_ref": child_read_ref,
    "read_ref_unpacked": child_read_ref_unpacked,
    "read": child_read,
    "report_steps": child_report_steps,
    "model": child_model,
    "model_ref": child_model_ref,
    "project": child_project,
    "project_ref": child_project_ref,
}


def child_main(name: str, args_json: str, result_path: str) -> int:
    args = json.loads(args_json)
    try:
        out = {"status": "ok", **CHILDREN[name](args)}
    except Unavailable as exc:
        out = {"status": "unavailable", "detail": str(exc)}
    except Exception as exc:
        import traceback

        out = {"status": "error", "detail": f"{type(exc).__name__}: {str(exc)[:500]}",
               "traceback": traceback.format_exc()[-3000:]}
    with open(result_path, "w") as fh:
        json.dump(out, fh, default=str)
    return 0


# ======================================================================================
# Parent side
# ======================================================================================

def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)] + [
        p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _spawn(cmd: list[str], timeout: float, log_path: Path) -> dict:
    """Run ``cmd``; return wall seconds, exit code and the child's ru_maxrss (MB)."""
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(cmd)[:300]}\n".encode())
        log.flush()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=_env(), cwd=str(ROOT),
                                stdin=subprocess.DEVNULL)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                wall = time.perf_counter() - t0
                proc.returncode = os.waitstatus_to_exitcode(status)
                return {"wall_s": wall, "exit": proc.returncode, "maxrss_mb": ru.ru_maxrss / 1024}
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, ru = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"wall_s": time.perf_counter() - t0, "exit": "timeout",
                        "maxrss_mb": ru.ru_maxrss / 1024}
            time.sleep(0.005)


def run_child(name: str, args: dict, *, timeout: float, log_path: Path) -> dict:
    fd, result_path = tempfile.mkstemp(prefix=f"fundgap-bench-{name}-", suffix=".json")
    os.close(fd)
    try:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, json.dumps(args),
               result_path]
        proc = _spawn(cmd, timeout, log_path)
        try:
            with open(result_path) as fh:
                out = json.load(fh)
        except (OSError, ValueError):
            out = {"status": "error", "detail": f"child exited {proc['exit']} without a result "
                                                f"(see {log_path})"}
        out["process_wall_s"] = proc["wall_s"]
        out["process_peak_rss_mb"] = proc["maxrss_mb"]
        return out
    finally:
        os.unlink(result_path)


def run_command(cmd: list[str], *, timeout: float, log_path: Path) -> dict:
    """A command timed from the outside (start to exit) as a result like run_child's."""
    r = _spawn(cmd, timeout, log_path)
    if r["exit"] != 0:
        return {"status": "error", "detail": f"exited {r['exit']} (see {log_path})",
                "process_peak_rss_mb": r["maxrss_mb"]}
    return {"status": "ok", "seconds": r["wall_s"], "process_peak_rss_mb": r["maxrss_mb"]}


def _ok(results: list[dict]) -> list[dict]:
    return [r for r in results if r.get("status") == "ok" and r.get("seconds") is not None]


def _best(results: list[dict]) -> dict | None:
    ok = _ok(results)
    return min(ok, key=lambda r: r["seconds"]) if ok else None


def _problem(results: list[dict]) -> str:
    for r in results:
        if r.get("status") == "unavailable":
            return "not available: " + r.get("detail", "")
    for r in results:
        if r.get("status") == "error":
            return "ERROR: " + r.get("detail", "")
    return "no result"


#: A measurement whose first run takes longer than this (seconds) is not repeated
#: (``--long``): its noise is small beside its size, and repeats would take the run's hours.
LONG_S = 120.0


def alternate(reps: int, first, second, long_s: float = LONG_S) -> tuple[list[dict], list[dict]]:
    """Run ``first()`` and ``second()`` alternately ``reps`` times (stop at a failure of
    ``second``, or after one run if ``second`` took over ``long_s`` seconds); return both
    lists of results."""
    a, b = [], []
    for _ in range(reps):
        if first is not None:
            a.append(first())
        b.append(second())
        if b[-1].get("status") != "ok" or b[-1].get("seconds", 0.0) > long_s:
            break
    return a, b


def spread(values: list[float]) -> tuple[float, float, float] | None:
    """(min, median, max) of the values, None if there are none."""
    v = [x for x in values if x is not None]
    return (min(v), statistics.median(v), max(v)) if v else None


def _fmt_s(x) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 1 else (f"{x:.2f}" if x < 10 else f"{x:.1f}")


def _fmt_spread(values: list[float]) -> str:
    s = spread(values)
    return "-" if s is None else " / ".join(_fmt_s(x) for x in s)


def _fmt_mb(x) -> str:
    return "-" if x is None else f"{x:,.0f}"


class Report:
    """The rows of one run (saved as JSON after each) and its console lines."""

    def __init__(self, json_path: Path):
        self.rows: list[dict] = []
        self.json_path = json_path
        self.meta: dict = {}

    def line(self, text: str = ""):
        print(text, flush=True)

    def add(self, row: dict):
        self.rows.append(row)
        self.save()
        self.line("  " + " | ".join(_table_cells(row)))

    def save(self):
        self.json_path.parent.mkdir(parents=True, exist_ok=True)
        self.json_path.write_text(json.dumps({"meta": self.meta, "rows": self.rows}, indent=1,
                                             default=str))


def _row(step: str, size_label: str, fund: list[dict], ref: list[dict] | None, *, ref_name: str,
         target: str, ratio_target: float | None = None, abs_target: float | None = None,
         mem_target: float | None = None, file_mb: float | None = None, at_target: bool = True,
         **extra) -> dict:
    """A table row from the fundgap results and the reference results of one measurement."""
    ok, ok_ref = _ok(fund), _ok(ref or [])
    row = {"step": step, "size": size_label, "file_mb": file_mb, "ref_name": ref_name,
           "target": target, "ratio_target": ratio_target, "abs_target": abs_target,
           "mem_target": mem_target, "at_target": at_target,
           "seconds": [r["seconds"] for r in ok], "ref_seconds": [r["seconds"] for r in ok_ref],
           **extra}
    if not ok:
        row["status"] = _problem(fund)
        return row
    best = min(ok, key=lambda r: r["seconds"])
    row["peak_rss_mb"] = best.get("process_peak_rss_mb")
    row["peak_rise_mb"] = best.get("peak_rise_mb")
    if len(ok) == len(ok_ref):  # alternating pairs: the spread of the per-pair ratios
        row["pair_ratios"] = [a["seconds"] / b["seconds"] for a, b in zip(ok, ok_ref)]
    return row


def _verdict(row: dict) -> str:
    if "status" in row:
        return "-"
    parts = []
    t, r = min(row["seconds"]), (min(row["ref_seconds"]) if row["ref_seconds"] else None)
    if row.get("ratio_target") is not None and r:
        parts.append("time " + ("PASS" if t / r <= row["ratio_target"] else "FAIL"))
    if row.get("abs_target") is not None:
        parts.append("time " + ("PASS" if t <= row["abs_target"] else "FAIL"))
    if row.get("mem_target") is not None and row.get("file_mb") and row.get("peak_rss_mb"):
        parts.append("mem " + ("PASS" if row["peak_rss_mb"] / row["file_mb"] <= row["mem_target"]
                               else "FAIL"))
    if row.get("flag_s") is not None:
        parts.append("over 1 s" if t > row["flag_s"] else "under 1 s")
    if not parts:
        return ""
    return ", ".join(parts) if row.get("at_target", True) else "(not the target size)"


TABLE_HEADER = ("step", "size", "file MB", "fundgap s min / med / max", "reference",
                "reference s min / med / max", "ratio (pairs)", "target", "peak RSS MB",
                "peak / file", "verdict", "kept + rejected = written")


def _table_cells(row: dict) -> list[str]:
    if "status" in row:
        return [row["step"], row["size"], _fmt_mb(row.get("file_mb")), row["status"][:120],
                row["ref_name"], _fmt_spread(row["ref_seconds"]), "", row["target"], "", "", "", ""]
    t = min(row["seconds"])
    r = min(row["ref_seconds"]) if row["ref_seconds"] else None
    ratio = "-" if not r else f"{t / r:.2f}x"
    pr = row.get("pair_ratios")
    if r and pr and len(pr) > 1:
        ratio += f" ({min(pr):.2f}-{max(pr):.2f})"
    peak = row.get("peak_rss_mb")
    rise = row.get("peak_rise_mb")
    peak_txt = _fmt_mb(peak) + (f" (rise {_fmt_mb(rise)})" if rise is not None else "")
    per_file = (f"{peak / row['file_mb']:.1f}x" if peak and row.get("file_mb") else "")
    return [row["step"], row["size"], _fmt_mb(row.get("file_mb")) if row.get("file_mb") else "",
            _fmt_spread(row["seconds"]), row["ref_name"], _fmt_spread(row["ref_seconds"]), ratio,
            row["target"], peak_txt, per_file, _verdict(row), _accounted(row)]


def _accounted(row: dict) -> str:
    """'ok' when the rows kept and rejected add up to the records the generator wrote."""
    if "accounted" not in row:
        return ""
    if row["accounted"]:
        return "ok"
    return (f"MISMATCH: {row['rows_data']:,} + {row['rows_rejects']:,} vs "
            f"{row['records_written']:,}")


def results_table(rows: list[dict]) -> str:
    """Every ratio and peak memory of a run in one markdown table."""
    out = ["| " + " | ".join(TABLE_HEADER) + " |", "|" + "---|" * len(TABLE_HEADER)]
    for row in rows:
        if row.get("step", "").startswith("_"):
            continue
        out.append("| " + " | ".join(_table_cells(row)) + " |")
    return "\n".join(out)


def _size_label(n: int) -> str:
    return f"{n:,} rows"


# ----------------------------------------------------------------------------- import

def bench_import(rep: Report, a) -> None:
    rep.line("\n## import fundgap (fresh interpreter each time; reference: import pandas)")
    res_p, res_f = alternate(a.repeat_small,
                             lambda: run_child("import_pandas", {}, timeout=a.timeout, log_path=a.log),
                             lambda: run_child("import_fundgap", {}, timeout=a.timeout, log_path=a.log))
    best = _best(res_f)
    forb = best.get("forbidden_loaded", []) if best else []
    rep.add(_row("import fundgap", "", res_f, res_p, ref_name="import pandas",
                 target="<= 0.5 s; none of " + "/".join(FORBIDDEN_AT_IMPORT) + " loaded",
                 abs_target=TARGET["import_s"], forbidden_loaded=forb))
    rep.line(f"  modules that must not load at import: {forb or 'none'} -> "
             f"{'PASS' if not forb else 'FAIL'}")


# ----------------------------------------------------------------------------- reads

def _layout_sizes(layout: Layout, sizes) -> list[int]:
    if layout.sizes == "largest":
        return [max(sizes)]
    if layout.sizes == "xlsx":
        return [n for n in XLSX_SIZES if n <= max(sizes)] or [min(sizes)]
    return list(sizes)


def _warm(path: Path) -> None:
    with open(path, "rb") as fh:  # page cache warm for both contenders
        while fh.read(1 << 24):
            pass


def bench_read(rep: Report, a, name: str, sizes) -> None:
    import generate

    layout = LAYOUTS[name]
    reader = "read_funds" if layout.kind == "funds" else "read_rounds"
    ref_name = ("pandas.read_excel(engine='calamine')" if layout.xlsx
                else "pandas.read_csv(engine='pyarrow', dtype=str)")
    if layout.skiprows:
        ref_name += f", skiprows={layout.skiprows}"
    call = f"{reader}(path, source={layout.fundgap_source!r}" + (
        ", columns=GENERIC_COLUMNS)" if layout.generic else ")")
    rep.line(f"\n## {call} on the {name} layout vs {ref_name}")
    points = []
    for n in _layout_sizes(layout, sizes):
        path = generate.ensure(layout.source, n, a.seed, verbose=True, style=layout.style)
        info = generate.info_of(path)
        file_mb = path.stat().st_size / 2**20
        _warm(path)
        reps = a.repeat_large if n >= 1_000_000 else a.repeat_small
        args = {"path": str(path), "kind": layout.kind, "source": layout.fundgap_source,
                "generic": layout.generic}
        res_r, res_t = alternate(
            reps,
            lambda p=path: run_child("read_ref", {"path": str(p), "skiprows": layout.skiprows,
                                                  "xlsx": layout.xlsx},
                                     timeout=a.timeout, log_path=a.log),
            lambda kw=args: run_child("read", kw, timeout=a.timeout, log_path=a.log), a.long)
        best = _best(res_t)
        unpacked = []
        if best and layout.source == "dealroom" and not layout.xlsx:
            unpacked = _ok([run_child("read_ref_unpacked", {"path": str(path)},
                                      timeout=a.timeout, log_path=a.log) for _ in range(reps)])
        extra = {}
        if best:
            acc = best["rows_data"] + best["rows_rejects"]
            want = info.get("records", n)
            extra = {"rows_data": best["rows_data"], "rows_rejects": best["rows_rejects"],
                     "records_written": want, "accounted": acc == want,
                     "reject_reasons": best.get("reject_reasons"), "data_mb": best.get("data_mb"),
                     "unpacked_ref_s": [r["seconds"] for r in unpacked] or None,
                     **_cpu_use(best, _best(res_r))}
            points.append((n, best["seconds"], min(r["seconds"] for r in _ok(res_r))
                           if _ok(res_r) else None))
        if layout.xlsx:
            tgt = dict(target="<= 1.5x ref at 10^5", ratio_target=TARGET["read_xlsx_ratio"],
                       at_target=n >= 100_000)
        else:
            tgt = dict(target="<= 2x ref, peak <= 4x file at 10^6",
                       ratio_target=TARGET["read_csv_ratio"], mem_target=TARGET["read_mem_ratio"],
                       at_target=n >= 1_000_000)
        rep.add(_row(f"read {name}", _size_label(n), res_t, res_r, ref_name=ref_name,
                     file_mb=file_mb, layout=name, rows=n, **tgt, **extra))
        if best:
            rep.line(f"    data {extra['rows_data']:,} + rejects {extra['rows_rejects']:,} = "
                     f"{extra['rows_data'] + extra['rows_rejects']:,}; records written "
                     f"{extra['records_written']:,} -> {'ok' if extra['accounted'] else 'MISMATCH'};"
                     f" rejects {extra['reject_reasons'] or {}}")
            if extra.get("cpu_s") is not None:
                rep.line("    " + _cpu_line(extra, TARGET["read_xlsx_ratio" if layout.xlsx
                                                        else "read_csv_ratio"]))
            if unpacked:
                rep.line("    " + _unpacked_line(best["seconds"], unpacked, extra["rows_data"]
                                                 + extra["rows_rejects"]))
    _scaling(rep, name, points)


def _unpacked_line(seconds: float, unpacked: list[dict], records: int) -> str:
    """The Dealroom loader beside :func:`unpacked_rounds` (same records, no checks)."""
    times = [r["seconds"] for r in unpacked]
    rows = unpacked[0].get("rows_out")
    return (f"same rounds from bare Arrow (parse, split the packed columns, a row per round; "
            f"no checks; {rows:,} rows against fundgap's {records:,} records less the company "
            f"rows it rejects): {_fmt_spread(times)} s; fundgap {seconds / min(times):.2f}x that "
            f"(informational: not the reference of the target)")


def _cpu_use(best: dict, ref: dict | None) -> dict:
    """CPU seconds (every thread) and wall seconds of the fastest fundgap and reference runs."""
    if ref is None or best.get("cpu_seconds") is None or ref.get("cpu_seconds") is None:
        return {}
    return {"cpu_s": best["cpu_seconds"], "wall_s": best["seconds"],
            "ref_cpu_s": ref["cpu_seconds"], "ref_wall_s": ref["seconds"]}


def _cpu_line(x: dict, ratio: float) -> str:
    """How busy the cores were: fundgap's and the reference's CPU seconds over their wall
    seconds, and the CPU seconds fundgap could use within ``ratio`` x the reference's time
    with every core busy throughout (the most any implementation could use)."""
    cores = os.cpu_count() or 1
    budget = ratio * x["ref_wall_s"] * cores
    return (f"CPU: fundgap {x['cpu_s']:.2f} s ({x['cpu_s'] / x['wall_s']:.2f} cores busy on "
            f"average), reference {x['ref_cpu_s']:.2f} s ({x['ref_cpu_s'] / x['ref_wall_s']:.2f} "
            f"cores); within {ratio:g}x the reference on {cores} cores fundgap may use at most "
            f"{budget:.2f} CPU s (every core busy throughout): it uses "
            f"{x['cpu_s'] / budget:.2f}x that")


def _slope(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [math.log10(p[0]) for p in points]
    ys = [math.log10(p[1]) for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def _scaling(rep: Report, name: str, points) -> None:
    if len(points) < 2:
        return
    for label, idx in (("fundgap", 1), ("reference", 2)):
        pts = [(p[0], p[idx]) for p in points if p[idx]]
        s = _slope(pts)
        if s is None:
            continue
        rep.line(f"  scaling {label:<9} log-log slope {s:.2f} (1.00 = linear); seconds "
                 + ", ".join(f"{n:,}: {t:.2f}" for n, t in pts))
        rep.rows.append({"step": f"_scaling {name} {label}", "slope": s, "points": pts})


# ----------------------------------------------------------------------------- report --rounds

def bench_report_rounds(rep: Report, a, sizes) -> None:
    import generate

    rep.line("\n## `fundgap report --rounds FILE` (PitchBook-layout SYNTHETIC export) vs "
             "read_rounds of the same file")
    for n in sizes:
        path = generate.ensure("pitchbook", n, a.seed, verbose=True)
        file_mb = path.stat().st_size / 2**20
        _warm(path)
        reps = a.repeat_large if n >= 1_000_000 else a.repeat_small
        ref, cli, steps = [], [], []
        for _ in range(reps):
            ref.append(run_child("read", {"path": str(path), "kind": "rounds", "source": "pitchbook"},
                                 timeout=a.timeout, log_path=a.log))
            out = Path(tempfile.mkdtemp(prefix="fundgap-bench-report-"))
            try:
                cli.append(run_command([sys.executable, "-m", "fundgap", "report", "--rounds",
                                        str(path), "--out", str(out), "--quiet"],
                                       timeout=a.timeout, log_path=a.log))
            finally:
                shutil.rmtree(out, ignore_errors=True)
            if cli[-1].get("status") != "ok":
                break
            if a.breakdown:
                steps.append(run_child("report_steps", {"path": str(path)}, timeout=a.timeout,
                                       log_path=a.log))
            if cli[-1]["seconds"] > a.long:
                break
        breakdown = _breakdown(steps)
        rep.add(_row("fundgap report --rounds FILE", _size_label(n), cli, ref,
                     ref_name="read_rounds(FILE) (fundgap)", file_mb=file_mb,
                     target="<= 10x ref, peak <= 3x file at 10^6",
                     ratio_target=TARGET["report_ratio"], mem_target=TARGET["report_mem_ratio"],
                     at_target=n >= 1_000_000, rows=n, breakdown=breakdown))
        if breakdown:
            rep.line(f"    in one process (write_report, best of {breakdown['runs']}): "
                     f"{breakdown['total_s']:.2f} s; " + "; ".join(
                         f"{k} {v:.2f}" for k, v in breakdown["steps"].items()))
            rep.line("    sections (ReportOutput.sections): " + "; ".join(
                f"{k} {v:.2f}" for k, v in breakdown["sections"].items()))


def _breakdown(runs: list[dict]) -> dict | None:
    """Per step and per section: the minimum over the runs (seconds)."""
    ok = _ok(runs)
    if not ok:
        return {"status": _problem(runs)} if runs else None
    steps: dict[str, list[float]] = {}
    sections: dict[str, list[float]] = {}
    for r in ok:
        for name, s in r["steps"]:
            steps.setdefault(name, []).append(s)
        for title, s, _status in r["sections"]:
            sections.setdefault(title, []).append(s)
    best = min(ok, key=lambda r: r["seconds"])
    return {"runs": len(ok), "total_s": best["seconds"], "all_total_s": [r["seconds"] for r in ok],
            "import_s": min(r["import_s"] for r in ok),
            "steps": {k: min(v) for k, v in steps.items()},
            "sections": {k: min(v) for k, v in sections.items()},
            "section_status": {t: st for t, _, st in best["sections"]},
            "peak_rss_mb": best.get("peak_rss_mb"), "inputs": best.get("inputs")}


# ----------------------------------------------------------------------------- models

def bench_models(rep: Report, a, n: int) -> None:
    import generate

    rep.line(f"\n## models on {n:,} SYNTHETIC canonical rounds (reference: a plain pandas "
             "groupby of the same frame, for the machine's speed)")
    path = generate.ensure("canonical", n, a.seed, verbose=True)
    reps = a.repeat_large if n >= 1_000_000 else a.repeat_small
    for model in a.models:
        ref, res = alternate(
            reps, lambda: run_child("model_ref", {"path": str(path)}, timeout=a.timeout,
                                    log_path=a.log),
            lambda m=model: run_child("model", {"path": str(path), "model": m}, timeout=a.timeout,
                                      log_path=a.log), a.long)
        best = _best(res)
        if model == "compare_regions":
            tgt = dict(target="<= 3 s at 10^6", abs_target=TARGET["compare_regions_s"])
        elif model == "depth":
            tgt = dict(target="<= 5 s at 10^6 (issue 8); flag > 1 s", abs_target=TARGET["depth_s"],
                       flag_s=TARGET["model_flag_s"])
        else:
            tgt = dict(target="flag > 1 s at 10^6", flag_s=TARGET["model_flag_s"])
        rep.add(_row(model, f"{n:,} rounds", res, ref, ref_name="pandas groupby quantiles",
                     at_target=n >= 1_000_000, call=best.get("call") if best else None, **tgt))


# ----------------------------------------------------------------------------- project, report

def bench_project(rep: Report, a) -> None:
    rep.line(f"\n## project with {a.n_sims:,} simulations x 10 years (reference: a numpy floor)")
    for baseline in a.project_baselines:
        ref, res = alternate(
            a.repeat_small,
            lambda: run_child("project_ref", {"n_sims": a.n_sims}, timeout=a.timeout, log_path=a.log),
            lambda b=baseline: run_child("project", {"n_sims": a.n_sims, "baseline": b},
                              timeout=a.timeout, log_path=a.log))
        warm = [r["seconds_warm"] for r in _ok(res)]
        rep.add(_row(f"project ({baseline} baseline; first call)", f"{a.n_sims:,} sims", res, ref,
                     ref_name="numpy normal draws, cumprod, quantiles", target="<= 0.5 s",
                     abs_target=TARGET["project_s"], seconds_warm=warm))


def bench_report(rep: Report, a) -> None:
    rep.line("\n## fundgap report on the shipped data, end to end as a command")
    ref_cmd = [sys.executable, "-c",
               ("import matplotlib; matplotlib.use('Agg'); import pandas, matplotlib.pyplot, "
                "seaborn, openpyxl, statsmodels.api")]

    def one():
        out = Path(tempfile.mkdtemp(prefix="fundgap-bench-report-"))
        try:
            return run_command([sys.executable, "-m", "fundgap", "report", "--out", str(out),
                                "--quiet"], timeout=a.timeout, log_path=a.log)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    ref, res = alternate(a.repeat_small,
                         lambda: run_command(ref_cmd, timeout=a.timeout, log_path=a.log), one)
    rep.add(_row("fundgap report (shipped data)", "", res, ref,
                 ref_name="interpreter importing pandas, matplotlib, seaborn, openpyxl, statsmodels",
                 target="<= 15 s", abs_target=TARGET["report_s"]))


# ----------------------------------------------------------------------------- tables

def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _machine() -> dict:
    import numpy
    import pandas
    import pyarrow

    head = "?"
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, timeout=10, check=False).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "when_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
        "git_head": head,
        "command": " ".join(["python", _rel(Path(sys.argv[0]).resolve())] + sys.argv[1:]),
    }


def breakdown_table(rows: list[dict]) -> str:
    """How the report's cost grows with the rows: one column per size, one row per step."""
    rr = [r for r in rows if r.get("step") == "fundgap report --rounds FILE"
          and isinstance(r.get("breakdown"), dict) and "steps" in r["breakdown"]]
    if not rr:
        return ""
    sizes = [r["size"] for r in rr]
    names: list[str] = []
    for r in rr:
        for k in r["breakdown"]["steps"]:
            if k not in names:
                names.append(k)
    sec_names: list[str] = []
    for r in rr:
        for k in r["breakdown"]["sections"]:
            if k not in sec_names:
                sec_names.append(k)
    head = ["step of write_report (seconds, min of runs)"] + sizes + (
        [f"x from {sizes[0]} to {sizes[-1]}"] if len(sizes) > 1 else [])
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def line(label, values):
        cells = [_fmt_s(v) for v in values]
        growth = []
        if len(values) > 1:
            growth = [f"x{values[-1] / values[0]:.0f}" if values[0] and values[-1] else ""]
        out.append("| " + " | ".join([label] + cells + growth) + " |")

    line("**command, end to end** (min)", [min(r["seconds"]) if r["seconds"] else None for r in rr])
    line("imports before write_report (in that process)",
         [r["breakdown"].get("import_s") for r in rr])
    line("write_report in one process", [r["breakdown"]["total_s"] for r in rr])
    for k in names:
        label = {"read": "read the file (read_rounds)"}.get(k, k)
        if k in ("Sections", "Workbook", "Figures"):
            label = {"Sections": "render the sections", "Workbook": "tables + workbook",
                     "Figures": "figures"}[k]
        elif k != "read" and not k.startswith("("):
            label = f"findings: {k}"
        line(label, [r["breakdown"]["steps"].get(k) for r in rr])
    for k in sec_names:
        line(f"section: {k}", [r["breakdown"]["sections"].get(k) for r in rr])
    line("peak RSS MB of that process", [r["breakdown"].get("peak_rss_mb") for r in rr])
    return "\n".join(out)


def markdown(json_path: str) -> str:
    """The tables of one results JSON (for README.md)."""
    d = json.loads(Path(json_path).read_text())
    m, rows = d["meta"], d["rows"]
    end = m.get("loadavg_end", [float("nan")])
    out = [(f"Run {m['when_utc']} UTC, commit `{m['git_head']}`, {m['cpus']} CPUs, load average "
            f"{m['loadavg_start'][0]:.1f} at start / {end[0]:.1f} at end; python {m['python']}, "
            f"pandas {m['pandas']}, pyarrow {m['pyarrow']}, numpy {m['numpy']}; runs per "
            f"measurement: {m.get('repeat_small')} below 10^6 rows, {m.get('repeat_large')} at 10^6 "
            f"(one where the first took over {m.get('long_s', LONG_S):g} s)."),
           "", f"Command: `{m['command']}`", "", results_table(rows)]
    bd = breakdown_table(rows)
    if bd:
        out += ["", bd]
    sc = [r for r in rows if r["step"].startswith("_scaling")]
    if sc:
        out += ["", "| scaling | log-log slope (1 = linear) | seconds at each size |", "|---|---|---|"]
        for r in sc:
            pts = ", ".join(f"{n:,}: {t:.2f}" for n, t in r["points"])
            out.append(f"| {r['step'][9:]} | {r['slope']:.2f} | {pts} |")
    return "\n".join(out)


# ----------------------------------------------------------------------------- main

def profile(a, sizes) -> int:
    """Run one step under cProfile in a fresh process and print the top functions."""
    import pstats

    import generate

    n = max(sizes)
    prof = OUT_DIR / f"{a.profile}-n{n}.prof"
    if a.profile.startswith("read_") and a.profile[5:] in LAYOUTS:
        lay = LAYOUTS[a.profile[5:]]
        path = generate.ensure(lay.source, n, a.seed, verbose=True, style=lay.style)
        r = run_child("read", {"path": str(path), "kind": lay.kind, "source": lay.fundgap_source,
                               "generic": lay.generic, "profile": str(prof)},
                      timeout=a.timeout, log_path=a.log)
    elif a.profile in MODELS:
        path = generate.ensure("canonical", n, a.seed, verbose=True)
        r = run_child("model", {"path": str(path), "model": a.profile, "profile": str(prof)},
                      timeout=a.timeout, log_path=a.log)
    elif a.profile in ("project", "project_synthetic", "project_synthetic_allpairs"):
        prof = OUT_DIR / f"{a.profile}.prof"
        base = a.profile[len("project_"):] if a.profile != "project" else "shipped"
        r = run_child("project", {"n_sims": a.n_sims, "profile": str(prof), "baseline": base,
                                  "profile_warm": a.warm}, timeout=a.timeout, log_path=a.log)
    else:
        print(f"--profile must be read_<layout> ({', '.join(LAYOUTS)}), one of {list(MODELS)} "
              f"or project*, got {a.profile!r}")
        return 2
    if r.get("status") != "ok":
        print(f"{a.profile}: {r.get('status')}: {r.get('detail')}\n{r.get('traceback', '')}")
        return 1
    print(f"{a.profile} n={n:,}: {r['seconds']:.3f} s under cProfile; profile in {prof}")
    st = pstats.Stats(str(prof))
    print("\n--- fundgap functions by cumulative time (file:line(function)) ---")
    st.sort_stats("cumulative").print_stats(r"fundgap/", 40)
    st.strip_dirs()
    for key in ("cumulative", "tottime"):
        print(f"\n--- top 30 by {key} ---")
        st.sort_stats(key).print_stats(30)
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="10^4 and 10^5 rows only")
    p.add_argument("--sizes", nargs="+", type=lambda s: int(float(s)), default=None)
    p.add_argument("--steps", nargs="+", choices=ALL_STEPS, default=list(ALL_STEPS))
    p.add_argument("--layouts", nargs="+", choices=tuple(LAYOUTS), default=list(LAYOUTS),
                   help="file layouts read by the 'read' step (SYNTHETIC exports of "
                        "benchmarks/generate.py); *_excel at the largest size only, "
                        "*_xlsx at 10^4 and 10^5")
    p.add_argument("--models", nargs="+", choices=tuple(MODELS), default=list(MODELS))
    p.add_argument("--repeat", type=int, default=None,
                   help="runs of every measurement (sets --repeat-small and --repeat-large)")
    p.add_argument("--repeat-small", type=int, default=3, help="runs below 10^6 rows")
    p.add_argument("--repeat-large", type=int, default=2, help="runs at 10^6 rows")
    p.add_argument("--long", type=float, default=LONG_S,
                   help="a measurement whose first run takes longer (seconds) is run once "
                        f"(default {LONG_S:g})")
    p.add_argument("--no-breakdown", dest="breakdown", action="store_false",
                   help="report --rounds: skip the in-process run that times each step")
    p.add_argument("--n-sims", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--project-baselines", nargs="+", default=["shipped", "synthetic"],
                   choices=("shipped", "synthetic", "synthetic_allpairs"))
    p.add_argument("--timeout", type=float, default=1800.0)
    p.add_argument("--profile", metavar="STEP", default=None,
                   help="profile one call under cProfile instead: read_<layout>, depth, "
                        "depth_by_stage, compare_regions, project, project_synthetic ...")
    p.add_argument("--warm", action="store_true",
                   help="with --profile project*: profile the second call (after a warm-up call)")
    a = p.parse_args(argv)
    if a.repeat is not None:
        a.repeat_small = a.repeat_large = a.repeat
    return a


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1], argv[2], argv[3])
    if argv and argv[0] == "--markdown":
        print(markdown(argv[1]))
        return 0
    a = parse_args(argv)
    sizes = sorted(a.sizes or (QUICK_SIZES if a.quick else FULL_SIZES))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    a.log = OUT_DIR / f"children-{stamp}.log"
    if a.profile:
        return profile(a, sizes)
    rep = Report(OUT_DIR / f"results-{stamp}.json")
    rep.meta = _machine()
    rep.meta.update(sizes=sizes, steps=a.steps, repeat_small=a.repeat_small,
                    repeat_large=a.repeat_large, long_s=a.long)
    m = rep.meta
    rep.line(f"# fundgap benchmarks {m['when_utc']} UTC, commit {m['git_head']}")
    rep.line(f"# {m['cpus']} CPUs, load average at start {m['loadavg_start'][0]:.2f} "
             f"{m['loadavg_start'][1]:.2f} {m['loadavg_start'][2]:.2f}; python {m['python']}, "
             f"pandas {m['pandas']}, pyarrow {m['pyarrow']}, numpy {m['numpy']}")
    rep.line(f"# command: {m['command']}")
    rep.line(f"# all data SYNTHETIC (benchmarks/generate.py); every measured call in a fresh "
             f"process; {a.repeat_small} runs below 10^6 rows, {a.repeat_large} at 10^6 (one if the "
             f"first takes over {a.long:g} s), fundgap and reference alternating; times "
             "min / median / max")
    rep.line("# row: " + " | ".join(TABLE_HEADER))
    if "import" in a.steps:
        bench_import(rep, a)
    if "read" in a.steps:
        for name in a.layouts:
            bench_read(rep, a, name, sizes)
    if "report_rounds" in a.steps:
        bench_report_rounds(rep, a, sizes)
    if "models" in a.steps:
        bench_models(rep, a, max(sizes))
    if "project" in a.steps:
        bench_project(rep, a)
    if "report" in a.steps:
        bench_report(rep, a)
    rep.meta["loadavg_end"] = os.getloadavg()
    rep.save()
    rep.line("\n# every ratio and peak memory of this run\n")
    rep.line(markdown(str(rep.json_path)))
    rep.line(f"\n# results in {_rel(rep.json_path)}; child output in {_rel(a.log)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
