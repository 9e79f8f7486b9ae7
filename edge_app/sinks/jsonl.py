"""The JSON-lines log: one object per frame, flushed as each frame ends."""
from __future__ import annotations

import json
import os


class JsonlSink:
    needs_picture = False

    def __init__(self, path: str):
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        # Lines are appended to a fresh file one whole line at a time, so a crash loses
        # at most the frame being written and every earlier line still parses.
        self._file = open(path, "w", encoding="utf-8")

    def write(self, result, picture=None) -> None:
        self._file.write(json.dumps(result.log_record(), separators=(", ", ": ")) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()
