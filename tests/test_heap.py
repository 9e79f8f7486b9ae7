"""The app raises glibc's allocator thresholds so frames reuse mapped memory."""
import platform

import pytest

from edge_app import heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_accepts_the_thresholds():
    # glibc refuses an mmap threshold above its own maximum (32 MiB on 64-bit) by
    # returning 0; the app would then silently keep paying for page faults.
    assert heap.keep_frame_memory()
