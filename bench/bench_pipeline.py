#!/usr/bin/env python3
"""Pipeline speed on the 640x480 sample video: fps, ms per stage, median and worst
frame; batched vs one-invoke-per-crop classification, colour vs grey frames (what the
Pi camera gives), and the classifier on every core vs one, in the same run; peak memory
of `edge-app replay`. Ratios within this run are the figures to compare.

    python bench/bench_pipeline.py [--video samples/sample.mp4] [--passes 3]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app.classify import Classifier, usable_cores  # noqa: E402
from edge_app.frames import Frame  # noqa: E402
from edge_app.heap import keep_frame_memory  # noqa: E402
from edge_app.pipeline import Pipeline  # noqa: E402
from edge_app.sources import open_replay  # noqa: E402


# Instructions that do int8 dot products, as /proc/cpuinfo names them: XNNPACK's int8
# convolutions are several times faster with them (VNNI on x86, the dot product on
# Armv8.2: a Pi 5's Cortex-A76 has it, a Pi 4's Cortex-A72 has not).
INT8_DOT = ("avx512_vnni", "avx_vnni", "asimddp")


def machine() -> str:
    """The CPU, its usable cores and its int8 dot-product instructions, as one line:
    the classifier's share of a frame depends on them more than on anything else."""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return f"{platform.machine()}, {usable_cores()} usable cores (no /proc/cpuinfo)"
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                  if line.startswith(("model name", "Model"))), platform.machine())
    flags = set(" ".join(line.split(":", 1)[1] for line in info.splitlines()
                         if line.startswith(("flags", "Features"))).split())
    dot = ", ".join(sorted(flags & set(INT8_DOT))) or "none"
    return f"{model} ({platform.machine()}), {usable_cores()} usable cores, int8 dot-product instructions: {dot}"


def frames_of(path):
    source = open_replay(path)
    frames = list(source.frames())
    source.close()
    return frames


def run_pass(pipeline, frames, one_by_one=False):
    classifier = pipeline.classifier
    if one_by_one:
        pipeline.classifier = type("OneByOne", (), {"predict": classifier.predict_one_by_one, "info": classifier.info})()
    totals, stages, candidates = [], [], []
    try:
        for frame in frames:
            t = time.perf_counter()
            result = pipeline.process(frame)
            totals.append((time.perf_counter() - t) * 1e3)
            stages.append(result.ms)
            candidates.append(len(result.boxes))
    finally:
        pipeline.classifier = classifier
    return np.array(totals), stages, candidates


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--video", default=os.path.join(ROOT, "samples", "sample.mp4"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "digits_int8.tflite"))
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--default-heap", action="store_true", help="Leave glibc's allocator thresholds as they are (the app raises them).")
    a = ap.parse_args()
    # Measured first: a child's peak counts the parent's pages it was forked with, and
    # this process grows with the frames it holds.
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "edge-app"), "replay", a.video, "--quiet"],
                   check=True, capture_output=True)
    replay_peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if not a.default_heap:
        print(f"allocator thresholds raised as in the app: {keep_frame_memory()}")
    frames = frames_of(a.video)
    h, w = frames[0].image.shape[:2]
    pipeline = Pipeline(Classifier.from_path(a.model))
    run_pass(pipeline, frames[:3])  # warm-up
    batched = [run_pass(pipeline, frames) for _ in range(a.passes)]
    single = [run_pass(pipeline, frames, one_by_one=True) for _ in range(a.passes)]
    total = np.concatenate([b[0] for b in batched])
    stages = [s for b in batched for s in b[1]]
    per_frame_digits = np.mean(batched[0][2])
    print(f"machine: {machine()}")
    print(f"{len(frames)} frames of {w}x{h}, {a.passes} passes, {per_frame_digits:.1f} classified crops per frame")
    print(f"whole pipeline, batched:    median {np.median(total):6.2f} ms  worst {total.max():6.2f} ms  -> {1000 / np.median(total):5.1f} fps")
    one = np.concatenate([s[0] for s in single])
    print(f"whole pipeline, one-by-one: median {np.median(one):6.2f} ms  worst {one.max():6.2f} ms  -> {1000 / np.median(one):5.1f} fps")
    for key in stages[0]:
        values = [s[key] for s in stages]
        print(f"  {key:10s} median {np.median(values):6.2f} ms")
    # The Pi camera's lores stream gives the Y plane: the same frames in grey.
    grey_frames = [Frame(cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY), f.index, f.timestamp, f.source) for f in frames]
    grey = np.concatenate([run_pass(pipeline, grey_frames)[0] for _ in range(a.passes)])
    print(f"whole pipeline, grey frames (the Pi camera's Y plane): median {np.median(grey):6.2f} ms  worst {grey.max():6.2f} ms")
    b_cls = np.median([s["classify"] for b in batched for s in b[1]])
    s_cls = np.median([s["classify"] for b in single for s in b[1]])
    print(f"classify: batched {b_cls:.2f} ms vs one invoke per crop {s_cls:.2f} ms ({s_cls / b_cls:.1f}x)")
    # The classifier on one thread against the default (every usable core), alternated
    # pass by pass so that both meet the same noise.
    one_thread = Pipeline(Classifier.from_path(a.model, num_threads=1))
    run_pass(one_thread, frames[:3])
    threaded, unthreaded = [], []
    for _ in range(a.passes):
        threaded.append(run_pass(pipeline, frames)[0])
        unthreaded.append(run_pass(one_thread, frames)[0])
    threaded, unthreaded = np.median(np.concatenate(threaded)), np.median(np.concatenate(unthreaded))
    print(f"classifier threads: {usable_cores()} (default) median {threaded:.2f} ms vs 1 thread {unthreaded:.2f} ms "
          f"({unthreaded / threaded:.2f}x)")
    print(f"peak memory of `edge-app replay`: {replay_peak_mib:.0f} MiB (max resident set size)")


if __name__ == "__main__":
    main()
