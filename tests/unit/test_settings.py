"""Settings: defaults, overrides, loud failures, no secrets printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import InvalidSetting
from bot.settings import load_settings, read_dotenv


def test_defaults_are_the_embedded_sqlite_stack(tmp_path: Path) -> None:
    settings = load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path)}, dotenv=tmp_path / "none")
    assert settings.database_url == f"sqlite:///{tmp_path}/parley.db"
    assert settings.tracker_store_url == f"sqlite:///{tmp_path}/tracker.db"
    assert (settings.rasa_port, settings.actions_port, settings.default_region) == (
        5005,
        5055,
        "US",
    )


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nPARLEY_DEFAULT_REGION=GB\nexport PARLEY_COMPANY_NAME='Acme'\n")
    settings = load_settings(
        environ={"PARLEY_DATA_DIR": str(tmp_path), "PARLEY_DEFAULT_REGION": "de"}, dotenv=dotenv
    )
    assert (settings.default_region, settings.company_name) == ("DE", "Acme")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("PARLEY_RASA_PORT", "http"),
        ("PARLEY_DEFAULT_REGION", "Narnia"),
        ("DATABASE_URL", "mysql://x/y"),
        ("PARLEY_PRIVACY_URL", "ftp://x"),
    ],
)
def test_invalid_setting_fails_naming_the_key(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(InvalidSetting, match=key):
        load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path), key: value}, dotenv=tmp_path / "x")


def test_secrets_never_print(tmp_path: Path) -> None:
    settings = load_settings(
        environ={"PARLEY_DATA_DIR": str(tmp_path), "PARLEY_RASA_TOKEN": "hunter2"},
        dotenv=tmp_path / "x",
    )
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.describe())
    assert settings.rasa_token.value == "hunter2"


def test_generated_token_is_kept_private_and_stable(tmp_path: Path) -> None:
    first = load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path)}, dotenv=tmp_path / "x")
    second = load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path)}, dotenv=tmp_path / "x")
    assert first.rasa_token == second.rasa_token
    assert (tmp_path / "rasa_token").stat().st_mode & 0o077 == 0


def test_bad_dotenv_line_names_the_line(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("GOOD=1\nthis is not a setting\n")
    with pytest.raises(InvalidSetting, match=r"\.env:2"):
        read_dotenv(dotenv)


def test_env_example_documents_every_setting() -> None:
    import re

    from bot.settings import PROJECT_ROOT

    read = set(
        re.findall(
            r'"((?:PARLEY_|DATABASE_)[A-Z_]+)"', (PROJECT_ROOT / "bot" / "settings.py").read_text()
        )
    )
    documented = set(
        re.findall(r"^#? ?([A-Z_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
    )
    assert read and read <= documented, read - documented


def test_twilio_is_off_by_default_and_its_token_never_prints(tmp_path: Path) -> None:
    base = {"PARLEY_DATA_DIR": str(tmp_path)}
    assert not load_settings(environ=base, dotenv=tmp_path / "x").twilio.configured
    settings = load_settings(
        environ={
            **base,
            "TWILIO_AUTH_TOKEN": "hunter2",
            "PARLEY_PUBLIC_URL": "https://bot.example.com/",
            "TWILIO_WHATSAPP_FROM": "+14155238886",
        },
        dotenv=tmp_path / "x",
    )
    assert settings.twilio.configured and settings.twilio.public_url == "https://bot.example.com"
    assert settings.twilio.whatsapp_from == "whatsapp:+14155238886"
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.describe())


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TWILIO_SMS_FROM", "555-0100"),
        ("PARLEY_PUBLIC_URL", "bot.example.com"),
        ("PARLEY_REDIS_URL", "localhost:6379"),
        ("PARLEY_LOG_FORMAT", "xml"),
        ("PARLEY_LOG_PERSONAL_DATA", "yes"),
        ("PARLEY_SEND_LEASE_SECONDS", "5"),
    ],
)
def test_invalid_twilio_setting_fails_naming_the_key(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(InvalidSetting, match=key):
        load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path), key: value}, dotenv=tmp_path / "x")


def test_child_processes_see_every_setting(tmp_path: Path) -> None:
    """What `parley run` exports for Rasa and the action server reads back identically."""
    from bot.stack import child_env

    environ = {
        "PARLEY_DATA_DIR": str(tmp_path),
        "PARLEY_COMPANY_NAME": "Acme",
        "TELEGRAM_BOT_TOKEN": "123456:abcdefghijklmnopqrstuvwxyz",
        "TELEGRAM_WEBHOOK_SECRET": "a-secret-of-sixteen",
        "PARLEY_WEBCHAT_ORIGINS": "https://a.example,https://b.example",
        "PARLEY_SMTP_HOST": "smtp.example.com",
        "PARLEY_SMTP_PASSWORD": "pw",
        "PARLEY_MAIL_FROM": "bot@example.com",
        "PARLEY_SALES_EMAIL": "sales@example.com",
        "PARLEY_HANDOFF_URL": "https://crm.example.com/hook",
        "PARLEY_HANDOFF_SECRET": "0123456789abcdef0123",
        "TWILIO_AUTH_TOKEN": "tok",
        "PARLEY_REDIS_URL": "redis://127.0.0.1:6379/3",
        "PARLEY_LOG_FORMAT": "text",
        "PARLEY_LOG_PERSONAL_DATA": "show",
        "PARLEY_SEND_LEASE_SECONDS": "45",
    }
    settings = load_settings(environ=environ, dotenv=tmp_path / "none.env")
    assert load_settings(environ=child_env(settings), dotenv=tmp_path / "none.env") == settings
