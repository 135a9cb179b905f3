# SPDX-License-Identifier: MIT
"""scripts/benchlib.py - what bench-host.py and bench-report.py both need."""
import platform


def cpu_name():
    """The host CPU's model name, as /proc/cpuinfo gives it."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()
