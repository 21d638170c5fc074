"""Logs as one JSON object a line (or plain text), personal data masked by default.

Masking is a filter on the handler, so it sees every record that reaches the output,
ours and the libraries' alike. It masks phone numbers and email addresses wherever they
appear in the message, its arguments, an exception's text or an extra field, and
replaces the words people wrote with their length. To log a message text, pass it as an
extra field named in `TEXT_FIELDS`:

    logger.info("inbound message", extra={"channel": "sms", "text": text})

Our processes call `configure_logging`; Rasa and the action server read `logging.yml`
(`--logging-config-file`), whose `()` entries are the factories at the end of this file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from bot.settings import PROJECT_ROOT, OpsSettings, ops_settings, read_dotenv

__all__ = [
    "TEXT_FIELDS",
    "ConsoleHandler",
    "JsonFormatter",
    "PersonalDataFilter",
    "TextFormatter",
    "configure_logging",
    "mask_text",
]

# Extra fields that carry what a person wrote (or what we wrote to them).
TEXT_FIELDS = frozenset({"text", "body", "reply", "transcript"})
MASK = "•"

_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@((?:[\w-]+\.)+[\w-]{2,})")
# International numbers start with "+" (WhatsApp addresses too: "whatsapp:+1415..."); US
# numbers are matched in their written shapes, and bare ten-digit runs only when they
# cannot be a Unix time (area codes never start with 0 or 1, and epoch seconds do).
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:\+\d[\d ().-]{5,20}\d"
    r"|(?:1[ .-])?\(?[2-9]\d{2}\)?[ .-]\d{3}[ .-]\d{4}"
    r"|\([2-9]\d{2}\)\d{3}-?\d{4}"
    r"|[2-9]\d{2}[2-9]\d{6})"
    r"(?!\w)"
)
_STANDARD_FIELDS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if not 7 <= len(digits) <= 15:  # E.164 numbers have at most 15 digits
        return match.group(0)
    plus = "+" if match.group(0).startswith("+") else ""
    return plus + MASK * (len(digits) - 2) + digits[-2:]


def mask_text(text: str) -> str:
    """`text` with phone numbers and email addresses masked; the rest untouched."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}{MASK * 3}@{m.group(2)}", text)
    return _PHONE.sub(_mask_phone, text)


def _masked_value(key: str, value: Any) -> Any:
    if key in TEXT_FIELDS and isinstance(value, str):
        return f"«{len(value)} chars»"
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: _masked_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked_value(key, v) for v in value]
    return value


class PersonalDataFilter(logging.Filter):
    """Masks personal data in place; lets every record through."""

    def __init__(self, mask: bool = True) -> None:
        super().__init__()
        self.mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.mask:
            return True
        # Formatting first means arguments (and objects whose str() shows an address)
        # are masked as they will be printed.
        record.msg, record.args = mask_text(_message_of(record)), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        for key, value in _extras(record).items():
            setattr(record, key, _masked_value(key, value))
        return True


def _message_of(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the format string
        return f"{record.msg} {record.args!r}"


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD_FIELDS}


def _exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str | None:
    if record.exc_info and not record.exc_text:
        record.exc_text = formatter.formatException(record.exc_info)
    return record.exc_text or None


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts (UTC), level, logger, message, process, extra fields."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ).replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": self.process,
            "pid": record.process,
            **_extras(record),
        }  # fmt: skip
        exception = _exception_text(self, record)
        if exception:
            line["exc_info"] = exception
        if record.stack_info:
            line["stack_info"] = record.stack_info
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For people at a terminal: `time LEVEL logger [process]: message key=value`."""

    def __init__(self, process: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [" + process + "]: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extras = " ".join(f"{k}={v}" for k, v in _extras(record).items())
        if not extras:
            return text
        head, _, tail = text.partition("\n")
        return f"{head} {extras}" + (f"\n{tail}" if tail else "")


class ConsoleHandler(logging.Handler):
    """Writes to the current stderr.

    Deliberately not a StreamHandler: `rasa run` installs coloredlogs after reading the
    logging config, and coloredlogs replaces any StreamHandler on stdout or stderr.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:  # logging's contract: a handler reports its failure, never raises
            self.handleError(record)


class Discard(logging.Filter):
    """Drops every record; see `colored_logs_trap`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def formatter_for(ops: OpsSettings, process: str) -> logging.Formatter:
    return JsonFormatter(process) if ops.log_format == "json" else TextFormatter(process)


def configure_logging(ops: OpsSettings, process: str, level: int = logging.INFO) -> None:
    """Send every log record of this process through masking to stderr."""
    handler = ConsoleHandler()
    handler.setFormatter(formatter_for(ops, process))
    handler.addFilter(PersonalDataFilter(ops.mask_personal_data))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every URL at INFO, and tokens travel in Rasa's and Telegram's URLs.
    logging.getLogger("httpx").setLevel(logging.WARNING)


# ---------------------------------------------------------------- logging.yml factories


def ops_from_environment() -> OpsSettings:
    """Only the logging settings, for processes that do not load all of them (Rasa)."""
    return ops_settings({**read_dotenv(PROJECT_ROOT / ".env"), **os.environ})


def process_name() -> str:
    """`rasa`, `actions.server`, ...: the module run with -m, else the script's name."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and spec.name:
        return str(spec.name).removesuffix(".__main__")
    return os.path.splitext(os.path.basename(sys.argv[0] or "python"))[0]


def formatter(process: str | None = None) -> logging.Formatter:
    return formatter_for(ops_from_environment(), process or process_name())


def personal_data_filter() -> PersonalDataFilter:
    return PersonalDataFilter(ops_from_environment().mask_personal_data)


def colored_logs_trap() -> logging.Handler:
    """A silent StreamHandler for coloredlogs to find and replace.

    `rasa run` calls `coloredlogs.install()` after applying the logging config; it swaps
    the first stderr StreamHandler for a colored one *keeping that handler's filters*.
    Offering it this one, which carries `Discard`, keeps Rasa's output to our JSON lines.
    """
    trap = logging.StreamHandler(sys.stderr)
    trap.addFilter(Discard())
    return trap
