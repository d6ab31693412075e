"""Time fundgap against the speed targets of issue 8, each beside a reference measured in the same run.

Every measured step runs in a fresh Python subprocess, so that imports, caches and
memory of one step do not leak into the next. Inside the subprocess the setup
(imports, reading the input frame) is done first; then the peak-RSS counter is reset
(``/proc/self/clear_refs``) and only the measured call is timed. Memory is peak
resident set size (RSS, what the operating system sees: numpy and pyarrow buffers
included, unlike tracemalloc), reported two ways: the whole process
(``ru_maxrss`` of the child from ``os.wait4``, includes the interpreter and
libraries) and the rise during the call (``VmHWM`` after the call minus ``VmRSS``
before it).

Targets (2-core machine):

==========================  ==========================================================
read_rounds pitchbook 10^6  <= 2x pandas.read_csv(path, engine="pyarrow"); peak <= 4x file
read_rounds crunchbase 10^6 same
depth, 1,000 boot, 10^6     <= 5 s
project, 10,000 sims x 10y  <= 0.5 s
fundgap report (shipped)    <= 15 s, end to end as a command
import fundgap              <= 0.5 s; no matplotlib/seaborn/openpyxl/statsmodels after
==========================  ==========================================================

The pandas reference for the PitchBook layout skips the banner rows
(``skiprows=6``), since pyarrow cannot parse a file whose first rows have a
different number of fields; it is the same call otherwise.

Usage::

    PYTHONPATH=. python benchmarks/run.py              # everything, 10^4, 10^5, 10^6 rows
    PYTHONPATH=. python benchmarks/run.py --quick      # 10^4 and 10^5 rows only
    PYTHONPATH=. python benchmarks/run.py --steps read --sizes 1e5
    PYTHONPATH=. python benchmarks/run.py --profile read_pitchbook --sizes 1e5
    python benchmarks/run.py --markdown benchmarks/_out/results-<stamp>.json   # table for README

A step whose API does not exist yet is reported as "not available yet".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = HERE / "_out"
sys.path.insert(0, str(HERE))

FORBIDDEN_AT_IMPORT = ("matplotlib", "seaborn", "openpyxl", "statsmodels")
TARGET = {
    "read_time_ratio": 2.0,
    "read_mem_ratio": 4.0,
    "depth_s": 5.0,
    "project_s": 0.5,
    "report_s": 15.0,
    "import_s": 0.5,
}
ALL_STEPS = ("import", "read", "depth", "project", "report")
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)


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
    """The API a step needs does not exist (yet)."""


def _measure(fn, profile_path: str | None = None):
    """Time ``fn()`` once with the peak-RSS counter reset; optionally under cProfile."""
    import gc

    gc.collect()
    rss0 = _proc_status("VmRSS")
    reset = _reset_peak()
    if profile_path:
        import cProfile

        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        value = fn()
        prof.disable()
        seconds = time.perf_counter() - t0
        prof.dump_stats(profile_path)
    else:
        t0 = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t0
    hwm = _proc_status("VmHWM")
    return value, {
        "seconds": seconds,
        "rss_before_mb": rss0 / 1024,
        "peak_rss_mb": hwm / 1024 if reset else None,
        "peak_rise_mb": (hwm - rss0) / 1024 if reset else None,
    }


def _get_api(name: str):
    try:
        import fundgap
    except Exception as exc:  # noqa: BLE001 - report, never crash the harness
        raise Unavailable(f"import fundgap failed: {type(exc).__name__}: {exc}") from exc
    try:
        return getattr(fundgap, name)
    except (AttributeError, ImportError) as exc:
        raise Unavailable(f"fundgap.{name}: {type(exc).__name__}: {exc}") from exc


def _kwarg_name(fn, candidates):
    import inspect

    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return candidates[0]
    for c in candidates:
        if c in params:
            return c
    return None


def child_import_fundgap(args):
    t0 = time.perf_counter()
    import fundgap  # noqa: F401

    seconds = time.perf_counter() - t0
    loaded = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in FORBIDDEN_AT_IMPORT})
    heavy = sorted({m.split(".")[0] for m in sys.modules}
                   & {"scipy", "pyarrow", "pycountry", "tqdm", "defusedxml"})
    return {"seconds": seconds, "forbidden_loaded": loaded, "other_heavy_loaded": heavy,
            "peak_rss_mb": _proc_status("VmHWM") / 1024}


def child_import_pandas(args):
    t0 = time.perf_counter()
    import pandas  # noqa: F401

    return {"seconds": time.perf_counter() - t0, "peak_rss_mb": _proc_status("VmHWM") / 1024}


def child_read_csv_ref(args):
    import pandas as pd
    import pyarrow.csv  # noqa: F401 - imported before timing, like fundgap's own imports

    value, m = _measure(lambda: pd.read_csv(args["path"], engine="pyarrow",
                                            skiprows=args.get("skiprows", 0)),
                        args.get("profile"))
    m["rows_out"] = len(value)
    return m


def child_read_rounds(args):
    read_rounds = _get_api("read_rounds")
    import fundgap
    from fundgap.errors import UnknownSourceError

    try:
        known = fundgap.known_sources()
        known = list(known) if not hasattr(known, "columns") else known.iloc[:, 0].tolist()
    except Exception:  # noqa: BLE001
        known = None
    if known is not None and args["source"] not in [str(k) for k in known]:
        raise Unavailable(f"source {args['source']!r} not registered (known: {known})")
    try:
        loaded, m = _measure(lambda: read_rounds(args["path"], source=args["source"]),
                             args.get("profile"))
    except UnknownSourceError as exc:
        raise Unavailable(f"source {args['source']!r}: {exc}") from exc
    data, rejects = loaded.data, loaded.rejects
    m["rows_data"] = len(data)
    m["rows_rejects"] = len(rejects)
    m["n_input"] = getattr(loaded, "n_input", None)
    if len(rejects) and "reason" in rejects.columns:
        reasons = rejects["reason"].astype("object").fillna("<NA>").value_counts().head(6)
        m["reject_reasons"] = {str(k): int(v) for k, v in reasons.items()}
    m["data_mb"] = float(data.memory_usage(deep=True).sum()) / 2**20
    return m


def _load_canonical(path):
    import pandas as pd

    from fundgap import schema

    frame = pd.read_parquet(path)
    # parquet round-trips most dtypes; make sure the categoricals are the canonical ones
    for col, dtype in schema.ROUND_COLUMNS.items():
        if isinstance(dtype, pd.CategoricalDtype) and frame[col].dtype != dtype:
            frame[col] = frame[col].astype("object").astype(dtype)
    return frame


def child_depth(args):
    depth = _get_api("depth")
    rounds = _load_canonical(args["path"])
    kw = {}
    boot = _kwarg_name(depth, ("n_boot", "n_bootstrap", "bootstrap", "n_resamples", "reps"))
    if boot is None:
        raise Unavailable("depth() has no bootstrap-replicates parameter "
                          "(looked for n_boot, n_bootstrap, bootstrap, n_resamples, reps)")
    kw[boot] = args["n_boot"]
    if _kwarg_name(depth, ("seed",)):
        kw["seed"] = 0
    result, m = _measure(lambda: depth(rounds, **kw), args.get("profile"))
    try:
        m["result_rows"] = len(result.to_frame())
    except Exception as exc:  # noqa: BLE001
        m["result_rows"] = f"to_frame failed: {type(exc).__name__}"
    m["call"] = f"depth(rounds, {', '.join(f'{k}={v!r}' for k, v in kw.items())})"
    m["rows_in"] = len(rounds)
    return m


def child_depth_ref(args):
    rounds = _load_canonical(args["path"])

    def plain():
        g = rounds.groupby(["region", "stage_group"], observed=True)["amount_eur"]
        a = g.agg(["size", "count", "sum", "mean", "median"])
        q = g.quantile([0.25, 0.75, 0.9]).unstack()
        return a.join(q)

    value, m = _measure(plain, args.get("profile"))
    m["call"] = "groupby(region, stage_group).amount_eur: size,count,sum,mean,median,P25/75/90"
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
    kw = {}
    sims = _kwarg_name(project, ("n_sims", "n_simulations", "sims"))
    if sims is None:
        raise Unavailable("project() has no n_sims parameter")
    kw[sims] = args["n_sims"]
    if _kwarg_name(project, ("horizon",)):
        kw["horizon"] = 10
    if _kwarg_name(project, ("seed",)):
        kw["seed"] = 0
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
    # the first call may load the shipped data and fit trends: time it (cold) and a second (warm)
    if args.get("profile_warm"):
        project(baseline, path, **kw)
    result, m = _measure(lambda: project(baseline, path, **kw), args.get("profile"))
    _, m2 = _measure(lambda: project(baseline, path, **kw))
    m["seconds_cold"] = m["seconds"]
    m["seconds_warm"] = m2["seconds"]
    try:
        fr = result.to_frame()
        m["result_rows"] = len(fr)
        for c in ("stage", "stage_group", "region"):
            if c in fr.columns:
                m[f"n_{c}"] = int(fr[c].nunique())
    except Exception as exc:  # noqa: BLE001
        m["result_rows"] = f"to_frame failed: {type(exc).__name__}"
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

    value, m = _measure(floor, args.get("profile"))
    m["call"] = ("numpy: normal draws (sims x 10 y x 5 stage groups x 7 regions), cumprod, "
                 "3 quantiles")
    return m


CHILDREN = {
    "import_fundgap": child_import_fundgap,
    "import_pandas": child_import_pandas,
    "read_csv_ref": child_read_csv_ref,
    "read_rounds": child_read_rounds,
    "depth": child_depth,
    "depth_ref": child_depth_ref,
    "project": child_project,
    "project_ref": child_project_ref,
}


def child_main(name: str, args_json: str, result_path: str) -> int:
    args = json.loads(args_json)
    try:
        out = {"status": "ok", **CHILDREN[name](args)}
    except Unavailable as exc:
        out = {"status": "unavailable", "detail": str(exc)}
    except Exception as exc:  # noqa: BLE001 - the harness reports, it does not crash
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
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(
        os.pathsep) if p])
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _spawn(cmd: list[str], timeout: float, log_path: Path) -> dict:
    """Run ``cmd``; return wall seconds, exit code and the child's ru_maxrss (MB)."""
    with open(log_path, "ab") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=_env(), cwd=str(ROOT))
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


