"""Workers pick up campaign definitions the studio publishes, and refuse broken ones."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.settings import PROJECT_ROOT
from campaigns.worker import CampaignFiles


def _copy(tmp_path: Path) -> Path:
    directory = tmp_path / "campaigns"
    directory.mkdir()
    for path in (PROJECT_ROOT / "campaigns").glob("*.yml"):
        shutil.copy2(path, directory / path.name)
    return directory


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    # Some filesystems keep coarse mtimes: make the change visible whatever the clock.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_unchanged_files_are_not_reloaded(tmp_path: Path) -> None:
    assert CampaignFiles(_copy(tmp_path)).reloaded() is None


def test_an_edited_campaign_is_reloaded(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    files = CampaignFiles(directory)
    welcome = directory / "welcome.yml"
    _touch(
        welcome, welcome.read_text().replace("Want a 20-minute demo?", "Fancy a 15-minute demo?")
    )
    campaigns = files.reloaded()
    assert campaigns is not None
    assert "Fancy a 15-minute demo?" in repr(campaigns)
    assert files.reloaded() is None


def test_a_broken_campaign_is_refused_and_the_running_set_kept(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    files = CampaignFiles(directory)
    _touch(directory / "welcome.yml", "name: [not, a, campaign\n")
    assert files.reloaded() is None
    # Mended afterwards: picked up on the next look.
    shutil.copy2(PROJECT_ROOT / "campaigns" / "welcome.yml", directory / "welcome.yml")
    _touch(directory / "welcome.yml", (directory / "welcome.yml").read_text())
    assert files.reloaded() is not None
