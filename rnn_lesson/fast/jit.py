"""How the kernels of ``rnn_lesson.fast`` are compiled, and where numba keeps the machine code.

Every kernel in this folder is decorated with :func:`_compile`: ``numba.njit`` with the
floating-point flags :data:`FASTMATH` (or :data:`VECTOR` for the loops that must vectorise)
and an on-disk cache in :data:`CACHE_DIR`, chosen by :func:`numba_cache_dir`. The first
session compiles the kernels (3 to 6 s on a 2-core laptop); later sessions load them.

numba decides whether a cached kernel is still fresh from the source file that defines
it, but a kernel carries compiled copies of the jitted functions it calls (``_exp`` of
``vecmath.py`` lives inside the kernels of ``batch.py``). So the stamp here covers the
whole folder: change any file of ``rnn_lesson/fast/`` and every kernel is compiled
again, never loaded stale.

No arrays and no equations in this module: only compile options and folders.
"""
import functools
import hashlib
import os
import pathlib
import tempfile

import numba
from numba.core.caching import CompileResultCacheImpl, FunctionCache, InTreeCacheLocator, UserProvidedCacheLocator

FOLDER = pathlib.Path(__file__).parent


def _writable(directory):
    """True when a file can be created in ``directory`` (made if missing)."""
    try:
        os.makedirs(directory, exist_ok=True)
        tempfile.TemporaryFile(dir=directory).close()
        return True
    except OSError:
        return False


def numba_cache_dir(package_dir, environ, writable=_writable):
    """Decide where numba caches compiled kernels; returns a directory or None (no caching).

    1. ``NUMBA_CACHE_DIR`` set by the user: theirs.
    2. The package's own ``__pycache__`` when it is writable (an editable or user install).
    3. Otherwise (read-only site-packages) a per-user folder,
       ``$XDG_CACHE_HOME/rnn_lesson/numba`` or ``~/.cache/rnn_lesson/numba``.
    4. None when nothing is writable: kernels are then compiled in every session.
    """
    if environ.get("NUMBA_CACHE_DIR"):
        return environ["NUMBA_CACHE_DIR"]
    in_tree = pathlib.Path(package_dir) / "__pycache__"
    if writable(in_tree):
        return str(in_tree)
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    user = os.path.join(base, "rnn_lesson", "numba")
    return user if writable(user) else None


CACHE_DIR = numba_cache_dir(FOLDER, os.environ)
if CACHE_DIR is not None and not CACHE_DIR.endswith("__pycache__") and not os.environ.get("NUMBA_CACHE_DIR"):
    os.environ["NUMBA_CACHE_DIR"] = CACHE_DIR  # read-only install: point numba at the user folder
    numba.config.CACHE_DIR = CACHE_DIR


# Let LLVM fuse multiply-adds and reorder sums (so short loops vectorise), but keep NaN and inf
# semantics: the divergence checks rely on them. Results differ from NumPy's in the last bits only.
FASTMATH = {"contract", "reassoc", "nsz"}
VECTOR = {"fastmath": {"contract"}, "error_model": "numpy"}  # no reassoc: it would fold vecmath's (x + ROUNDER) - ROUNDER


def sources_stamp(folder=FOLDER):
    """A digest of every ``.py`` file in ``folder``: it changes when any of them does."""
    stats = ((path, path.stat()) for path in sorted(pathlib.Path(folder).glob("*.py")))
    return _digest(tuple((str(path), stat.st_mtime_ns, stat.st_size) for path, stat in stats))


@functools.lru_cache(maxsize=None)
def _digest(files):
    """sha256 of the files' names and contents; ``files`` holds (path, mtime, size), the memo's key."""
    digest = hashlib.sha256()
    for path, _, _ in files:
        digest.update(pathlib.Path(path).name.encode())
        digest.update(pathlib.Path(path).read_bytes())
    return digest.hexdigest()


class _FolderStamp:
    """numba's cache locators, with freshness judged on the kernel's whole folder, not its one file."""

    def get_source_stamp(self):
        return sources_stamp(pathlib.Path(self._py_file).parent)


class _UserFolderLocator(_FolderStamp, UserProvidedCacheLocator):
    """Kernels cached under ``NUMBA_CACHE_DIR`` (the user's, or the per-user folder chosen above)."""


class _InTreeLocator(_FolderStamp, InTreeCacheLocator):
    """Kernels cached in the package's ``__pycache__``."""


class _KernelCacheImpl(CompileResultCacheImpl):
    _locator_classes = [_UserFolderLocator, _InTreeLocator]


class _KernelCache(FunctionCache):
    """numba's on-disk cache of one kernel (``cache=True``), stamped with the whole folder."""

    _impl_class = _KernelCacheImpl


def _compile(function=None, **options):
    """numba.njit with on-disk caching when a cache folder is writable, else without.

    ``options`` go to numba.njit (fastmath defaults to FASTMATH). As ``@_compile`` or ``@_compile(...)``.
    """
    if function is None:
        return lambda f: _compile(f, **options)
    kernel = numba.njit(cache=False, **{"fastmath": FASTMATH, **options})(function)
    if CACHE_DIR is not None:
        try:
            kernel._cache = _KernelCache(function)  # what cache=True does, with the folder's stamp
        except RuntimeError:  # numba found no cache locator after all: compile in every session
            pass
    return kernel
