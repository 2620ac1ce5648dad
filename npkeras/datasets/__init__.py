"""Data sets, read from local files (see files.py for the search order)."""

from npkeras.datasets import fashion_mnist, mnist, moby_dick, reuters

__all__ = ["fashion_mnist", "mnist", "moby_dick", "reuters"]
