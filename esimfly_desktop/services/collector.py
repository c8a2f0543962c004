"""Pause Python's cyclic garbage collector around bulk object creation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_garbage_collection_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, then restore its earlier state.

    Use it only around code that creates many objects without reference
    cycles, such as decoding the stored catalog or building its search index.
    Decoding 7,000 packages creates roughly 400,000 objects (an estimate), and
    the collector's repeated passes over them doubled the load time (about
    110 ms against 220 ms, measured with time.process_time on a shared 2-core
    machine). The collector is global, so every thread goes without it
    for the duration of the block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["cyclic_garbage_collection_paused"]