def _best(results: list[dict], key: str = "seconds") -> dict | None:
    ok = [r for r in results if r.get("status") == "ok" and r.get(key) is not None]
    if not ok:
        return None
    return min(ok, key=lambda r: r[key])


def _first_problem(results: list[dict]) -> str:
    for r in results:
        if r.get("status") == "unavailable":
            return "not available yet: " + r.get("detail", "")
    for r in results:
        if r.get("status") == "error":
            return "ERROR: " + r.get("detail", "")
    return "no result"


def _fmt_s(x):
    return "-" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def _fmt_mb(x):
    return "-" if x is None else f"{x:,.0f}"


class Report:
    def __init__(self, json_path: Path):
        self.rows: list[dict] = []
        self.json_path = json_path
        self.meta: dict = {}

    def line(self, text: str = ""):
        print(text, flush=True)

    def add(self, row: dict):
        self.rows.append(row)
        self.save()

    def save(self):
        self.json_path.parent.mkdir(parents=True, exist_ok=True)
        self.json_path.write_text(json.dumps({"meta": self.meta, "rows": self.rows}, indent=1,
                                             default=str))


def _verdict(value, limit):
    if value is None:
        return "n/a"
    return "PASS" if value <= limit else "FAIL"


def bench_import(rep: Report, a) -> None:
    rep.line("\n## import fundgap (fresh interpreter each time; reference: import pandas)")
    res_f, res_p = [], []
    for _ in range(a.repeat_small):
        res_p.append(run_child("import_pandas", {}, timeout=a.timeout, log_path=a.log))
        res_f.append(run_child("import_fundgap", {}, timeout=a.timeout, log_path=a.log))
    bf, bp = _best(res_f), _best(res_p)
    if bf is None:
        rep.line(f"  import fundgap: {_first_problem(res_f)}")
        rep.add({"step": "import", "status": _first_problem(res_f)})
        return
    times = sorted(r["seconds"] for r in res_f if r.get("status") == "ok")
    med = times[len(times) // 2]
    forb = bf.get("forbidden_loaded", [])
    rep.line(f"  import fundgap   best {bf['seconds']:.3f} s, median {med:.3f} s "
             f"(reference import pandas best {bp['seconds']:.3f} s; ratio {bf['seconds'] / bp['seconds']:.2f}x)"
             if bp else f"  import fundgap best {bf['seconds']:.3f} s")
    rep.line(f"  target <= {TARGET['import_s']} s: best/target = {bf['seconds'] / TARGET['import_s']:.2f} "
             f"-> {_verdict(bf['seconds'], TARGET['import_s'])}; median/target = "
             f"{med / TARGET['import_s']:.2f}")
    rep.line(f"  forbidden modules after import: {forb or 'none'} -> {'PASS' if not forb else 'FAIL'}"
             f"; also loaded: {bf.get('other_heavy_loaded') or 'none'}; peak RSS {bf['peak_rss_mb']:.0f} MB")
    rep.add({"step": "import", "seconds": bf["seconds"], "median_s": med,
             "ref": "import pandas", "ref_seconds": bp["seconds"] if bp else None,
             "target_s": TARGET["import_s"], "forbidden_loaded": forb,
             "peak_rss_mb": bf["peak_rss_mb"], "all_seconds": times})


def bench_read(rep: Report, a, source: str, sizes, style: str = "standard") -> None:
    import generate

    step = f"read_{source}" + ("" if style == "standard" else f"_{style}")
    rep.line(f"\n## read_rounds(path, source={source!r}) vs pandas.read_csv(path, engine='pyarrow')"
             + ("" if style == "standard" else f"; the {style!r} style of the SYNTHETIC export"))
    rep.line(f"  {'rows':>9} {'file MB':>8} {'fundgap s':>10} {'pandas s':>9} {'ratio':>6} "
             f"{'us/row':>7} {'peak MB':>8} {'rise MB':>8} {'peak/file':>9} {'rise/file':>9} "
             f"{'ref peak':>8}  verdict")
    skip = generate.PITCHBOOK_BANNER_ROWS if source == "pitchbook" and style == "standard" else 0
    points = []
    for n in sizes:
        path = generate.ensure(source, n, a.seed, verbose=True, style=style)
        size_mb = path.stat().st_size / 2**20
        with open(path, "rb") as fh:  # page cache warm for both contenders
            while fh.read(1 << 24):
                pass
        reps = a.repeat_large if n >= 1_000_000 else a.repeat_small
        res_t, res_r = [], []
        for i in range(reps):
            res_r.append(run_child("read_csv_ref", {"path": str(path), "skiprows": skip},
                                   timeout=a.timeout, log_path=a.log))
            res_t.append(run_child("read_rounds", {"path": str(path), "source": source},
                                   timeout=a.timeout, log_path=a.log))
            if res_t[-1].get("status") != "ok":
                break
        bt, br = _best(res_t), _best(res_r)
        if bt is None:
            msg = _first_problem(res_t)
            rep.line(f"  {n:>9,} {size_mb:>8.1f} {msg}"
                     + (f"  [pandas reference {br['seconds']:.3f} s]" if br else ""))
            rep.add({"step": step, "rows": n, "file_mb": size_mb, "status": msg,
                     "ref_seconds": br["seconds"] if br else None})
            continue
        ratio = bt["seconds"] / br["seconds"] if br else None
        peak = bt["process_peak_rss_mb"]
        rise = bt.get("peak_rise_mb")
        mem_ratio = peak / size_mb
        rise_ratio = rise / size_mb if rise is not None else None
        target_size = n >= 1_000_000
        verdict = (f"time {_verdict(ratio, TARGET['read_time_ratio'])}, "
                   f"mem {_verdict(mem_ratio, TARGET['read_mem_ratio'])}"
                   f"{'' if target_size else ' (not the target size)'}")
        rep.line(f"  {n:>9,} {size_mb:>8.1f} {bt['seconds']:>10.3f} {br['seconds']:>9.3f} "
                 f"{ratio:>5.2f}x {1e6 * bt['seconds'] / n:>7.2f} {_fmt_mb(peak):>8} "
                 f"{_fmt_mb(rise):>8} {mem_ratio:>8.2f}x "
                 f"{(f'{rise_ratio:.2f}x' if rise_ratio is not None else '-'):>9} "
                 f"{_fmt_mb(br['process_peak_rss_mb']):>8}  {verdict}")
        acc = bt["rows_data"] + bt["rows_rejects"]
        rep.line(f"  {'':>9} data {bt['rows_data']:,} + rejects {bt['rows_rejects']:,} = {acc:,} "
                 f"(input {n:,}: {'ok' if acc == n else 'MISMATCH'}); .data holds "
                 f"{bt.get('data_mb', float('nan')):,.0f} MB; rejects "
                 f"{bt.get('reject_reasons', {})}")
        points.append((n, bt["seconds"], br["seconds"]))
        rep.add({"step": step, "rows": n, "file_mb": size_mb, "style": style,
                 "seconds": bt["seconds"], "ref_seconds": br["seconds"], "ratio": ratio,
                 "target_ratio": TARGET["read_time_ratio"], "peak_rss_mb": peak,
                 "peak_rise_mb": rise, "mem_ratio_process": mem_ratio,
                 "mem_ratio_rise": rise_ratio, "ref_peak_rss_mb": br["process_peak_rss_mb"],
                 "rows_data": bt["rows_data"], "rows_rejects": bt["rows_rejects"],
                 "data_mb": bt.get("data_mb"),
                 "reject_reasons": bt.get("reject_reasons"),
                 "all_seconds": [r.get("seconds") for r in res_t],
                 "all_ref_seconds": [r.get("seconds") for r in res_r]})
    if style == "standard":
        _scaling(rep, source, points)


def _scaling(rep: Report, source: str, points) -> None:
    if len(points) < 2:
        return
    xs = [math.log10(p[0]) for p in points]
    for label, idx in (("fundgap", 1), ("pandas", 2)):
        ys = [math.log10(p[idx]) for p in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        per_row = ", ".join(f"{p[0]:,}: {1e6 * p[idx] / p[0]:.2f}" for p in points)
        rep.line(f"  scaling {label:<8} log-log slope {slope:.2f} (1.00 = linear); us/row {per_row}")
        rep.add({"step": f"scaling_{source}_{label}", "slope": slope,
                 "points": [(p[0], p[idx]) for p in points]})
    # the slope between the two largest sizes is the one that matters for 10^6
    (n1, t1, _), (n2, t2, _) = points[-2], points[-1]
    rep.line(f"  scaling fundgap  {n1:,} -> {n2:,} rows: time x{t2 / t1:.1f} for rows x{n2 / n1:.0f}")


def bench_depth(rep: Report, a, n: int) -> None:
    import generate

    rep.line(f"\n## depth with {a.n_boot} bootstrap replicates on {n:,} synthetic canonical rounds")
    path = generate.ensure("canonical", n, a.seed, verbose=True)
    res_r = [run_child("depth_ref", {"path": str(path)}, timeout=a.timeout, log_path=a.log)]
    res_t = []
    for _ in range(a.repeat_large if n >= 1_000_000 else a.repeat_small):
        res_t.append(run_child("depth", {"path": str(path), "n_boot": a.n_boot},
                               timeout=a.timeout, log_path=a.log))
        if res_t[-1].get("status") != "ok":
            break
    bt, br = _best(res_t), _best(res_r)
    ref = f"reference (plain pandas groupby stats, no bootstrap) {_fmt_s(br['seconds'] if br else None)} s"
    if bt is None:
        msg = _first_problem(res_t)
        rep.line(f"  {msg}\n  {ref}")
        rep.add({"step": "depth", "rows": n, "status": msg,
                 "ref_seconds": br["seconds"] if br else None})
        return
    tgt = TARGET["depth_s"]
    rep.line(f"  {bt['call']}: {bt['seconds']:.3f} s; {ref}; ratio to reference "
             f"{bt['seconds'] / br['seconds']:.1f}x")
    rep.line(f"  target <= {tgt} s: {bt['seconds'] / tgt:.2f} of target -> "
             f"{_verdict(bt['seconds'], tgt)}{'' if n >= 1_000_000 else ' (not the target size)'}; "
             f"peak RSS {_fmt_mb(bt['process_peak_rss_mb'])} MB (rise {_fmt_mb(bt.get('peak_rise_mb'))} MB);"
             f" result rows {bt.get('result_rows')}")
    rep.add({"step": "depth", "rows": n, "n_boot": a.n_boot, "seconds": bt["seconds"],
             "ref_seconds": br["seconds"] if br else None, "target_s": tgt,
             "peak_rss_mb": bt["process_peak_rss_mb"], "peak_rise_mb": bt.get("peak_rise_mb"),
             "call": bt["call"], "all_seconds": [r.get("seconds") for r in res_t]})


def bench_project(rep: Report, a) -> None:
    rep.line(f"\n## project with {a.n_sims:,} simulations x 10 years")
    args = {"n_sims": a.n_sims}
    res_r = [run_child("project_ref", args, timeout=a.timeout, log_path=a.log)]
    br = _best(res_r)
    ref = f"reference (numpy floor) {_fmt_s(br['seconds'] if br else None)} s"
    rep.line(f"  {ref}: {br['call'] if br else _first_problem(res_r)}")
    for baseline in a.project_baselines:
        res_t = []
        for _ in range(a.repeat_small):
            res_t.append(run_child("project", {**args, "baseline": baseline}, timeout=a.timeout,
                                   log_path=a.log))
            if res_t[-1].get("status") != "ok":
                break
        bt = _best(res_t)
        if bt is None:
            msg = _first_problem(res_t)
            rep.line(f"  baseline {baseline}: {msg}")
            rep.add({"step": f"project_{baseline}", "status": msg,
                     "ref_seconds": br["seconds"] if br else None})
            continue
        tgt = TARGET["project_s"]
        warm = min(r["seconds_warm"] for r in res_t if r.get("status") == "ok")
        rep.line(f"  {bt['call']}:\n    first call {bt['seconds']:.3f} s, second call {warm:.3f} s; "
                 f"ratio to reference {bt['seconds'] / br['seconds']:.1f}x (first), "
                 f"{warm / br['seconds']:.1f}x (second)" if br else "")
        rep.line(f"    target <= {tgt} s: first call {bt['seconds'] / tgt:.2f} of target -> "
                 f"{_verdict(bt['seconds'], tgt)}; second call {warm / tgt:.2f} -> "
                 f"{_verdict(warm, tgt)}; peak RSS {_fmt_mb(bt['process_peak_rss_mb'])} MB; "
                 f"result rows {bt.get('result_rows')} (stage groups {bt.get('n_stage_group')}, "
                 f"regions {bt.get('n_region')})")
        rep.add({"step": f"project_{baseline}", "n_sims": a.n_sims, "seconds": bt["seconds"],
                 "seconds_warm": warm, "ref_seconds": br["seconds"] if br else None,
                 "target_s": tgt, "call": bt["call"], "peak_rss_mb": bt["process_peak_rss_mb"],
                 "result_rows": bt.get("result_rows"),
                 "all_seconds": [r.get("seconds") for r in res_t]})


def bench_report(rep: Report, a) -> None:
    rep.line("\n## fundgap report on the shipped data, end to end as a command")
    ref_cmd = [sys.executable, "-c",
               "import matplotlib; matplotlib.use('Agg'); import pandas, matplotlib.pyplot, "
               "seaborn, openpyxl, statsmodels.api"]
    ref = _spawn(ref_cmd, a.timeout, a.log)
    check = _spawn([sys.executable, "-c", "import fundgap.cli"], a.timeout, a.log)
    if check["exit"] != 0:
        msg = "not available yet: fundgap.cli does not import"
        rep.line(f"  {msg}; reference (interpreter + pandas, matplotlib, seaborn, openpyxl, "
                 f"statsmodels imports) {ref['wall_s']:.2f} s")
        rep.add({"step": "report", "status": msg, "ref_seconds": ref["wall_s"]})
        return
    runs = []
    for _ in range(a.repeat_large):
        with tempfile.TemporaryDirectory(prefix="fundgap-bench-report-") as out:
            cmd = [sys.executable, "-m", "fundgap", "report", "--out", out, "--quiet"]
            r = _spawn(cmd, a.timeout, a.log)
            r["files"] = sorted(p.name for p in Path(out).rglob("*") if p.is_file())[:50]
            runs.append(r)
        if r["exit"] != 0:
            break
    ok = [r for r in runs if r["exit"] == 0]
    if not ok:
        msg = f"ERROR: `fundgap report` exited {runs[-1]['exit']} (see {a.log})"
        rep.line(f"  {msg}; reference {ref['wall_s']:.2f} s")
        rep.add({"step": "report", "status": msg, "ref_seconds": ref["wall_s"]})
        return
    b = min(ok, key=lambda r: r["wall_s"])
    tgt = TARGET["report_s"]
    rep.line(f"  `python -m fundgap report --out TMP --quiet`: {b['wall_s']:.2f} s; reference "
             f"(interpreter + pandas, matplotlib, seaborn, openpyxl, statsmodels imports) "
             f"{ref['wall_s']:.2f} s; ratio {b['wall_s'] / ref['wall_s']:.1f}x")
    rep.line(f"  target <= {tgt} s: {b['wall_s'] / tgt:.2f} of target -> {_verdict(b['wall_s'], tgt)};"
             f" peak RSS {b['maxrss_mb']:.0f} MB; {len(b['files'])} files written")
    rep.add({"step": "report", "seconds": b["wall_s"], "ref_seconds": ref["wall_s"],
             "target_s": tgt, "peak_rss_mb": b["maxrss_mb"], "files": b["files"],
             "all_seconds": [r["wall_s"] for r in runs]})


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
        ref = (ROOT / ".git" / "HEAD").read_text().strip()
        head = (ROOT / ".git" / ref[5:]).read_text().strip()[:12] if ref.startswith("ref:") else ref[:12]
    except OSError:
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1], argv[2], argv[3])
    if argv and argv[0] == "--markdown":
        print(markdown(argv[1]))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="10^4 and 10^5 rows only")
    p.add_argument("--sizes", nargs="+", type=lambda s: int(float(s)), default=None)
    p.add_argument("--steps", nargs="+", choices=ALL_STEPS, default=list(ALL_STEPS))
    p.add_argument("--sources", nargs="+", choices=("pitchbook", "crunchbase"),
                   default=["pitchbook", "crunchbase"])
    p.add_argument("--styles", nargs="+", choices=("standard", "excel"),
                   default=["standard", "excel"],
                   help="file styles of the SYNTHETIC exports read (benchmarks/generate.py); "
                        "'excel' is measured at the largest size only")
    p.add_argument("--repeat-small", type=int, default=3, help="repeats below 10^6 rows (best of)")
    p.add_argument("--repeat-large", type=int, default=2, help="repeats at 10^6 rows (best of)")
    p.add_argument("--n-boot", type=int, default=1000)
    p.add_argument("--n-sims", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--project-baselines", nargs="+", default=["shipped", "synthetic"],
                   choices=("shipped", "synthetic", "synthetic_allpairs"),
                   help="shipped: baseline=None (shipped data); synthetic: a SYNTHETIC baseline "
                        "with all 7 country regions x seed/early/later, fund and round sizes, "
                        "default comparators; synthetic_allpairs: the same, every region a "
                        "comparator")
    p.add_argument("--timeout", type=float, default=1200.0)
    p.add_argument("--profile", metavar="STEP", default=None,
                   help="profile one step under cProfile instead of benchmarking: read_pitchbook, "
                        "read_crunchbase (or read_pitchbook_excel ...), depth, project, "
                        "project_synthetic, "
                        "project_synthetic_allpairs")
    p.add_argument("--warm", action="store_true",
                   help="with --profile project*: profile the second call (after a warm-up call)")
    a = p.parse_args(argv)
    sizes = a.sizes or (QUICK_SIZES if a.quick else FULL_SIZES)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    a.log = OUT_DIR / f"children-{stamp}.log"
    if a.profile:
        return profile(a, sizes)
    rep = Report(OUT_DIR / f"results-{stamp}.json")
    rep.meta = _machine()
    rep.meta.update(sizes=list(sizes), steps=a.steps)
    m = rep.meta
    rep.line(f"# fundgap benchmarks {m['when_utc']} UTC, commit {m['git_head']}")
    rep.line(f"# {m['cpus']} CPUs, load average at start {m['loadavg_start'][0]:.2f} "
             f"{m['loadavg_start'][1]:.2f} {m['loadavg_start'][2]:.2f}; python {m['python']}, "
             f"pandas {m['pandas']}, pyarrow {m['pyarrow']}, numpy {m['numpy']}")
    rep.line(f"# command: PYTHONPATH=. {m['command']}")
    rep.line("# all data SYNTHETIC (benchmarks/generate.py); times are best of repeats; every "
             "measured call in a fresh process")
    big = max(sizes)
    if "import" in a.steps:
        bench_import(rep, a)
    if "read" in a.steps:
        for s in a.sources:
            for style in a.styles:
                bench_read(rep, a, s, sizes if style == "standard" else [big], style)
    if "depth" in a.steps:
        bench_depth(rep, a, big)
    if "project" in a.steps:
        bench_project(rep, a)
    if "report" in a.steps:
        bench_report(rep, a)
    rep.meta["loadavg_end"] = os.getloadavg()
    rep.save()
    rep.line(f"\n# load average at end {rep.meta['loadavg_end'][0]:.2f}; results in "
             f"{rep.json_path.relative_to(ROOT)}; child output in {a.log.relative_to(ROOT)}")
    return 0


