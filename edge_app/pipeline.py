"""The pipeline: source -> locate -> normalise -> classify -> read -> annotate -> sinks.

A frame flows one way through these stages. `Pipeline.process` does the per-frame work;
`run` drives a source into sinks and is what both replay and live capture call.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import split
from .classify import Classifier
from .contract import normalise_and_count_holes
from .frames import Frame
from .locate import Locator, LocateSettings
from .read import Reading, read_lines, reject_text_lines, union_box


# A digit's ink encloses two holes at most (an 8); a retraced or outlined one a few more
# (real-dev: 5, page 12's outlined 2). The crack network of lit leather beside a sheet
# encloses 8 and 15 (pages 04 and 06: false digits, the only detections this drops).
TEXTURE_HOLES = 6


@dataclass
class FrameResult:
    frame: Frame
    boxes: np.ndarray  # (N, 4) every classified candidate
    digits: np.ndarray  # (N,)
    confidences: np.ndarray  # (N,)
    accepted: np.ndarray  # (N,) bool: confident enough to count as a digit
    readings: list[Reading]
    ms: dict
    inputs: np.ndarray = field(repr=False)  # (N, 28, 28) normalised digits
    probabilities: np.ndarray = field(repr=False)  # (N, 10)

    def log_record(self) -> dict:
        """One line of the JSON-lines log."""
        detections, rejected = [], []
        for box, digit, conf, ok in zip(self.boxes.tolist(), self.digits.tolist(), self.confidences.tolist(), self.accepted.tolist()):
            if ok:
                detections.append({"box": box, "digit": int(digit), "confidence": round(float(conf), 4)})
            else:
                rejected.append({"box": box, "confidence": round(float(conf), 4)})
        return {
            "source": self.frame.source,
            "frame": self.frame.index,
            "t": self.frame.timestamp,
            "detections": detections,
            "rejected": rejected,
            "readings": [{"text": r.text, "box": list(r.box)} for r in self.readings],
            "ms": {k: round(v, 2) for k, v in self.ms.items()},
        }


class Pipeline:
    def __init__(self, classifier: Classifier, locate: LocateSettings = LocateSettings(), min_confidence: float = 0.5):
        self.classifier = classifier
        self.locator = Locator(locate)
        self.min_confidence = min_confidence

    def process(self, frame: Frame) -> FrameResult:
        ms = {}
        t0 = time.perf_counter()
        candidates = self.locator.locate(frame.image)
        t1 = time.perf_counter()
        count = len(candidates.crops)
        inputs = np.zeros((count, 28, 28), np.uint8)
        holes = np.zeros(count, np.int64)
        probabilities = np.zeros((count, len(self.classifier.info.labels)), np.float32)
        # Two rounds: the parts of a touching-digits blob are read only when the blob
        # read whole is unsure, which is rare; the choice is the same as reading all.
        first = split.first_round(candidates.groups, candidates.options)
        normalise_s, classify_s = self._classify(candidates.crops, np.flatnonzero(first), inputs, holes, probabilities)
        known = np.where(first, probabilities.max(axis=1), 1.0) if count else np.zeros(0)
        second = split.second_round(candidates.groups, candidates.options, known)
        more_normalise_s, more_classify_s = self._classify(candidates.crops, np.flatnonzero(second), inputs, holes, probabilities)
        normalise_s, classify_s = normalise_s + more_normalise_s, classify_s + more_classify_s
        t2 = time.perf_counter()
        chosen = split.choose(candidates.groups, candidates.options, probabilities.max(axis=1))
        boxes, inputs = candidates.boxes[chosen], inputs[chosen]
        upright = candidates.upright_boxes[chosen]
        probabilities = probabilities[chosen]
        confidences = probabilities.max(axis=1)
        digits = probabilities.argmax(axis=1)
        accepted = confidences >= self.min_confidence
        # An empty 28x28 means the contract found no ink: never a digit. Nor is ink that
        # encloses many holes: the crack network of leather or fabric beside a sheet.
        accepted &= inputs.reshape(len(inputs), 28 * 28).any(axis=1) & (holes[chosen] <= TEXTURE_HOLES)
        accepted = reject_text_lines(upright, accepted, confidences)
        readings = read_lines(upright[accepted], digits[accepted])
        index = np.flatnonzero(accepted)
        readings = [Reading(r.text, union_box(boxes[index[list(r.members)]]), tuple(int(index[m]) for m in r.members)) for r in readings]
        t3 = time.perf_counter()
        ms.update(locate=(t1 - t0) * 1e3, normalise=normalise_s * 1e3, classify=classify_s * 1e3, read=(t3 - t2) * 1e3)
        return FrameResult(frame, boxes, digits, confidences, accepted, readings, ms, inputs, probabilities)

    def _classify(self, crops: list, which: np.ndarray, inputs: np.ndarray, holes: np.ndarray,
                  probabilities: np.ndarray) -> tuple[float, float]:
        """Normalise and classify crops[which] into inputs, holes and probabilities;
        returns the seconds spent on each."""
        if len(which) == 0:
            return 0.0, 0.0
        t0 = time.perf_counter()
        inputs[which], holes[which] = normalise_and_count_holes([crops[i] for i in which], ink="light")
        t1 = time.perf_counter()
        probabilities[which] = self.classifier.predict(inputs[which]).probabilities
        return t1 - t0, time.perf_counter() - t1


def _close_quietly(sink, stats) -> None:
    try:
        sink.close()
    except OSError as exc:
        stats.failed_sinks.append((sink, exc))


@dataclass
class RunStats:
    frames: int = 0
    digits: int = 0
    readings: int = 0
    seconds: float = 0.0
    failed_sinks: list = field(default_factory=list)  # (sink, error) of outputs that stopped

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


def run(source, pipeline: Pipeline, sinks: list, annotate=None, on_frame=None, should_stop=lambda: False) -> RunStats:
    """Drive every frame of ``source`` through ``pipeline`` into ``sinks``."""
    stats = RunStats()
    start = time.perf_counter()
    for frame in source.frames():
        if should_stop():
            break
        result = pipeline.process(frame)
        stats.frames += 1
        stats.digits += int(result.accepted.sum())
        stats.readings += len(result.readings)
        stats.seconds = time.perf_counter() - start
        picture = None
        if annotate is not None and any(getattr(s, "needs_picture", False) for s in sinks):
            t = time.perf_counter()
            picture = annotate(result, fps=stats.fps)
            result.ms["annotate"] = (time.perf_counter() - t) * 1e3
        for sink in list(sinks):
            try:
                sink.write(result, picture)
            except OSError as exc:  # a full disk, a file-size limit: stop that output, keep going
                sinks.remove(sink)
                stats.failed_sinks.append((sink, exc))
                _close_quietly(sink, stats)
        if on_frame is not None:
            on_frame(result)
    stats.seconds = time.perf_counter() - start
    return stats
