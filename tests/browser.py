"""Debian's headless Chromium for the browser tests, and where their screenshots go."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# CI keeps these as the run's artifacts (`results/` is not committed).
SCREENSHOTS = Path(os.environ.get("PARLEY_SCREENSHOTS", PROJECT_ROOT / "results" / "screenshots"))


def has_chromium() -> bool:
    return os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)


def require_chromium() -> None:
    """Skip the module without Chromium, except in CI, where it must be there."""
    if has_chromium():
        return
    if os.environ.get("CI"):
        raise RuntimeError(
            "CI needs Debian's chromium and chromium-driver (./parley test installs them)"
        )
    pytest.skip("Debian's chromium/chromium-driver are not installed", allow_module_level=True)


@contextmanager
def chromium(width: int = 1280, height: int = 900, *, console: bool = False) -> Iterator[object]:
    """A headless Chromium; with `console`, its console log is kept (`get_log("browser")`)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver
    profile = tempfile.mkdtemp(prefix="parley-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--window-size={width},{height}", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path
