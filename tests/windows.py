"""What Windows refuses while Excel has a file open, simulated on any system for the tests.

Excel opens a workbook so that others may read it but not write it. Windows then refuses, with
PermissionError (errno EACCES, from ERROR_SHARING_VIOLATION or ERROR_ACCESS_DENIED), to open
the file for writing, to replace or rename it, and to rename any folder it lies in. POSIX allows
all of these, so the tests make Python's calls for them refuse as Windows would.
"""

import builtins
import errno
import io
import os
from pathlib import Path

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_TRUNC
_IN_USE = "Processen kan inte komma åt filen eftersom den används av en annan process"


def excel_opens(monkeypatch, *files: Path) -> None:
    """From now on, refuse what Windows refuses while Excel holds these files open."""
    held = [os.path.abspath(f) for f in files]

    def holds(path) -> bool:
        if isinstance(path, int):
            return False
        path = os.path.abspath(os.fsdecode(path))
        return any(h == path or h.startswith(path + os.sep) for h in held)

    def refuse(path):
        raise PermissionError(errno.EACCES, _IN_USE, os.fsdecode(path))

    def moving(real):
        def move(src, dst, *args, **kwargs):
            if holds(src) or holds(dst):
                refuse(src)
            return real(src, dst, *args, **kwargs)

        return move

    real_os_open, real_open = os.open, builtins.open

    def os_open(path, flags, *args, **kwargs):
        if flags & _WRITE_FLAGS and holds(path):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def open_(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+") and holds(file):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(os, "rename", moving(os.rename))
    monkeypatch.setattr(os, "replace", moving(os.replace))
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
