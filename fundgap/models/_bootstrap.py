"""Vectorised bootstrap of cell statistics (private engine of :func:`fundgap.models.depth`).

For one cell of sorted positive amounts ``x`` (length ``n``) it draws ``B``
bootstrap replicates of: total, mean, quantiles and the share of capital in
rounds of at least ``large``, with no Python loop over replicates or rows.

Two paths, chosen by ``n``:

* ``n <= exact_max`` (exact, 512 by default): the classical (multinomial) bootstrap. Each
  replicate draws ``n`` row indices with replacement; the draws are turned into
  a ``B x n`` matrix of counts with one ``bincount``. Statistics come from the
  counts: sums are a matrix product, order statistics a batched search in the
  cumulated counts over the sorted values.
* ``n > exact_max`` (large cells): the Poisson bootstrap (each row gets an
  independent Poisson(1) weight, Hanley and MacGibbon 2006, "Creating non-
  parametric bootstrap samples using Poisson frequencies", Computer Methods and
  Programs in Biomedicine 83:57-62). Because sums of independent Poisson(1)
  weights are Poisson, rows can be pooled into *atoms* without changing the
  distribution of the weight totals: the ``top`` largest rows stay single atoms
  (the heavy right tail of round sizes drives totals and the large-round
  share), the rest are pooled into equal-count blocks of neighbouring sorted
  values (never straddling the large-round threshold), at most ``max_atoms``
  atoms in all and blocks of at least 30 rows. Within a block the sum
  of ``c`` drawn values is approximated by ``c * block mean`` plus a normal term
  with the block's variance, and an order statistic falling in a block is read
  at its relative position inside the block. Totals are reported conditional on
  ``n`` (``n`` times the replicate mean), as in the exact path. The Poisson count
  of a block of 30 or more rows is drawn from its normal approximation.

Cost is ``O(B * n)`` per cell up to ``exact_max`` rows, ``O(B * max_atoms)`` beyond.
"""

from __future__ import annotations

import numpy as np

__all__ = ["bootstrap_cell"]

#: Cells of up to this many rounds use the exact multinomial bootstrap.
EXACT_MAX = 512
#: Larger cells are pooled into at most this many atoms.
MAX_ATOMS = 512
TOP_SINGLETONS = 128
#: Pooled blocks of at least this many rows draw their Poisson count from its normal
#: approximation (skewness 1/sqrt(30) < 0.2), which is several times faster.
GAUSS_FROM = 30


