"""Progress of a long loop in words a person can watch: done of total, rate, time left."""

import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    total: int
    label: str = "articles"
    done: int = 0
    started: float = field(default_factory=time.perf_counter)

    def advance(self, count: int) -> str:
        """Count `count` more done; the line to log."""
        self.done += count
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        share = self.done / self.total if self.total else 1.0
        return (f"{self.done:,} of {self.total:,} {self.label} ({share:.0%}), "
                f"{rate:,.1f} {self.label}/s, {_duration(elapsed)} elapsed, "
                f"about {_duration(left)} left")


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
