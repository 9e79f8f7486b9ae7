"""Keep the frame loop's memory mapped between frames.

Each frame allocates and frees a few megabytes of full-resolution temporaries. glibc
gives blocks that large back to the kernel as soon as they are freed (mmap'd blocks,
and trimming the top of the heap), so every frame faults in freshly zeroed pages
again: about a fifth of the frame time in `bench/bench_pipeline.py`. Raised thresholds
keep those blocks in the heap, where the next frame reuses them. The price is a
resident size that stays at its peak, which a long-running camera app reaches anyway.
"""
from __future__ import annotations

import ctypes
import ctypes.util

# glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# glibc's upper bound for the mmap threshold on 64-bit; a 1280x960 float32 map is 5 MiB.
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20


def keep_frame_memory() -> bool:
    """Raise the allocator's thresholds; False where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "mallopt"):  # musl, macOS: their allocators have no such knobs
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
