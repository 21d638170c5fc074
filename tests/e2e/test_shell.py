"""`parley shell` holds a conversation with the running Parley from a terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.stack import settings_env
from tests.e2e.conftest import Stack, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_shell_talks_to_the_running_parley_and_buttons_work(stack: Stack) -> None:
    env = {**os.environ, **settings_env(stack.settings)}
    script = "hello\n1\nRuth Okafor\n/exit\n"
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "shell", "--sender", "shell-test"],
        input=script,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "automated assistant" in result.stdout
    assert "1) Book a demo" in result.stdout
    assert "What's your name?" in result.stdout and "email" in result.stdout
    contact = stack.store.contacts.for_identity("rest", rest_id("shell-test"))
    assert contact is not None and contact.name == "Ruth Okafor"
