"""Loading big read-only structures (the gazetteer, spaCy models, the classifier) fast."""

import _sre
import gc
import hashlib
import os
import pickle
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from re import _compiler


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


# Shorter patterns compile in milliseconds: not worth a file.
LONG_PATTERN = 100_000


@contextmanager
def long_patterns_kept(folder: Path, min_length: int = LONG_PATTERN) -> Iterator[None]:
    """While the block runs, a regular expression of at least `min_length` characters is
    compiled once and kept in `folder`, and later processes read it back instead.

    spaCy's French language compiles, when it is imported, one case-insensitive pattern of
    1.4 million characters (its tokenizer's exceptions): 2.3 to 3.5 s of CPU, 90% of loading
    the French model, paid by every run that meets a French article. Python compiles a
    pattern into a list of integers and hands it to `_sre.compile`; those arguments are what
    the file keeps, and giving them back builds the same pattern object in milliseconds. The
    file name hashes the pattern, its flags and the Python version (the code is that
    version's), so another pattern or interpreter is compiled again; a file that cannot be
    read or written is no worse than no file."""
    compile_ = _compiler.compile

    def compile(pattern, flags=0):
        if not isinstance(pattern, str) or len(pattern) < min_length:
            return compile_(pattern, flags)
        key = hashlib.sha256(f"{sys.version}\x1f{_sre.MAGIC}\x1f{int(flags)}\x1f{pattern}"
                             .encode()).hexdigest()[:24]
        path = folder / f"pattern-{key}.pickle"
        with suppress(OSError, pickle.UnpicklingError, EOFError, TypeError, ValueError,
                      RuntimeError), path.open("rb") as handle:
            return _sre.compile(pattern, *pickle.load(handle))
        compiled, arguments = _compiled_with_arguments(compile_, pattern, flags)
        with suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                flags_, code, *groups = arguments[1:]
                # The compiler's opcodes are named ints, which do not pickle: plain ints.
                pickle.dump((flags_, [int(op) for op in code], *groups), handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(path)
        return compiled

    _compiler.compile = compile
    try:
        yield
    finally:
        _compiler.compile = compile_


def _compiled_with_arguments(compile_, pattern: str, flags: int) -> tuple[re.Pattern, tuple]:
    """`compile_(pattern, flags)` and the arguments it gave `_sre.compile` (recorded, not
    recomputed: the compiler's own)."""
    recorded: list[tuple] = []

    class Recording:
        def __getattr__(self, name):
            return getattr(_sre, name)

        @staticmethod
        def compile(*arguments):
            recorded.append(arguments)
            return _sre.compile(*arguments)

    _compiler._sre = Recording()
    try:
        compiled = compile_(pattern, flags)
    finally:
        _compiler._sre = _sre
    # Ours, should another thread have compiled a pattern meanwhile.
    return compiled, next(a for a in reversed(recorded) if a[0] == pattern)
