"""Replay a folder of photos with the app and score the log with the shared scorer:
what the real-dev benches have in common."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def scorer_summary(folder: str, per_image: bool = False) -> str:
    """The scorer's summary line for `edge-app replay` of the photos in ``folder`` (the
    log is written there too); with ``per_image``, its line for each photo before it."""
    log = os.path.join(folder, "log.jsonl")
    edge_app = os.path.join(os.path.dirname(sys.executable), "edge-app")
    subprocess.run([edge_app, "replay", folder, "--no-show", "--quiet", "--jsonl", log], check=True, capture_output=True)
    scorer = os.path.join(SHARED, "tools", "score_photos.py")
    command = [sys.executable, scorer, log] + (["--verbose"] if per_image else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return output.strip() if per_image else output.strip().splitlines()[-1]
