"""A :class:`~uprhub.recommendations.importers.base.Progress` that draws a tqdm bar."""

from __future__ import annotations

from typing import IO, Any


class TqdmProgress:
    """Progress bar on ``stream`` (stderr) for large files only; small ones finish too fast for a
    bar to help. One object can follow several imports in a row (a new bar per file)."""

    LARGE = 2000  # rows

    def __init__(self, stream: IO[str], *, enabled: bool = True, label: str = "") -> None:
        self.stream = stream
        self.enabled = enabled
        self.label = label
        self.bar: Any = None
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or max(done, total) < self.LARGE:
            return
        if self.bar is None or total != self.total or done < self.bar.n:
            from tqdm import tqdm

            self.close()
            self.total = total
            self.bar = tqdm(
                total=total or None,
                file=self.stream,
                unit=" rows",
                desc=self.label or None,
                leave=False,
                dynamic_ncols=True,
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
