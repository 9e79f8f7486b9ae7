"""A frame as it flows through the pipeline."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR uint8 (H, W, 3) or greyscale (H, W)
    index: int  # position in its source, from 0
    timestamp: float  # seconds: position in a video, wall-clock offset for cameras
    source: str  # file path or camera uri, as written in the log
    # A larger picture of the same moment to draw the overlay on (the Pi camera's main
    # stream, while the pipeline reads its small lores stream); None: draw on ``image``.
    display: np.ndarray | None = None
