"""Readers for the exports people hold (filled in by the loaders work)."""
