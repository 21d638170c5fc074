"""Structured logs: personal data masked by default, JSON lines or text, and logging.yml
as Rasa and rasa-sdk apply it (dictConfig in a fresh interpreter)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from bot.logs import (
    JsonFormatter,
    PersonalDataFilter,
    TextFormatter,
    configure_logging,
    mask_text,
)
from bot.settings import PROJECT_ROOT, OpsSettings


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("+14155550123", "+•••••••••23"),
        ("+1 (415) 555-0123", "+•••••••••23"),
        ("+44 20 7946 0958", "+••••••••••58"),
        ("whatsapp:+14155550123", "whatsapp:+•••••••••23"),
        ("(415) 555-0123", "••••••••23"),
        ("415-555-0123", "••••••••23"),
        ("415.555.0123", "••••••••23"),
        ("1 415 555 0123", "•••••••••23"),
        ("4155550123", "••••••••23"),
    ],
)
def test_mask_text_keeps_the_last_two_digits_of_phone_numbers(written: str, masked: str) -> None:
    assert mask_text(f"call {written} today") == f"call {masked} today"


@pytest.mark.parametrize(
    "kept",
    [
        "2026-03-03T12:00:00Z",
        "127.0.0.1:5005",
        "epoch 1741000000",
        "order 12345",
        "v3.6.21",
        "id 5f0c2b9e-4a7d-4c1e-9b8a-2d3c4e5f6a7b",
    ],
)
def test_mask_text_leaves_dates_addresses_and_ids_alone(kept: str) -> None:
    assert mask_text(kept) == kept


def test_mask_text_keeps_the_first_letter_and_domain_of_emails() -> None:
    assert mask_text("from dana.reyes+x@acme.io.") == "from d•••@acme.io."


def test_mask_text_is_idempotent() -> None:
    once = mask_text("dana@acme.io +14155550123")
    assert mask_text(once) == once


@dataclass
class Lead:
    email: str


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("parley.test", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def _json(record: logging.LogRecord, mask: bool = True) -> dict[str, object]:
    assert PersonalDataFilter(mask).filter(record)
    line = JsonFormatter("worker").format(record)
    assert "\n" not in line
    parsed: dict[str, object] = json.loads(line)
    return parsed


def test_filter_masks_arguments_as_they_will_be_printed() -> None:
    line = _json(_record("lead %s via %s", Lead("dana@acme.io"), "+14155550123"))
    assert line["message"] == "lead Lead(email='d•••@acme.io') via +•••••••••23"


def test_filter_replaces_message_texts_with_their_length() -> None:
    line = _json(_record("inbound", text="I am Dana, call me on 415 555 0123", channel="sms"))
    assert line["text"] == "«34 chars»"
    assert line["channel"] == "sms"


def test_filter_masks_personal_data_inside_other_extra_fields() -> None:
    line = _json(_record("merged", contact={"email": "dana@acme.io", "ids": ["+14155550123"]}))
    assert line["contact"] == {"email": "d•••@acme.io", "ids": ["+•••••••••23"]}


def test_filter_masks_exception_text() -> None:
    try:
        raise ValueError("no consent for dana@acme.io")
    except ValueError:
        record = _record("send failed")
        record.exc_info = sys.exc_info()
    line = _json(record)
    assert "dana@acme.io" not in str(line)
    assert "ValueError: no consent for d•••@acme.io" in str(line["exc_info"])


def test_filter_shows_everything_when_masking_is_off() -> None:
    line = _json(_record("lead %s", "dana@acme.io", text="hello"), mask=False)
    assert (line["message"], line["text"]) == ("lead dana@acme.io", "hello")


def test_json_line_has_utc_time_level_logger_and_process() -> None:
    line = _json(_record("ready"))
    assert {"ts", "level", "logger", "message", "process", "pid"} <= set(line)
    assert (line["level"], line["logger"], line["process"]) == ("INFO", "parley.test", "worker")
    stamp = datetime.fromisoformat(str(line["ts"]).replace("Z", "+00:00"))
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_text_format_puts_extra_fields_after_the_message() -> None:
    record = _record("inbound from %s", "+14155550123", channel="sms", text="hi there")
    PersonalDataFilter().filter(record)
    line = TextFormatter("api").format(record)
    assert line.endswith(
        "INFO parley.test [api]: inbound from +•••••••••23 channel=sms text=«8 chars»"
    )


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_configure_logging_writes_masked_json_lines_to_stderr(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(OpsSettings(None, "json", True), "worker")
    logging.getLogger("parley.worker").warning("no sms for %s", "+14155550123")
    [line] = [json.loads(x) for x in capsys.readouterr().err.splitlines()]
    assert line["message"] == "no sms for +•••••••••23"
    assert line["process"] == "worker"


def _log_through_logging_yml(**env: str) -> list[str]:
    script = (
        "import logging, logging.config, yaml\n"
        "logging.config.dictConfig(yaml.safe_load(open('logging.yml')))\n"
        "logging.getLogger('rasa.core').info('hi %s', 'dana@acme.io', extra={'text': 'hello'})\n"
        "logging.getLogger('sanic.error').error('bad request from +14155550123')\n"
    )
    environ = {**os.environ, "PARLEY_LOG_FORMAT": "json", "PARLEY_LOG_PERSONAL_DATA": "mask", **env}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stderr.splitlines()


def test_logging_yml_gives_masked_json_lines_to_every_logger() -> None:
    first, second = (json.loads(line) for line in _log_through_logging_yml())
    assert (first["logger"], first["message"], first["text"]) == (
        "rasa.core",
        "hi d•••@acme.io",
        "«5 chars»",
    )
    assert (second["logger"], second["message"]) == ("sanic.error", "bad request from +•••••••••23")


def test_logging_yml_follows_the_format_and_masking_settings() -> None:
    lines = _log_through_logging_yml(PARLEY_LOG_FORMAT="text", PARLEY_LOG_PERSONAL_DATA="show")
    # `python -c` has no module or script name: the process shows as "-c".
    assert lines[0].endswith(" INFO rasa.core [-c]: hi dana@acme.io text=hello")
