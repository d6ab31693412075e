"""Threads and memory for the loaders: the one place that starts threads or frees memory.

Arrow kernels (casts, filters, hashing, string functions) release the GIL, so two of
them run side by side on two cores. A load of a big file uses two threads
(:func:`threaded`, :func:`concurrently`, :class:`Job`); a small one runs on the calling
thread (:func:`parallel` decides per load), since starting threads costs more than they
share. After the raw table of a big file is dropped, :func:`release_free_memory` hands
the freed memory back to the operating system.

Provider modules never import this module: the loader pipeline
(:mod:`fundgap.io._pipeline`) and the builders use it.

Examples
--------
>>> with parallel(False):
...     threaded(lambda x: x + 1, [1, 2, 3, 4])
[2, 3, 4, 5]
>>> concurrently(lambda: 1, lambda: 2)
[1, 2]
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

__all__ = ["PARALLEL_BYTES", "Job", "concurrently", "parallel", "prefetched", "release_free_memory",
           "threaded"]

#: Below this file size a load runs on one thread: starting threads costs more than the
#: work it would share (about 40 ms a load), and freed memory is not handed back.
PARALLEL_BYTES = 8 << 20

_PARALLEL: contextvars.ContextVar[bool] = contextvars.ContextVar("fundgap_parallel", default=True)


@contextlib.contextmanager
def parallel(enabled: bool) -> Iterator[None]:
    """Within the block, the reader and loader helpers of this thread use two threads
    (``enabled``) or only this one (a small file: starting threads costs more than they share).

    Examples
    --------
    >>> with parallel(False):
    ...     is_parallel()
    False
    """
    token = _PARALLEL.set(bool(enabled))
    try:
        yield
    finally:
        _PARALLEL.reset(token)


def is_parallel() -> bool:
    """True where the helpers of this thread may use a second thread (see :func:`parallel`)."""
    return _PARALLEL.get()


def threaded(func: Callable[[Any], Any], items: list[Any], min_items: int = 4) -> list[Any]:
    """``[func(x) for x in items]`` on two threads (for Arrow kernels, which release the GIL);
    in this thread for fewer than ``min_items`` items, or within ``parallel(False)``."""
    if len(items) < min_items or not _PARALLEL.get():
        return [func(x) for x in items]
    with ThreadPoolExecutor(max_workers=2) as ex:
        return list(ex.map(func, items))


def concurrently(*jobs: Callable[[], Any]) -> list[Any]:
    """The results of independent ``jobs`` (functions without arguments), run on two threads.

    Examples
    --------
    >>> concurrently(lambda: 1, lambda: 2)
    [1, 2]
    """
    return threaded(lambda job: job(), list(jobs), min_items=2)


class Job:
    """A result computed on a background thread, which its consumer can release.

    :meth:`result` waits for it; :meth:`release` drops it (a Future would keep a
    million-row result alive for as long as anybody holds the Future). Within
    ``parallel(False)`` the result is computed at once, on this thread.

    Examples
    --------
    >>> j = Job(lambda: 41 + 1)
    >>> j.result(), j.release()
    (42, None)
    """

    def __init__(self, func: Callable[[], Any]) -> None:
        self._future: Future | None = Future()
        if _PARALLEL.get():
            pool = ThreadPoolExecutor(max_workers=1)
            self._future = pool.submit(func)
            pool.shutdown(wait=False)
            return
        try:  # (computed here and now)
            self._future.set_result(func())
        except BaseException as exc:  # (any failure, re-raised by result())
            self._future.set_exception(exc)

    def result(self) -> Any:
        """The job's result (waits for it); raises what the job raised."""
        if self._future is None:
            raise RuntimeError("the result of this background job was released")
        return self._future.result()

    def release(self) -> None:
        """Drop the result (after waiting for the job: no thread is left running)."""
        if self._future is not None:
            self._future.result()
        self._future = None


def prefetched(items: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """The items of ``items``, made on a second thread up to ``depth`` ahead of the consumer
    (for producers that release the GIL, such as zlib inflating a zip part, beside a
    consumer that holds it); on this thread within ``parallel(False)``.

    An exception of the producer is raised in the consumer, at the item it failed to make.
    When the consumer stops early (``break``, an exception, the generator closed) the
    producer stops after the item it is making, and its thread has ended when the
    consumer's loop is left: ``items`` is never advanced by two threads at once.

    Examples
    --------
    >>> list(prefetched(iter(range(5))))
    [0, 1, 2, 3, 4]
    >>> def broken():
    ...     yield 1
    ...     raise ValueError("bad part")
    >>> out = []
    >>> try:
    ...     for x in prefetched(broken()):
    ...         out.append(x)
    ... except ValueError as exc:
    ...     out.append(str(exc))
    >>> out
    [1, 'bad part']
    """
    import queue
    import threading

    if not _PARALLEL.get():
        yield from items
        return
    box: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def put(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                box.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for x in items:
                if not put((True, x)):
                    return
            put((True, done))
        except BaseException as exc:  # (re-raised by the consumer)
            put((False, exc))

    worker = threading.Thread(target=produce, name="fundgap-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            ok, x = box.get()
            if not ok:
                raise x
            if x is done:
                return
            yield x
    finally:
        stop.set()
        worker.join()


def release_free_memory() -> None:
    """Hand memory freed by the loader back to the operating system.

    Arrow's allocator keeps freed blocks for reuse and glibc's ``malloc`` keeps freed
    heap pages: after the raw table of a big file is released, both may hold hundreds
    of MB that the process no longer uses. This returns them (Arrow's
    ``release_unused``; ``malloc_trim(0)`` where the C library is glibc). Nothing is
    freed that is in use; it takes a few milliseconds.

    Examples
    --------
    >>> release_free_memory()
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on other C libraries and platforms."""
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim
