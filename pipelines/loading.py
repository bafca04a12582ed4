"""Loading big read-only structures (the gazetteer, spaCy models, the classifier) fast."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a load builds millions of objects.

    Each generation-0 collection during the load scans the young objects again, which costs
    about half the time of unpickling the gazetteer; loaded structures hold no cycles to free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
