"""A small on-disk cache for data derived from installed files (rebuilt when they change).

Where: ``$ZHIBIAO_CACHE``, else ``$XDG_CACHE_HOME/zhibiao``, else ``~/.cache/zhibiao``; if
none is writable the data is rebuilt in memory each time. Entries are written atomically,
so two processes starting at once never read half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    env = os.environ.get("ZHIBIAO_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhibiao"


def file_stamp(path: str | os.PathLike) -> str:
    """Size and mtime of a file: cheap, and changes when the file is replaced."""
    st = os.stat(path)
    return f"{st.st_size}-{st.st_mtime_ns}"


MAGIC = b"zhibiao-cache-1\0"


def _sealed(data: bytes) -> bytes:
    return MAGIC + hashlib.sha256(data).digest() + data


def _unsealed(raw: bytes) -> bytes | None:
    """The data of an entry whose checksum holds; None for a damaged or foreign file."""
    head = len(MAGIC) + 32
    if len(raw) < head or not raw.startswith(MAGIC):
        return None
    data = raw[head:]
    return data if hashlib.sha256(data).digest() == raw[len(MAGIC):head] else None


def cached_bytes(name: str, key: str, build: Callable[[], bytes]) -> bytes:
    """The bytes stored under ``name`` for ``key``, building and storing them when absent or
    damaged (each entry carries a sha256 of its bytes: a torn or altered entry is rebuilt)."""
    tag = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    path = cache_dir() / f"{name}-{tag}.sealed"  # not .bin: versions before the checksum read .bin raw
    try:
        data = _unsealed(path.read_bytes())
        if data is not None:
            return data
    except OSError:
        pass
    data = build()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_sealed(data))
        os.replace(tmp, path)
    except OSError:  # a read-only home: rebuilt next time, nothing lost
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    return data