def markdown(json_path: str) -> str:
    """A markdown table of one results JSON (for README.md)."""
    d = json.loads(Path(json_path).read_text())
    m, rows = d["meta"], d["rows"]
    out = [f"Run {m['when_utc']} UTC, commit `{m['git_head']}`, {m['cpus']} CPUs, load average "
           f"{m['loadavg_start'][0]:.1f} at start / {m.get('loadavg_end', [float('nan')])[0]:.1f} at "
           f"end; python {m['python']}, pandas {m['pandas']}, pyarrow {m['pyarrow']}.", "",
           f"Command: `PYTHONPATH=. {m['command']}`", "",
           "| step | rows | fundgap s | reference s | ratio | target | peak RSS MB | peak / file | verdict |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        step = r["step"]
        if step.startswith("scaling_"):
            continue
        if "status" in r and "seconds" not in r:
            out.append(f"| {step} | {r.get('rows', '')} | {r['status']} | "
                       f"{_fmt_s(r.get('ref_seconds'))} | | | | | |")
            continue
        if step.startswith("read_"):
            ok_t = r["ratio"] <= TARGET["read_time_ratio"]
            ok_m = r["mem_ratio_process"] <= TARGET["read_mem_ratio"]
            verdict = (f"time {'PASS' if ok_t else 'FAIL'}, mem {'PASS' if ok_m else 'FAIL'}"
                       if r["rows"] >= 1_000_000 else "(not the target size)")
            out.append(f"| {step} | {r['rows']:,} | {r['seconds']:.2f} | {r['ref_seconds']:.2f} | "
                       f"{r['ratio']:.1f}x | <= 2x, <= 4x file | {r['peak_rss_mb']:,.0f} "
                       f"(rise {r['peak_rise_mb']:,.0f}) | {r['mem_ratio_process']:.1f}x "
                       f"({r['file_mb']:.0f} MB file) | {verdict} |")
        else:
            tgt = r.get("target_s")
            sec = r["seconds"]
            extra = f"; second call {r['seconds_warm']:.2f}" if "seconds_warm" in r else ""
            size = r.get("rows", r.get("n_sims", ""))
            size = f"{size:,}" + (" sims" if "n_sims" in r else "") if isinstance(size, int) else ""
            out.append(f"| {step} | {size} | {sec:.2f}{extra} | "
                       f"{_fmt_s(r.get('ref_seconds'))} | "
                       f"{(sec / r['ref_seconds']) if r.get('ref_seconds') else float('nan'):.1f}x ref, "
                       f"{sec / tgt:.2f} of target | <= {tgt} s | "
                       f"{_fmt_mb(r.get('peak_rss_mb'))} | | {_verdict(sec, tgt)} |")
    sc = [r for r in rows if r["step"].startswith("scaling_")]
    if sc:
        out += ["", "| scaling | log-log slope (1 = linear) | seconds at each size |", "|---|---|---|"]
        for r in sc:
            pts = ", ".join(f"{n:,}: {t:.2f}" for n, t in r["points"])
            out.append(f"| {r['step'][8:]} | {r['slope']:.2f} | {pts} |")
    return "\n".join(out)


def profile(a, sizes) -> int:
    """Run one step under cProfile in a fresh process and print the top functions."""
    import pstats

    import generate

    n = max(sizes)
    prof = OUT_DIR / f"{a.profile}-n{n}.prof"
    if a.profile.startswith("read_"):
        source = a.profile.split("_", 1)[1]
        style = "standard"
        if source.endswith("_excel"):
            source, style = source[: -len("_excel")], "excel"
        path = generate.ensure(source, n, a.seed, verbose=True, style=style)
        r = run_child("read_rounds", {"path": str(path), "source": source, "profile": str(prof)},
                      timeout=a.timeout, log_path=a.log)
    elif a.profile == "depth":
        path = generate.ensure("canonical", n, a.seed, verbose=True)
        r = run_child("depth", {"path": str(path), "n_boot": a.n_boot, "profile": str(prof)},
                      timeout=a.timeout, log_path=a.log)
    elif a.profile in ("project", "project_synthetic", "project_synthetic_allpairs"):
        prof = OUT_DIR / f"{a.profile}.prof"
        base = a.profile[len("project_"):] if a.profile != "project" else "shipped"
        r = run_child("project", {"n_sims": a.n_sims, "profile": str(prof), "baseline": base,
                                  "profile_warm": a.warm}, timeout=a.timeout, log_path=a.log)
    else:
        print(f"--profile must be read_pitchbook, read_crunchbase, depth or project, got {a.profile!r}")
        return 2
    if r.get("status") != "ok":
        print(f"{a.profile}: {r.get('status')}: {r.get('detail')}\n{r.get('traceback', '')}")
        return 1
    what = f"n={n:,}" if not a.profile.startswith("project") else f"n_sims={a.n_sims:,}"
    print(f"{a.profile} {what}: {r['seconds']:.3f} s under cProfile; profile in {prof}")
    st = pstats.Stats(str(prof))
    print("\n--- fundgap functions by cumulative time (file:line(function)) ---")
    st.sort_stats("cumulative").print_stats(r"fundgap/", 40)
    st.strip_dirs()
    for key in ("cumulative", "tottime"):
        print(f"\n--- top 30 by {key} ---")
        st.sort_stats(key).print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
