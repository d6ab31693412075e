"""Shared pytest fixtures: a seeded generator and figure clean-up."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded numpy Generator, so every test that draws numbers is reproducible."""
    return np.random.default_rng(20261122)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close any matplotlib figures a test opened (only if matplotlib was imported)."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


# Property tests check behaviour, not speed: no per-example deadline (CI machines are shared and slow).
from hypothesis import settings  # noqa: E402

settings.register_profile("fundgap", deadline=None)
settings.load_profile("fundgap")
