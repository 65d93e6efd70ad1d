"""Writing files so that nothing is lost, and reading an .npz archive without trusting it.

Writing (an .npz of arrays, or any bytes): the data go to a temporary file in the
target's own folder, which is flushed to disk and then moved over the target in
one step (``os.replace``). A write that fails half-way (a full disk, a killed
process) leaves the old file as it was; two processes saving to one path at once
leave one complete file. The new file gets the permissions any new file would.

Reading: only the members the caller names are accepted, each must be stored
uncompressed (as ``np.savez`` stores them, so a member can never unpack to more
bytes than the file holds), its ``.npy`` header must declare a plain numeric
dtype, and its size must be exactly what that header's shape implies; only then
is it read, with pickle refused.

JSON travels inside an archive as a 1-D uint8 member (``json_member`` /
``json_of_member``), so nothing in it needs pickle either.

A damaged file, whatever byte is wrong, is one ValueError naming it: zipfile's own
complaints about a flipped flag or field (``RuntimeError`` for an entry marked encrypted,
``NotImplementedError`` for an unknown version or compression method, ``BadZipFile`` for a
CRC that does not match), NumPy's about a header (``OverflowError`` for a shape beyond int64)
and json's about a state nested too deep (``RecursionError``) are all turned into it.
"""
import contextlib
import json
import math
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np


def npz_path(path):
    """``path`` with ".npz" appended unless it already ends so (NumPy's own rule for ``savez``)."""
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def write_atomically(path, arrays):
    """Write ``arrays`` (name -> array) to ``path`` as an uncompressed .npz, all or nothing."""
    _replace_with(path, lambda file: np.savez(file, **arrays))


def write_checked(path, build, load_back):
    """Write the arrays ``build()`` returns to ``path`` (".npz" added), once ``load_back(arrays)`` accepts them.

    A model's ``save``: nothing is written unless what would be written loads
    back (``load_back`` raises TypeError/ValueError otherwise). Returns the path written.
    """
    try:
        arrays = build()
        load_back(arrays)
    except (TypeError, ValueError) as err:
        raise ValueError(f"cannot save this model: it would not load back ({err}); nothing was written") from None
    path = npz_path(path)
    write_atomically(path, arrays)
    return path


def write_bytes_atomically(path, data):
    """Write ``data`` (bytes) to ``path``, all or nothing."""
    _replace_with(path, lambda file: file.write(data))


def _replace_with(path, write):
    """Run ``write(file)`` on a temporary file beside ``path``, flush it to disk, move it over ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot save to {path}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; a new file would not be
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask():
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def json_member(value):
    """``value`` (a dict of JSON types; NumPy scalars allowed) as UTF-8 JSON bytes in a 1-D uint8 array."""
    text = json.dumps(value, allow_nan=False, default=_plain_number)
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def json_of_member(array, name):
    """The dict stored by ``json_member`` in the member ``name``; ValueError naming it if it is not one."""
    if array.dtype != np.uint8 or array.ndim != 1:
        raise ValueError(f"'{name}' must be a 1-D uint8 array of JSON bytes")
    try:
        value = json.loads(array.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"'{name}' is not JSON ({err})") from None
    except RecursionError:
        raise ValueError(f"'{name}' is JSON nested too deep for a model's state") from None
    if not isinstance(value, dict):
        raise ValueError(f"'{name}' must hold a JSON object, got {type(value).__name__}")
    return value


def _plain_number(value):
    """Let json write NumPy scalars (np.int64 is not an int)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} {value!r} cannot be saved as JSON")


UNREADABLE = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error,
              RuntimeError, NotImplementedError, OverflowError, RecursionError)  # what a damaged archive raises


def read_members(path, names):
    """The arrays stored under ``names`` in the .npz at ``path``: a dict name -> array.

    Raises ValueError for a member that is not one of ``names``, a compressed
    member, an object dtype, or a size that does not match the declared shape;
    zipfile and NumPy errors for a file that is not a readable archive.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if name not in names or not info.filename.endswith(".npy"):
                raise ValueError(f"it holds a member {info.filename!r} that a saved model does not have")
            if name in arrays:
                raise ValueError(f"it holds the member {info.filename!r} twice")
            if info.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"member {info.filename!r} is compressed; RNN.save never compresses")
            with archive.open(info) as member:
                arrays[name] = _read_npy(member, info)
    return arrays


def load_members(path, names, build, saved_by):
    """``build(arrays)`` for the members ``names`` of the .npz at ``path`` (".npz" added when that file exists).

    FileNotFoundError for a missing file; ValueError naming the file for one that is
    not a readable archive of those members, or whose arrays ``build`` refuses (with a
    ValueError or TypeError). ``saved_by`` names the writer in messages ("RNN.save").
    """
    path = Path(path)
    if not path.is_file() and npz_path(path).is_file():
        path = npz_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    try:
        arrays = read_members(path, names)
    except UNREADABLE as err:
        raise ValueError(f"{path} is not a model saved by {saved_by} (not a readable .npz: {err})") from None
    try:
        return build(arrays)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError) as err:
        raise ValueError(f"{path} is not a valid saved {saved_by.split('.')[0]}: {err}") from None


def model_state(arrays, members, model_format, version):
    """The JSON member "state" of a model's ``arrays``, once every one of ``members`` is there and the state
    names ``model_format`` at ``version``; ValueError saying which of these is not so."""
    missing = [name for name in members if name not in arrays]
    if missing:
        raise ValueError(f"missing arrays {missing}")
    state = json_of_member(arrays["state"], "state")
    if state.get("format") != model_format or state.get("version") != version:
        raise ValueError(f"'state' does not describe a {model_format} model of version {version}")
    return state


def _read_npy(member, info):
    """One .npy member, after checking its header against the bytes the archive says it holds."""
    version = np.lib.format.read_magic(member)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read_header(member)
    if dtype.hasobject or dtype.kind not in "fiub":
        raise ValueError(f"member {info.filename!r} has dtype {dtype}; a saved model holds only numbers")
    expected = member.tell() + math.prod(shape) * dtype.itemsize  # exact: np.prod would wrap around int64
    if info.file_size != expected:
        raise ValueError(f"member {info.filename!r} declares shape {shape} ({expected} bytes) but holds "
                         f"{info.file_size} bytes")
    data = np.frombuffer(member.read(), dtype=dtype)
    return data.reshape(shape, order="F" if fortran_order else "C").copy()
