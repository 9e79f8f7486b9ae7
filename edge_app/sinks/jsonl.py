"""The JSON-lines log: one object per frame, each line written whole and at once."""
from __future__ import annotations

import errno
import json
import os


class JsonlSink:
    needs_picture = False

    def __init__(self, path: str):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.path = path
        # Unbuffered: each frame's line goes to the file in one write as the frame ends,
        # so a crash loses at most the line being written.
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self._whole = 0  # bytes up to the end of the last whole line

    def write(self, result, picture=None) -> None:
        line = (json.dumps(result.log_record(), separators=(", ", ": ")) + "\n").encode("utf-8")
        try:
            written = os.write(self._fd, line)
            if written < len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError:
            # A full disk or a file-size limit: cut the file back to its last whole line,
            # so every line in it still parses, and let the caller stop this sink.
            os.ftruncate(self._fd, self._whole)
            raise
        self._whole += written

    def close(self) -> None:
        os.close(self._fd)
