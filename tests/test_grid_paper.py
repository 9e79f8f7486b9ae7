"""Squared (grid) paper, which real-dev lacks: pages made like the bundled sample, with a
printed 1-pixel grid under the ink, seen through the same camera simulation."""
import os
import sys

import numpy as np
from edge_app.frames import Frame
from edge_app.pipeline import Pipeline
from edge_app.scoring import match

from conftest import MNIST_SMALL, ROOT

sys.path.insert(0, os.path.join(ROOT, "samples"))
import make_sample as sample  # noqa: E402


def grid_page(seed):
    rng = np.random.default_rng(100 + seed)
    with np.load(MNIST_SMALL) as d:
        digits, labels = d["x_test"], d["y_test"]
    ink = (40, 30, 25) if seed % 2 else (150, 60, 20)  # black and blue ballpoint
    page, true_digits, numbers = sample.write_page(rng, digits, labels, sample.W, sample.H, ink,
                                                   [(2, 44), (2, 40), (1, 50), (2, 38)])
    grid = np.ones((sample.H, sample.W), np.float32)
    step = int(rng.integers(18, 28))
    grid[:, ::step] = 0.8
    grid[::step, :] = 0.8
    written = page.min(axis=2) < 180
    page = np.where(written[..., None], page, page * grid[..., None] * np.array([1.0, 0.97, 0.9], np.float32))
    view = sample.view(rng, jitter=8)
    image = sample.camera(rng, page, sample.lighting(rng, sample.H, sample.W), view, 1, 85)
    return image, sample.frame_truth(true_digits, numbers, view)


def test_grid_paper_reads_the_digits_not_the_grid(classifier):
    totals = {"correct": 0, "truth": 0, "spurious": 0, "detected": 0}
    pipeline = Pipeline(classifier)
    for seed in range(4):
        image, truth = grid_page(seed)
        counts = match(pipeline.process(Frame(image, 0, 0.0, "grid")).log_record()["detections"], truth["digits"])
        for key in totals:
            totals[key] += counts[key]
    assert totals["correct"] >= 0.9 * totals["truth"], totals
    assert totals["spurious"] <= 0.1 * totals["detected"], totals


def test_a_page_with_more_digits_than_the_old_cap_of_48_is_read_whole(classifier):
    """The candidate cap bounds a frame's time; it must not cut a dense page short (a
    sticky note of 64 digits lost 17 of them to a cap of 48)."""
    rng = np.random.default_rng(7)
    with np.load(MNIST_SMALL) as d:
        digits, labels = d["x_test"], d["y_test"]
    page, true_digits, numbers = sample.write_page(rng, digits, labels, sample.W, sample.H, (40, 30, 25), [(3, 30)] * 7)
    truth = sample.frame_truth(true_digits, numbers, sample.view(rng, jitter=0))
    assert len(truth["digits"]) > 48
    image = np.clip(page, 0, 255).astype(np.uint8)
    counts = match(Pipeline(classifier).process(Frame(image, 0, 0.0, "dense")).log_record()["detections"], truth["digits"])
    assert counts["correct"] >= 0.9 * counts["truth"], counts
