#!/usr/bin/env python3
"""Float vs int8 accuracy on the full MNIST test set, and latency per interpreter.

All figures come from one run on one machine, so compare them with each other (ratios),
not with figures from another run.

    python bench/bench_model.py --data ../shared/datasets/mnist.npz
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app.classify import Classifier  # noqa: E402
from edge_app.runtimes import PREFERENCE, available  # noqa: E402


def timed(fn, repeats):
    fn()  # warm-up: allocation, delegate set-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("PI_DIGITS_MNIST", os.path.join(ROOT, "..", "shared", "datasets", "mnist.npz")))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "digits_int8.tflite"))
    ap.add_argument("--keras", default=os.path.join(ROOT, "models", "digits_float.keras"))
    ap.add_argument("--repeats", type=int, default=200)
    a = ap.parse_args()
    with np.load(a.data) as d:
        x, y = d["x_test"], d["y_test"]
    one, batch = x[:1], x[:32]
    print(f"MNIST test images: {len(x)}; installed interpreters: {', '.join(available()) or 'none'} (of {', '.join(PREFERENCE)})")
    print(f"{'model / runtime':28s} {'accuracy':>9s} {'1 image ms':>11s} {'batch 32 ms':>12s} {'per image in batch ms':>22s}")
    for runtime in available():
        clf = Classifier.from_path(a.model, runtime=runtime)
        accuracy = float((clf.predict(x).digits == y).mean())
        single = timed(lambda: clf.predict(one), a.repeats)
        batched = timed(lambda: clf.predict(batch), a.repeats // 4)
        print(f"{'int8 tflite / ' + runtime:28s} {accuracy:9.4f} {single * 1e3:11.3f} {batched * 1e3:12.3f} {batched / 32 * 1e3:22.4f}")
    if os.path.isfile(a.keras):
        import keras

        model = keras.models.load_model(a.keras)
        xf = (x.astype(np.float32) / 255)[..., None]
        accuracy = float((model.predict(xf, batch_size=512, verbose=0).argmax(1) == y).mean())
        single = timed(lambda: model(xf[:1], training=False), a.repeats // 4)
        batched = timed(lambda: model(xf[:32], training=False), a.repeats // 8)
        print(f"{'float keras':28s} {accuracy:9.4f} {single * 1e3:11.3f} {batched * 1e3:12.3f} {batched / 32 * 1e3:22.4f}")
    else:
        print(f"(no Keras model at {a.keras}: float row skipped)")


if __name__ == "__main__":
    main()
