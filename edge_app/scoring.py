"""Compare a frame's detections with ground truth boxes: for tests and benchmarks."""
from __future__ import annotations

import numpy as np


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise IoU of boxes a (N, 4) and b (M, 4) given as x, y, w, h."""
    a = np.asarray(a, float).reshape(-1, 4)
    b = np.asarray(b, float).reshape(-1, 4)
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 0] + a[:, None, 2], b[None, :, 0] + b[None, :, 2])
    y1 = np.minimum(a[:, None, 1] + a[:, None, 3], b[None, :, 1] + b[None, :, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None] - inter
    return inter / np.maximum(union, 1e-9)


def match(detections: list, truth: list, min_iou: float = 0.4) -> dict:
    """Greedy one-to-one matching by IoU. Returns counts: correct, found, spurious, truth, detected."""
    if not truth or not detections:
        return {"correct": 0, "found": 0, "spurious": len(detections), "truth": len(truth), "detected": len(detections)}
    overlap = iou([d["box"] for d in detections], [t["box"] for t in truth])
    pairs = []
    used_d, used_t = set(), set()
    for flat in np.argsort(-overlap, axis=None):
        i, j = np.unravel_index(flat, overlap.shape)
        if overlap[i, j] < min_iou:
            break
        if i in used_d or j in used_t:
            continue
        used_d.add(i)
        used_t.add(j)
        pairs.append((i, j))
    correct = sum(detections[i]["digit"] == truth[j]["digit"] for i, j in pairs)
    return {"correct": correct, "found": len(pairs), "spurious": len(detections) - len(pairs), "truth": len(truth), "detected": len(detections)}
