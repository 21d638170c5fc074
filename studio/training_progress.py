"""How far a `rasa train` has got, read from its output: the component being trained, its
epochs, and an estimate of the whole (DIET and TED, the components trained in epochs,
take nearly all of the time: bench/README's training section).

The estimate moves through fixed bands: preparing and the featurizers up to 10%, the
intent classifier to 70%, the dialogue policies to 95%, packaging the rest. It is an
estimate, and the page says "about".
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

# (first words of the component's name, where its band starts, where it ends)
_BANDS = (
    ("DIETClassifier", 0.10, 0.70),
    ("TEDPolicy", 0.72, 0.95),
)
_STARTED = re.compile(r"Starting to train component '([^']+)'")
_FINISHED = re.compile(r"Finished training component '([^']+)'")
_EPOCHS = re.compile(r"Epochs:\s+(\d+)%\|[^|]*\|\s*(\d+)/(\d+)")
_SAVED = re.compile(r"model is trained and saved", re.IGNORECASE)


@dataclass
class TrainingProgress:
    started: float = field(default_factory=time.monotonic)
    stage: str = "preparing"
    epoch: int = 0
    epochs: int = 0
    fraction: float = 0.0

    def feed(self, line: str) -> None:
        if found := _STARTED.search(line):
            self.stage, self.epoch, self.epochs = found.group(1), 0, 0
            self.fraction = max(self.fraction, self._band(self.stage)[0])
        elif found := _FINISHED.search(line):
            self.fraction = max(self.fraction, self._band(found.group(1))[1])
        elif bars := _EPOCHS.findall(line):
            _, done, total = bars[-1]  # a progress bar line holds many redraws
            self.epoch, self.epochs = int(done), int(total)
            low, high = self._band(self.stage)
            if total != "0":
                self.fraction = max(self.fraction, low + (high - low) * int(done) / int(total))
        elif _SAVED.search(line):
            self.stage, self.fraction = "saved", 1.0

    def _band(self, component: str) -> tuple[float, float]:
        for name, low, high in _BANDS:
            if component.startswith(name):
                return low, high
        # Components before DIET (featurizers) fill 0-10%; after TED, packaging 95-100%.
        return (0.0, 0.10) if self.fraction < 0.70 else (0.95, 0.97)

    @property
    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 1)

    def as_json(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "epoch": self.epoch,
            "epochs": self.epochs,
            "percent": round(self.fraction * 100),
            "elapsed": self.elapsed,
        }

    def describe(self) -> str:
        """One line for the page and the command line."""
        epochs = f", epoch {self.epoch} of {self.epochs}" if self.epochs else ""
        return (
            f"training {self.stage}{epochs} · about {round(self.fraction * 100)}% · "
            f"{duration(self.elapsed)} elapsed"
        )


def duration(seconds: float) -> str:
    """ "2 min 5 s", or "45 s" under a minute."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
