"""The model fingerprint follows exactly the files that shape the model."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot import rasa_model
from bot.settings import PROJECT_ROOT


def copy_inputs(target: Path) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, target / name)
    shutil.copytree(PROJECT_ROOT / "data", target / "data")
    return target


def test_fingerprint_is_stable_and_follows_training_data(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    before = rasa_model.fingerprint(root)
    assert rasa_model.fingerprint(root) == before
    (root / "README.md").write_text("docs do not change the model")
    assert rasa_model.fingerprint(root) == before
    with (root / "data" / "nlu.yml").open("a") as nlu:
        nlu.write("\n")
    assert rasa_model.fingerprint(root) != before


def test_stale_until_a_model_with_the_fingerprint_exists(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    assert rasa_model.is_stale(root)
    target = rasa_model.model_path(root)
    target.parent.mkdir()
    target.write_bytes(b"")
    assert not rasa_model.is_stale(root)
    assert rasa_model.train(root) == target  # current: nothing is trained
