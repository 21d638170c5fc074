"""The trained Rasa model: is it current, and training it when it is not.

A model is named after a fingerprint of everything that shapes it (config, domain,
training data, Rasa's version), so "stale" is a file lookup and a test run, `parley run`
and CI all reuse one trained model until something it depends on changes.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bot.errors import ParleyError

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
MODEL_PREFIX = "parley-"
KEEP_MODELS = 6


@dataclass
class TrainingFailed(ParleyError):
    exit_code: int

    def __str__(self) -> str:
        return f"rasa train failed with exit code {self.exit_code}; see its output above"


def training_files(root: Path) -> Iterator[Path]:
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in {".yml", ".yaml"})


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"rasa=={metadata.version('rasa')}\n".encode())
    for path in training_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path, models_dir: Path | None = None) -> Path:
    return (models_dir or root / "models") / f"{MODEL_PREFIX}{fingerprint(root)}.tar.gz"


def is_stale(root: Path, models_dir: Path | None = None) -> bool:
    return not model_path(root, models_dir).is_file()


def cache_dir(models_dir: Path) -> Path:
    """Rasa's training cache, shared by every content tree that trains into `models_dir`:
    a studio publish that changed only responses or the form order reuses every trained
    component (Rasa prunes both from what its policies see) and only repackages."""
    return models_dir.parent / ".rasa" / "cache"


def rasa_env(models_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RASA_CACHE_DIRECTORY": str(cache_dir(models_dir)),
        "RASA_TELEMETRY_ENABLED": "false",
    }


def train(
    root: Path,
    models_dir: Path | None = None,
    *,
    force: bool = False,
    on_output: Callable[[str], None] | None = None,
    keep: Iterable[Path] = (),
) -> Path:
    """Train unless a model for the current inputs exists; return the model's path.

    With `on_output`, Rasa's output goes to it line by line (progress bars included)
    instead of the terminal. Old models are pruned, except those in `keep`."""
    target = model_path(root, models_dir)
    if target.is_file() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(root / "config.yml"),
        "--domain", str(root / "domain.yml"),
        "--data", str(root / "data"),
        "--out", str(target.parent),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    env = rasa_env(target.parent)
    if on_output is None:
        # Rasa prints its own progress bars; they go straight to the terminal.
        returncode = subprocess.run(command, cwd=root, check=False, env=env).returncode
    else:
        returncode = _run_reporting(command, root, env, on_output)
    if returncode != 0 or not target.is_file():
        raise TrainingFailed(returncode)
    prune_old_models(target, keep)
    return target


def _run_reporting(
    command: list[str], cwd: Path, env: dict[str, str], on_output: Callable[[str], None]
) -> int:
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as process:
        assert process.stdout is not None
        pending = b""
        # Progress bars redraw with carriage returns: each redraw is a line here.
        while chunk := process.stdout.read1(4096):  # type: ignore[attr-defined]
            pending += chunk
            *lines, pending = re.split(rb"[\r\n]", pending)
            for line in lines:
                if line.strip():
                    on_output(line.decode("utf-8", "replace").rstrip())
        if pending.strip():
            on_output(pending.decode("utf-8", "replace").rstrip())
        return process.wait()


def prune_old_models(current: Path, keep: Iterable[Path] = ()) -> None:
    """Keep the newest KEEP_MODELS models beside `current`, and `current` and `keep`
    whatever their age (the studio keeps the live model even after many drafts)."""
    spared = {current, *keep}
    models = sorted(current.parent.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-KEEP_MODELS]:
        if old not in spared:
            old.unlink(missing_ok=True)
