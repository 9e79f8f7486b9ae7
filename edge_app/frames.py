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
