"""The one shape of progress reports and cancel checks that long jobs (imports, reclassify, backfill) take."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total, what)``: ``done`` of ``total`` steps finished, ``what`` names the step (a file, say).
Progress = Callable[[int, int, str], None]
#: ``cancel()`` is True once the user asked to stop; a job checks it between steps (each step commits whole).
Cancel = Callable[[], bool]

__all__ = ["Cancel", "Progress"]
