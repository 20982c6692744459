"""The end-to-end bench's peak memory is the refresh's own, not the bench's: a child started by a big parent
reports its own high-water mark (getrusage's ru_maxrss would carry the parent's size over fork and exec)."""
from __future__ import annotations

import subprocess
import sys

from tests.factories import ROOT

CHILD = "from bench.e2e import high_water_gb; import resource; print(high_water_gb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2)"


def test_a_child_of_a_big_parent_reports_its_own_peak():
    held = bytearray(800 * 1024**2)
    held[:: 4096] = b"x" * len(held[:: 4096])  # resident, page by page
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    own, carried = float(out[0]), float(out[1])
    assert carried >= 0.78  # what the bench used to report: the parent's 800 MB
    assert own < 0.6  # the child's own peak: an interpreter with the bench's imports
    del held