def _order_stats(counts: np.ndarray,
                 ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each replicate row of ``counts`` and each 0-based rank, find the atom holding it.

    Returns (atom index, position of the rank inside the atom's draws, draws in the atom),
    each of shape (B, len(ranks)). ``ranks`` has shape (B, k).
    """
    b, a = counts.shape
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1]
    # offset each row so that the flattened cumulated counts are monotone
    offset = np.concatenate([[0.0], np.cumsum(total[:-1])])
    flat = (cum + offset[:, None]).ravel()
    targets = ranks + offset[:, None]
    pos = np.searchsorted(flat, targets.ravel().astype(flat.dtype), side="right")
    pos = pos.reshape(ranks.shape)
    atom = pos - (np.arange(b) * a)[:, None]
    atom = np.clip(atom, 0, a - 1)
    rows = np.arange(b)[:, None]
    c = counts[rows, atom]
    before = cum[rows, atom] - c
    return atom, ranks - before, c


def _poisson_counts(sizes: np.ndarray, b: int, rng: np.random.Generator) -> np.ndarray:
    """B x atoms matrix of Poisson(size) counts; normal approximation for sizes >= 30."""
    lam = sizes.astype("float64")
    counts = np.empty((b, len(lam)), dtype="float64")
    approx = lam >= GAUSS_FROM
    cols = np.flatnonzero(approx)
    if len(cols):
        la = lam[cols].astype("float32")
        z = rng.standard_normal((b, len(cols)), dtype=np.float32)
        z *= np.sqrt(la)
        z += la
        np.rint(z, out=z)
        np.maximum(z, 0.0, out=z)
        counts[:, cols] = z
    # few distinct small sizes (1 for the singletons): one scalar-rate draw each
    small = sizes[~approx]
    for size in np.unique(small):
        cols = np.flatnonzero((sizes == size) & ~approx)
        draws = rng.poisson(float(size), size=(b, len(cols)))
        if cols[-1] - cols[0] + 1 == len(cols):  # contiguous (the singletons): a slice
            counts[:, cols[0]: cols[-1] + 1] = draws
        else:
            counts[:, cols] = draws
    return counts


def bootstrap_cell(
    x: np.ndarray,
    *,
    n_boot: int,
    rng: np.random.Generator,
    quantiles: tuple[float, ...],
    large: float,
    max_atoms: int = MAX_ATOMS,
    top: int = TOP_SINGLETONS,
    exact_max: int = EXACT_MAX,
) -> dict[str, np.ndarray]:
    """Bootstrap replicates of the statistics of one cell.

    Parameters
    ----------
    x : ndarray
        Sorted (ascending), finite values of the cell; at least one.
    n_boot : int
    rng : numpy Generator
    quantiles : tuple of float
        Probabilities in [0, 1]; interpolated like ``numpy.quantile`` (linear).
    large : float
        Threshold of a large round (same unit as ``x``).

    Returns
    -------
    dict
        ``total``, ``mean``, ``share_large`` and ``q<p>`` for each quantile, each
        an array of ``n_boot`` replicates (NaN where a replicate is empty).

    Examples
    --------
    >>> import numpy as np
    >>> out = bootstrap_cell(np.array([1.0, 2.0, 3.0]), n_boot=5,
    ...                      rng=np.random.default_rng(0), quantiles=(0.5,), large=2.5)
    >>> sorted(out), out["mean"].shape
    (['mean', 'q0.5', 'share_large', 'total'], (5,))
    """
    x = np.asarray(x, dtype="float64")
    n = len(x)
    b = int(n_boot)
    if n <= exact_max:
        starts = np.arange(n)
        sizes = np.ones(n, dtype=np.int64)
        means = x
        var = np.zeros(n)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        counts = np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype("float64")
        exact = True
    else:
        ntop = min(top, n)
        body = n - ntop
        # blocks of at least GAUSS_FROM rows (normal-approximated counts), at most max_atoms atoms
        nblocks = max(1, min(max_atoms - ntop, body // GAUSS_FROM))
        edges = np.unique(np.linspace(0, body, nblocks + 1).round().astype(np.int64))
        cut = int(np.searchsorted(x, large, side="left"))
        if 0 < cut < body:
            edges = np.unique(np.append(edges, cut))
        starts = np.concatenate([edges[:-1], np.arange(body, n)])
        ends = np.concatenate([edges[1:], np.arange(body + 1, n + 1)])
        sizes = ends - starts
        sums = np.add.reduceat(x, starts)
        means = sums / sizes
        dev = x - np.repeat(means, sizes)
        var = np.add.reduceat(dev * dev, starts) / sizes
        counts = _poisson_counts(sizes, b, rng)
        exact = False

    n_star = counts.sum(axis=1)
    is_large = means >= large  # atoms never straddle the threshold
    weights = np.column_stack([
        np.where(is_large, means, 0.0), np.where(is_large, 0.0, means),
        np.where(is_large, var, 0.0), np.where(is_large, 0.0, var),
    ])
    sums = counts @ weights
    big, small = sums[:, 0], sums[:, 1]
    if not exact:
        noise = rng.standard_normal((b, 2))
        big = np.maximum(big + np.sqrt(sums[:, 2]) * noise[:, 0], 0.0)
        small = np.maximum(small + np.sqrt(sums[:, 3]) * noise[:, 1], 0.0)
    s = big + small
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_star > 0, s / np.maximum(n_star, 1), np.nan)
        share = np.where(s > 0, big / np.where(s > 0, s, 1.0), np.nan)
    out = {"total": mean * n, "mean": mean, "share_large": share}

    if quantiles:
        qs = np.asarray(quantiles, dtype="float64")
        h = (np.maximum(n_star, 1) - 1)[:, None] * qs[None, :]
        lo = np.floor(h).astype(np.int64)
        frac = h - lo
        hi = np.minimum(lo + 1, np.maximum(n_star, 1)[:, None] - 1)
        ranks = np.concatenate([lo, hi], axis=1)
        atom, within, c = _order_stats(counts, ranks)
        rel = np.floor((within + 0.5) / np.maximum(c, 1) * sizes[atom]).astype(np.int64)
        rel = np.clip(rel, 0, sizes[atom] - 1)
        vals = x[starts[atom] + rel]
        k = len(qs)
        qv = vals[:, :k] + frac * (vals[:, k:] - vals[:, :k])
        qv[n_star == 0, :] = np.nan
        for j, p in enumerate(qs):
            out[f"q{p:g}"] = qv[:, j]
    return out
