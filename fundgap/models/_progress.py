"""Progress bars for the long steps, drawn only where a caller switched them on.

The command line switches them on (:func:`progress_bars`) when stderr is a terminal
and ``--quiet`` is not given; library calls draw nothing. Inside, a long step is
wrapped in :func:`step`: a tqdm bar on stderr, counting the step's parts when it
has them (bootstrap cells, workbook sheets, figures) or showing the time elapsed
when it has none (a regression, the Monte Carlo), refreshed by a small timer
thread. A bar appears only once its step has run for ``delay`` seconds (one by
default), so quick steps leave no trace; bars are removed when their step ends.

Examples
--------
>>> with step("nothing to show") as bar:   # no progress_bars(): a silent no-op
...     bar.update()
>>> bars_on()
False
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = ["bars_on", "progress_bars", "step"]

#: Seconds a step runs before its bar appears.
DELAY = 1.0
#: Seconds between refreshes of a bar's elapsed time.
TICK = 0.25


@dataclass(frozen=True)
class _Settings:
    file: TextIO
    delay: float
    position: int


_ACTIVE: contextvars.ContextVar[_Settings | None] = contextvars.ContextVar(
    "fundgap_progress", default=None)


def bars_on() -> bool:
    """True inside :func:`progress_bars` (the command line on a terminal)."""
    return _ACTIVE.get() is not None


@contextlib.contextmanager
def progress_bars(enabled: bool = True, *, file: TextIO | None = None,
                  delay: float | None = None, position: int = 1) -> Iterator[None]:
    """Draw the long steps' bars on ``file`` (stderr) inside this block, if ``enabled``.

    ``delay``: seconds before a bar appears (default :data:`DELAY`); ``position``: the
    line of the first step bar (0 when no outer bar is drawn).
    """
    wait = DELAY if delay is None else float(delay)
    token = _ACTIVE.set(_Settings(file or sys.stderr, wait, int(position)) if enabled else None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


class _Silent:
    """The bar of a step when no bars are drawn."""

    def update(self, n: int = 1) -> None:
        """Nothing to show."""

    def set_postfix_str(self, text: str) -> None:
        """Nothing to show."""


@contextlib.contextmanager
def step(desc: str, total: int | None = None, unit: str = "step") -> Iterator[Any]:
    """A bar for one long step: ``with step("bootstrap", total=48) as bar: ... bar.update()``.

    A silent no-op outside :func:`progress_bars`. Nested steps stack on the lines
    below.
    """
    settings = _ACTIVE.get()
    if settings is None:
        yield _Silent()
        return
    from tqdm import tqdm

    fmt = None if total else "{desc}: {elapsed}{postfix}"
    bar = tqdm(total=total, desc=desc, unit=unit, file=settings.file, leave=False,
               delay=settings.delay, position=settings.position, bar_format=fmt,
               dynamic_ncols=True)
    stop = threading.Event()
    ticker = threading.Thread(target=_tick, args=(bar, stop, settings.delay), daemon=True)
    ticker.start()
    token = _ACTIVE.set(_Settings(settings.file, settings.delay, settings.position + 1))
    try:
        yield bar
    finally:
        _ACTIVE.reset(token)
        stop.set()
        ticker.join()
        bar.close()


def _tick(bar: Any, stop: threading.Event, delay: float) -> None:
    """Refresh the bar's elapsed time until the step ends (tqdm draws only on updates),
    once the step has run ``delay`` seconds."""
    while not stop.wait(TICK):
        if bar._time() - bar.start_t >= delay:
            bar.refresh()
