"""Jobs for the worker-pool tests: each misbehaves in one way a simulation could."""

from __future__ import annotations

import ctypes
import os
import time


def square(x: int) -> int:
    return x * x


def pid() -> int:
    return os.getpid()


def spin(seconds: float) -> float:
    """Use CPU for ``seconds`` of CPU time (or until stopped)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 2**20)
    return len(block)


def segfault() -> None:
    ctypes.string_at(0)


def fail() -> None:
    raise ValueError("a bug in the job")
