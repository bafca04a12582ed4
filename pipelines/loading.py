"""Loading big read-only structures (the gazetteer, spaCy models, the classifier) fast."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a load builds millions of objects, then
    freeze what is alive.

    Each generation-0 collection during the load scans the young objects again, which costs
    about half the time of unpickling the gazetteer; loaded structures hold no cycles to free.
    Frozen (`gc.freeze`), they are left out of every later full collection: with spaCy, Great
    Expectations and the classifier loaded, one full collection went through all of them
    again (2 s in the events stage of a run adding 200 articles to 20,000). Frozen objects
    are still freed when nothing refers to them; a cycle among them (anything alive at the
    freeze) waits for the end of the run, where the warehouse resource unfreezes them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
