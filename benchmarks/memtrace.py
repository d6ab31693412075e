"""Where does the peak memory of a fundgap call happen? (a diagnostic, not a benchmark)

Wraps every function defined in ``fundgap`` modules so that a stack of the calls in
progress is kept, samples the process RSS every few milliseconds from a thread, and
reports, for each function, the highest RSS seen while it was the innermost fundgap
call, and the RSS at its entry. Run it on 10^5 rows (memory grows linearly)::

    PYTHONPATH=. python benchmarks/memtrace.py pitchbook benchmarks/_data/SYNTHETIC_pitchbook_deals_n100000_seed0.csv

SOURCE may be any layout of ``benchmarks/generate.py`` (``preqin`` and ``pitchbook_funds``
are read with ``read_funds``, ``generic`` with ``generate.GENERIC_COLUMNS``).
"""

from __future__ import annotations

import functools
import sys
import threading
import time
import types


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(source: str, path: str) -> int:
    import fundgap
    import fundgap.io
    import fundgap.normalise

    stack: list[str] = []
    peak: dict[str, float] = {}
    entry: dict[str, float] = {}
    wrapped: dict[int, object] = {}

    def wrap(fn):
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def inner(*a, **k):
            stack.append(name)
            entry.setdefault(name, rss_mb())
            try:
                return fn(*a, **k)
            finally:
                stack.pop()
        return inner

    for mod in list(sys.modules.values()):
        if not isinstance(mod, types.ModuleType) or not mod.__name__.startswith("fundgap"):
            continue
        for attr, obj in list(vars(mod).items()):
            if isinstance(obj, types.FunctionType) and obj.__module__.startswith("fundgap") \
                    and not attr.startswith("__"):
                if id(obj) not in wrapped:
                    wrapped[id(obj)] = wrap(obj)
                setattr(mod, attr, wrapped[id(obj)])
    # the registry holds the reader functions themselves: swap in the wrapped ones
    import dataclasses

    from fundgap.io import _registry
    for name, spec in list(_registry._SOURCES.items()):
        fn = spec.reader
        if isinstance(fn, types.FunctionType) and id(fn) in wrapped:
            _registry._SOURCES[name] = dataclasses.replace(spec, reader=wrapped[id(fn)])

    done = threading.Event()

    def sampler():
        while not done.is_set():
            r = rss_mb()
            if stack:
                top = stack[-1]
                if r > peak.get(top, 0.0):
                    peak[top] = r
            time.sleep(0.002)

    base = rss_mb()
    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    t0 = time.perf_counter()
    if source in ("preqin", "pitchbook_funds"):
        loaded = fundgap.read_funds(path, source=source)
    elif source == "generic":
        import generate

        loaded = fundgap.read_rounds(path, source=source, columns=generate.GENERIC_COLUMNS)
    else:
        loaded = fundgap.read_rounds(path, source=source)
    secs = time.perf_counter() - t0
    done.set()
    th.join()
    print(f"read({source}) {secs:.1f} s; RSS before {base:.0f} MB; rows {len(loaded.data)} + "
          f"{len(loaded.rejects)} rejects")
    print(f"{'highest RSS while innermost (MB)':>32} {'RSS at entry':>12}  function")
    for name, p in sorted(peak.items(), key=lambda kv: -kv[1])[:25]:
        print(f"{p:>32.0f} {entry.get(name, float('nan')):>12.0f}  {name}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
