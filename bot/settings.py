"""Settings, read once from the environment and an optional `.env` file.

Every setting has an entry in `.env.example`. Secrets are wrapped in `Secret` so that
printing the settings never prints them.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import time, timedelta
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit

import phonenumbers

from bot.errors import InvalidSetting
from bot.office_hours import OfficeHours, OfficeHoursError, parse_dates, parse_week, parse_zone

T = TypeVar("T")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Secrets the embedded default generates and keeps under the data dir. With PostgreSQL
# several machines share one database, so each of these must be set, the same on all.
MACHINE_SECRETS = (
    "PARLEY_RASA_TOKEN",
    "PARLEY_ERASURE_SALT",
    "PARLEY_UNSUBSCRIBE_SECRET",
    "PARLEY_WEBCHAT_SECRET",
    "PARLEY_ACTIONS_SECRET",
)


@dataclass(frozen=True)
class Secret:
    """A value that must never show up in logs or tracebacks."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"


@dataclass(frozen=True)
class TwilioSettings:
    """Twilio SMS and WhatsApp; off (every webhook a 403) without a token and a public
    URL, since Twilio signs each request over the URL it called."""

    account_sid: str
    auth_token: Secret | None
    sms_from: str
    whatsapp_from: str
    public_url: str
    api_base_url: str

    @property
    def configured(self) -> bool:
        return self.auth_token is not None and bool(self.public_url)


@dataclass(frozen=True)
class VoiceSettings:
    """The Twilio Voice IVR (it shares TWILIO_AUTH_TOKEN and PARLEY_PUBLIC_URL with SMS)."""

    language: str
    voice: str
    speech_model: str
    gather_timeout_s: int
    reprompts: int
    sales_number: str
    answer_budget_s: float


@dataclass(frozen=True)
class TelegramSettings:
    """The Telegram bot; off (every webhook a 403) without a token and a webhook secret."""

    bot_token: Secret | None
    webhook_secret: Secret | None
    api_base_url: str  # the bot token is appended: https://api.telegram.org/bot<token>/...

    @property
    def configured(self) -> bool:
        return self.bot_token is not None and self.webhook_secret is not None


@dataclass(frozen=True)
class MailSettings:
    """Outgoing email over SMTP: handoff notices to sales and booking confirmations."""

    host: str
    port: int
    username: str
    password: Secret | None
    security: str  # "starttls", "tls" (implicit) or "none" (loopback and tests only)
    mail_from: str
    sales_email: str
    postal_address: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.mail_from)


@dataclass(frozen=True)
class HandoffSettings:
    """Where a handoff to a person is POSTed, signed with HMAC-SHA256 over the secret."""

    url: str
    secret: Secret | None
    max_attempts: int


@dataclass(frozen=True)
class OfficeHoursSettings:
    """When a person can answer a handoff (#20). The default team answers every handoff
    unless a team is set for the handoff's channel (its route: `voice` goes to the phone
    team, ...). Without PARLEY_OFFICE_HOURS the team is always open, as before."""

    default: OfficeHours = field(default_factory=OfficeHours.always)
    # (channel, hours): the team that answers handoffs from that channel.
    teams: tuple[tuple[str, OfficeHours], ...] = ()

    def team_for(self, channel: str) -> tuple[str, OfficeHours]:
        """The team (its name: the channel, or "default") answering a handoff on `channel`."""
        for name, hours in self.teams:
            if name == channel:
                return name, hours
        return "default", self.default


@dataclass(frozen=True)
class CampaignSettings:
    """The campaign worker (#7): where definitions live and the guards on every send."""

    directory: Path
    worker_port: int
    unsubscribe_secret: Secret
    quiet_start: time
    quiet_end: time
    cap_per_day: int
    cap_per_week: int
    # Sends per second per channel, for each worker process.
    rates: Mapping[str, float]
    # How long a worker's claim on a send holds (it dies: another one takes over then).
    send_lease: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class ApiSettings:
    """The REST API server for other systems (#10), started by `parley run`."""

    port: int
    rate: float  # requests a second per token
    burst: int
    # Prometheus' bearer token for /api/metrics (an API token with read scope works too).
    metrics_token: Secret | None = None
    # Event webhooks may target private, loopback and link-local addresses (tests, labs).
    webhooks_allow_private: bool = False


@dataclass(frozen=True)
class CrmSettings:
    """Pushing leads to HubSpot (#10); off without a private app's access token."""

    hubspot_token: Secret | None
    hubspot_api_base_url: str
    # Outcomes (#20): deal stage -> won or lost; deals in other stages are not read.
    hubspot_deal_stages: tuple[tuple[str, str], ...] = (
        ("closedwon", "won"),
        ("closedlost", "lost"),
    )
    hubspot_deal_currency: str = "USD"  # for an amount whose deal names no currency

    @property
    def configured(self) -> bool:
        return self.hubspot_token is not None


@dataclass(frozen=True)
class OpsSettings:
    """Running Parley in production (#9): Redis for several Rasa servers, and logs."""

    # Rasa's lock store; required when more than one Rasa server serves conversations.
    redis_url: str | None
    log_format: Literal["json", "text"]
    # Phone numbers, emails and message texts are masked in logs unless this is off.
    mask_personal_data: bool


@dataclass(frozen=True)
class StudioSettings:
    """The marketers' studio (#8): its port and how long a login lasts."""

    port: int
    session_hours: int
    # Set when the studio is served over HTTPS (behind a proxy): cookies get `Secure`.
    secure_cookies: bool
    # Every Rasa server a publish swaps the model on (each replica under --scale).
    rasa_urls: tuple[str, ...]
    # Proxies whose X-Forwarded-For names the client: studio sign-ins are throttled and
    # public chats rate-limited per client address (the chat channels read it here too).
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # The sales inbox (#20): a handoff should be answered within this many minutes.
    inbox_target_minutes: int = 5
    # Where people open the studio; email notices link to it.
    url: str = "http://127.0.0.1:5058"
    # Email the holder (or the sales team) about a new handoff or message, at most once
    # per conversation every so many minutes; off unless asked for, since it is mail.
    inbox_email: bool = False
    inbox_email_every_minutes: int = 5


@dataclass(frozen=True)
class ChatSettings:
    """The public chat endpoints, REST and web chat (#17): who may call them, how often."""

    # development: the REST channel answers loopback callers without a token. Only with
    # PARLEY_BIND_HOST on loopback; the default follows the bind address.
    environment: Literal["development", "production"]
    # Bearer token for the REST channel (server-to-server); in production it is off without.
    rest_token: Secret | None
    # Shared with the embedding site, which signs the identities it vouches for (HS256).
    identity_secret: Secret | None
    # Token buckets per conversation and per client address (loopback addresses exempt).
    conversation_rate: float
    conversation_burst: int
    address_rate: float
    address_burst: int

    def rest_headers(self) -> dict[str, str]:
        """What Parley's own REST callers (the shell, the studio's Try page) send."""
        if self.rest_token is None:
            return {}
        return {"Authorization": f"Bearer {self.rest_token.value}"}


@dataclass(frozen=True)
class Settings:
    project_root: Path
    # Where the bot's content lives: config.yml, domain.yml, data/, the consent, scoring
    # and qualification files and campaigns/. The studio publishes into it.
    content_root: Path
    # Trained models, named by the fingerprint of the content they were trained on.
    models_dir: Path
    data_dir: Path
    database_url: str
    tracker_store_url: str
    default_region: str
    bind_host: str
    rasa_port: int
    actions_port: int
    # The action server's own interface, never PARLEY_BIND_HOST: only Rasa calls it.
    actions_host: str
    # Rasa sends it with every action call (endpoints.yml); the action server checks it.
    actions_secret: Secret
    rasa_token: Secret
    company_name: str
    privacy_url: str
    privacy_version: str
    privacy_contact: str
    erasure_salt: Secret
    retention_days: int
    consent_file: Path
    qualification_file: Path
    scoring_file: Path
    booking_file: Path
    knowledge_file: Path
    lead_fields_file: Path
    routing_file: Path
    twilio: TwilioSettings
    voice: VoiceSettings
    telegram: TelegramSettings
    webchat_secret: Secret
    webchat_origins: tuple[str, ...]
    mail: MailSettings
    handoff: HandoffSettings
    campaigns: CampaignSettings
    crm: CrmSettings
    api: ApiSettings
    ops: OpsSettings
    studio: StudioSettings
    chat: ChatSettings
    office_hours: OfficeHoursSettings = field(default_factory=OfficeHoursSettings)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        host = "127.0.0.1" if self.actions_host in ("0.0.0.0", "::") else self.actions_host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.actions_port}"

    def describe(self) -> dict[str, str]:
        """Every setting as text, secrets masked: safe to print."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; `#` comments and surrounding quotes are allowed."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise InvalidSetting(f"{path.name}:{number}", "expected KEY=VALUE")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Build settings from the environment, which wins over the `.env` file."""
    env = {**read_dotenv(dotenv or PROJECT_ROOT / ".env"), **(environ or os.environ)}
    data_dir = _resolve(env.get("PARLEY_DATA_DIR", "var"))
    content = _resolve(env.get("PARLEY_CONTENT_DIR", "."))
    return Settings(
        project_root=PROJECT_ROOT,
        content_root=content,
        models_dir=_resolve(env.get("PARLEY_MODELS_DIR", "models")),
        data_dir=data_dir,
        database_url=_db_url(env, "DATABASE_URL", data_dir / "parley.db"),
        tracker_store_url=_db_url(env, "PARLEY_TRACKER_STORE_URL", data_dir / "tracker.db"),
        default_region=_region(env.get("PARLEY_DEFAULT_REGION", "US")),
        bind_host=env.get("PARLEY_BIND_HOST", "127.0.0.1"),
        rasa_port=_port(env, "PARLEY_RASA_PORT", 5005),
        actions_port=_port(env, "PARLEY_ACTIONS_PORT", 5055),
        actions_host=env.get("PARLEY_ACTIONS_HOST", "").strip() or "127.0.0.1",
        actions_secret=_generated_secret(env, "PARLEY_ACTIONS_SECRET", data_dir / "actions_secret"),
        rasa_token=_generated_secret(env, "PARLEY_RASA_TOKEN", data_dir / "rasa_token"),
        company_name=env.get("PARLEY_COMPANY_NAME", "Parley"),
        privacy_url=_url(env, "PARLEY_PRIVACY_URL", "https://example.com/privacy"),
        privacy_version=env.get("PARLEY_PRIVACY_VERSION", "2026-11-01"),
        privacy_contact=env.get("PARLEY_PRIVACY_CONTACT", "privacy@example.com"),
        erasure_salt=_generated_secret(env, "PARLEY_ERASURE_SALT", data_dir / "erasure_salt"),
        retention_days=_positive_int(env, "PARLEY_RETENTION_DAYS", 365),
        consent_file=_resolve(env.get("PARLEY_CONSENT_FILE", "consent.yml"), content),
        qualification_file=_resolve(
            env.get("PARLEY_QUALIFICATION_FILE", "qualification.yml"), content
        ),
        scoring_file=_resolve(env.get("PARLEY_SCORING_FILE", "scoring.yml"), content),
        booking_file=_resolve(env.get("PARLEY_BOOKING_FILE", "booking.yml"), content),
        knowledge_file=_resolve(env.get("PARLEY_KNOWLEDGE_FILE", "knowledge.yml"), content),
        lead_fields_file=_resolve(env.get("PARLEY_LEAD_FIELDS_FILE", "lead_fields.yml"), content),
        routing_file=_resolve(env.get("PARLEY_ROUTING_FILE", "routing.yml"), content),
        twilio=_twilio(env),
        voice=_voice(env),
        telegram=_telegram(env),
        webchat_secret=_generated_secret(env, "PARLEY_WEBCHAT_SECRET", data_dir / "webchat_secret"),
        webchat_origins=_origins(env, "PARLEY_WEBCHAT_ORIGINS"),
        mail=_mail(env),
        handoff=_handoff(env),
        campaigns=_campaigns(env, data_dir, content),
        crm=_crm(env),
        api=ApiSettings(
            port=_port(env, "PARLEY_API_PORT", 5057),
            rate=_rate(env, "PARLEY_API_RATE", 10.0),
            burst=_positive_int(env, "PARLEY_API_BURST", 20),
            metrics_token=_token_or_none(env, "PARLEY_METRICS_TOKEN"),
            webhooks_allow_private=_flag(env, "PARLEY_WEBHOOKS_ALLOW_PRIVATE", False),
        ),
        ops=ops_settings(env),
        studio=StudioSettings(
            port=_port(env, "PARLEY_STUDIO_PORT", 5058),
            session_hours=_positive_int(env, "PARLEY_STUDIO_SESSION_HOURS", 12),
            secure_cookies=_flag(env, "PARLEY_STUDIO_SECURE_COOKIES", False),
            rasa_urls=_rasa_urls(env),
            trusted_proxies=_networks(env, "PARLEY_TRUSTED_PROXIES"),
            inbox_target_minutes=_positive_int(env, "PARLEY_INBOX_TARGET_MINUTES", 5),
            url=_studio_url(env),
            inbox_email=_inbox_email(env),
            inbox_email_every_minutes=_positive_int(env, "PARLEY_INBOX_EMAIL_EVERY_MINUTES", 5),
        ),
        chat=_chat(env),
        office_hours=_office_hours(env),
    )


# Channels a handoff can come from, and so the teams PARLEY_OFFICE_HOURS_<CHANNEL> may name.
TEAM_CHANNELS = ("web", "rest", "shell", "telegram", "sms", "whatsapp", "voice")
_TEAM_KEY = re.compile(r"PARLEY_OFFICE_(?:HOURS|TIMEZONE|CLOSED)_(\w+)")


def _office_hours(env: Mapping[str, str]) -> OfficeHoursSettings:
    for key in env:
        match = _TEAM_KEY.fullmatch(key)
        if match and match[1].lower() not in TEAM_CHANNELS:
            raise InvalidSetting(
                key,
                f"no channel {match[1].lower()!r}: a team answers one of "
                + ", ".join(TEAM_CHANNELS),
            )
    default = _team(env, "")
    teams = []
    for channel in TEAM_CHANNELS:
        hours = _team(env, f"_{channel.upper()}")
        if hours is not None:
            teams.append((channel, hours))
    return OfficeHoursSettings(default or OfficeHours.always(), tuple(teams))


def _team(env: Mapping[str, str], suffix: str) -> OfficeHours | None:
    """One team's hours (suffix "" for the default team); a team's zone and closed dates
    default to the default team's. None: no hours set, always open."""
    hours_key, zone_key, closed_key = (
        f"PARLEY_OFFICE_{name}{suffix}" for name in ("HOURS", "TIMEZONE", "CLOSED")
    )
    week = env.get(hours_key, "").strip()
    zone = env.get(zone_key, "").strip() or env.get("PARLEY_OFFICE_TIMEZONE", "").strip()
    closed = env.get(closed_key, "").strip() or env.get("PARLEY_OFFICE_CLOSED", "").strip()
    if not week:
        for key in (zone_key, closed_key):
            if env.get(key, "").strip():
                raise InvalidSetting(key, f"needs {hours_key} too (like mon-fri 09:00-17:30)")
        return None
    if not zone:
        raise InvalidSetting(
            zone_key, f"required with {hours_key}: the team's IANA time zone, like Europe/London"
        )
    # An error names the key the value came from: the team's own or the default's.
    zone_from = zone_key if env.get(zone_key, "").strip() else "PARLEY_OFFICE_TIMEZONE"
    closed_from = closed_key if env.get(closed_key, "").strip() else "PARLEY_OFFICE_CLOSED"
    return OfficeHours(
        _office_value(zone_from, parse_zone, zone),
        _office_value(hours_key, parse_week, week),
        _office_value(closed_from, parse_dates, closed),
    )


def _office_value(key: str, parse: Callable[[str], T], raw: str) -> T:
    try:
        return parse(raw)
    except OfficeHoursError as error:
        raise InvalidSetting(key, str(error)) from None


def _chat(env: Mapping[str, str]) -> ChatSettings:
    identity = env.get("PARLEY_WEBCHAT_IDENTITY_SECRET", "").strip()
    if identity and len(identity) < 32:
        raise InvalidSetting("PARLEY_WEBCHAT_IDENTITY_SECRET", "at least 32 characters")
    return ChatSettings(
        environment=_environment(env),
        rest_token=_token_or_none(env, "PARLEY_REST_TOKEN"),
        identity_secret=Secret(identity) if identity else None,
        conversation_rate=_rate(env, "PARLEY_CHAT_CONVERSATION_RATE", 1.0),
        conversation_burst=_positive_int(env, "PARLEY_CHAT_CONVERSATION_BURST", 30),
        address_rate=_rate(env, "PARLEY_CHAT_ADDRESS_RATE", 5.0),
        address_burst=_positive_int(env, "PARLEY_CHAT_ADDRESS_BURST", 300),
    )


def _environment(env: Mapping[str, str]) -> Literal["development", "production"]:
    """development only where nobody else can reach the channels: a loopback bind."""
    bind = env.get("PARLEY_BIND_HOST", "127.0.0.1").strip()
    loopback = bind == "localhost" or _is_loopback(bind)
    raw = env.get("PARLEY_ENV", "").strip().lower() or ("development" if loopback else "production")
    if raw == "production":
        return "production"
    if raw != "development":
        raise InvalidSetting("PARLEY_ENV", f"{raw!r}: use development or production")
    if not loopback:
        raise InvalidSetting(
            "PARLEY_ENV",
            f"development answers REST without a token, so it "
            f"needs PARLEY_BIND_HOST on loopback, not {bind!r}; use production",
        )
    return "development"


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ops_settings(env: Mapping[str, str]) -> OpsSettings:
    """Only the ops settings: what logging needs before the rest is read."""
    redis_url = env.get("PARLEY_REDIS_URL", "").strip() or None
    if redis_url is not None and urlsplit(redis_url).scheme not in {"redis", "rediss"}:
        raise InvalidSetting("PARLEY_REDIS_URL", f"{redis_url!r}: use redis://host:6379/1")
    log_format = env.get("PARLEY_LOG_FORMAT", "json").strip().lower()
    if log_format not in {"json", "text"}:
        raise InvalidSetting("PARLEY_LOG_FORMAT", f"{log_format!r}: use json or text")
    masked = env.get("PARLEY_LOG_PERSONAL_DATA", "mask").strip().lower()
    if masked not in {"mask", "show"}:
        raise InvalidSetting("PARLEY_LOG_PERSONAL_DATA", f"{masked!r}: use mask or show")
    return OpsSettings(
        redis_url=redis_url,
        log_format="json" if log_format == "json" else "text",
        mask_personal_data=masked == "mask",
    )


def _crm(env: Mapping[str, str]) -> CrmSettings:
    token = env.get("HUBSPOT_ACCESS_TOKEN", "").strip()
    base_url = _url(env, "HUBSPOT_API_BASE_URL", "https://api.hubapi.com")
    currency = env.get("HUBSPOT_DEAL_CURRENCY", "").strip().upper() or "USD"
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise InvalidSetting("HUBSPOT_DEAL_CURRENCY", f"{currency!r}: an ISO 4217 code, e.g. EUR")
    return CrmSettings(
        Secret(token) if token else None,
        base_url.rstrip("/"),
        _deal_stages(env.get("HUBSPOT_DEAL_STAGES", "").strip() or "closedwon=won,closedlost=lost"),
        currency,
    )


def _deal_stages(raw: str) -> tuple[tuple[str, str], ...]:
    """ "closedwon=won,closedlost=lost": HubSpot's internal stage ids and what they mean."""
    stages: dict[str, str] = {}
    for pair in raw.split(","):
        stage, _, outcome = (part.strip() for part in pair.partition("="))
        if not stage or outcome not in ("won", "lost") or stage in stages:
            raise InvalidSetting(
                "HUBSPOT_DEAL_STAGES",
                f"{pair.strip()!r}: use STAGE=won or STAGE=lost, each stage once, "
                "comma-separated (e.g. closedwon=won,closedlost=lost)",
            )
        stages[stage] = outcome
    return tuple(stages.items())


RATE_DEFAULTS = {"sms": 1.0, "whatsapp": 20.0, "telegram": 25.0, "email": 10.0}


def _campaigns(env: Mapping[str, str], data_dir: Path, content: Path) -> CampaignSettings:
    start, end = _quiet_hours(env.get("PARLEY_QUIET_HOURS", "08:00-21:00"))
    return CampaignSettings(
        directory=_resolve(env.get("PARLEY_CAMPAIGNS_DIR", "campaigns"), content),
        worker_port=_port(env, "PARLEY_WORKER_PORT", 5056),
        unsubscribe_secret=_generated_secret(
            env, "PARLEY_UNSUBSCRIBE_SECRET", data_dir / "unsubscribe_secret"
        ),
        quiet_start=start,
        quiet_end=end,
        cap_per_day=_positive_int(env, "PARLEY_CAP_PER_DAY", 2),
        cap_per_week=_positive_int(env, "PARLEY_CAP_PER_WEEK", 5),
        rates={ch: _rate(env, f"PARLEY_RATE_{ch.upper()}", d) for ch, d in RATE_DEFAULTS.items()},
        send_lease=timedelta(seconds=_lease_seconds(env)),
    )


def _lease_seconds(env: Mapping[str, str]) -> int:
    # A batch holds about ten seconds of sends in the rate limiter: a shorter lease would
    # let another worker reap sends that are merely waiting their turn.
    seconds = _positive_int(env, "PARLEY_SEND_LEASE_SECONDS", 120)
    if seconds < 15:
        raise InvalidSetting("PARLEY_SEND_LEASE_SECONDS", f"{seconds}: at least 15 seconds")
    return seconds


def _quiet_hours(raw: str) -> tuple[time, time]:
    """Sending hours as "08:00-21:00", the contact's local time ("00:00-00:00": any time)."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", raw)
    try:
        if match is None:
            raise ValueError(raw)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return time(h1, m1), time(h2, m2)
    except ValueError:
        raise InvalidSetting("PARLEY_QUIET_HOURS", f"{raw!r}: use HH:MM-HH:MM") from None


def _rate(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key, str(default))
    try:
        rate = float(raw)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= 10_000:
        raise InvalidSetting(key, f"{raw!r}: sends per second, more than 0")
    return rate


def _voice(env: Mapping[str, str]) -> VoiceSettings:
    budget = env.get("PARLEY_VOICE_ANSWER_BUDGET_S", "8")
    try:
        answer_budget = float(budget)
    except ValueError:
        answer_budget = -1.0
    if not 0.5 <= answer_budget <= 12:
        # Twilio gives up on a webhook after 15 s; leave room for the network.
        raise InvalidSetting("PARLEY_VOICE_ANSWER_BUDGET_S", f"{budget!r}: seconds from 0.5 to 12")
    return VoiceSettings(
        language=env.get("PARLEY_VOICE_LANGUAGE", "en-US"),
        voice=env.get("PARLEY_VOICE_VOICE", "Polly.Joanna"),
        speech_model=env.get("PARLEY_VOICE_SPEECH_MODEL", "phone_call"),
        gather_timeout_s=_positive_int(env, "PARLEY_VOICE_GATHER_TIMEOUT_S", 5),
        reprompts=_positive_int(env, "PARLEY_VOICE_REPROMPTS", 2),
        sales_number=_e164_or_empty(env, "PARLEY_VOICE_SALES_NUMBER"),
        answer_budget_s=answer_budget,
    )


def _telegram(env: Mapping[str, str]) -> TelegramSettings:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if token and not re.fullmatch(r"\d+:[A-Za-z0-9_-]{20,}", token):
        raise InvalidSetting(
            "TELEGRAM_BOT_TOKEN", "expected the token @BotFather gave, like 123456:ABC-DEF..."
        )
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
        raise InvalidSetting(
            "TELEGRAM_WEBHOOK_SECRET",
            "16 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)",
        )
    return TelegramSettings(
        bot_token=Secret(token) if token else None,
        webhook_secret=Secret(secret) if secret else None,
        api_base_url=_url(env, "TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
    )


def _origins(env: Mapping[str, str], key: str) -> tuple[str, ...]:
    """Comma-separated web origins ("https://www.example.com"); none by default."""
    origins = tuple(o.strip().rstrip("/") for o in env.get(key, "").split(",") if o.strip())
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
            raise InvalidSetting(key, f"{origin!r} is not an origin like https://www.example.com")
    return origins


def _mail(env: Mapping[str, str]) -> MailSettings:
    security = env.get("PARLEY_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("starttls", "tls", "none"):
        raise InvalidSetting("PARLEY_SMTP_SECURITY", f"{security!r}: use starttls, tls or none")
    password = env.get("PARLEY_SMTP_PASSWORD")
    default_port = {"starttls": 587, "tls": 465, "none": 25}[security]
    return MailSettings(
        host=env.get("PARLEY_SMTP_HOST", "").strip(),
        port=_port(env, "PARLEY_SMTP_PORT", default_port),
        username=env.get("PARLEY_SMTP_USERNAME", ""),
        password=Secret(password) if password else None,
        security=security,
        mail_from=_email_or_empty(env, "PARLEY_MAIL_FROM"),
        sales_email=_email_or_empty(env, "PARLEY_SALES_EMAIL"),
        postal_address=env.get("PARLEY_POSTAL_ADDRESS", ""),
    )


def _studio_url(env: Mapping[str, str]) -> str:
    default = f"http://127.0.0.1:{_port(env, 'PARLEY_STUDIO_PORT', 5058)}"
    url = env.get("PARLEY_STUDIO_URL", "").strip() or default
    return _url({"PARLEY_STUDIO_URL": url}, "PARLEY_STUDIO_URL", default).rstrip("/")


def _inbox_email(env: Mapping[str, str]) -> bool:
    wanted = _flag(env, "PARLEY_INBOX_EMAIL", False)
    mail = _mail(env)
    if wanted and not mail.configured:
        raise InvalidSetting(
            "PARLEY_INBOX_EMAIL",
            "email notices need SMTP: set PARLEY_SMTP_HOST and PARLEY_MAIL_FROM",
        )
    return wanted


def _email_or_empty(env: Mapping[str, str], key: str) -> str:
    value = env.get(key, "").strip()
    if value and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value):
        raise InvalidSetting(key, f"{value!r} is not an email address")
    return value


def _handoff(env: Mapping[str, str]) -> HandoffSettings:
    url = env.get("PARLEY_HANDOFF_URL", "").strip()
    secret = env.get("PARLEY_HANDOFF_SECRET", "")
    if url:
        _url(env, "PARLEY_HANDOFF_URL", url)
        if len(secret) < 16:
            raise InvalidSetting(
                "PARLEY_HANDOFF_SECRET",
                "required (16 characters or more) when PARLEY_HANDOFF_URL is set: receivers "
                "check each handoff's signature with it",
            )
    return HandoffSettings(
        url=url,
        secret=Secret(secret) if secret else None,
        max_attempts=_positive_int(env, "PARLEY_HANDOFF_MAX_ATTEMPTS", 8),
    )


def _twilio(env: Mapping[str, str]) -> TwilioSettings:
    token = env.get("TWILIO_AUTH_TOKEN")
    return TwilioSettings(
        account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
        auth_token=Secret(token) if token else None,
        sms_from=_e164_or_empty(env, "TWILIO_SMS_FROM"),
        whatsapp_from=_whatsapp_from(env),
        public_url=_url(env, "PARLEY_PUBLIC_URL", "").rstrip("/")
        if env.get("PARLEY_PUBLIC_URL")
        else "",
        api_base_url=_url(env, "TWILIO_API_BASE_URL", "https://api.twilio.com").rstrip("/"),
    )


def _e164_or_empty(env: Mapping[str, str], key: str, prefix: str = "") -> str:
    raw = env.get(key, "").strip()
    number = raw.removeprefix(prefix)
    if raw and not re.fullmatch(r"\+[1-9]\d{6,14}", number):
        raise InvalidSetting(key, f"{raw!r} is not an E.164 number like {prefix}+14155550134")
    return raw


def _whatsapp_from(env: Mapping[str, str]) -> str:
    raw = env.get("TWILIO_WHATSAPP_FROM", "").strip()
    if raw and not raw.startswith("whatsapp:"):
        raw = f"whatsapp:{raw}"
    return _e164_or_empty({"TWILIO_WHATSAPP_FROM": raw}, "TWILIO_WHATSAPP_FROM", "whatsapp:")


def _resolve(path: str, base: Path = PROJECT_ROOT) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else base / candidate


def _db_url(env: Mapping[str, str], key: str, default_file: Path) -> str:
    url = env.get(key) or f"sqlite:///{default_file}"
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme not in {"sqlite", "postgresql", "postgres"}:
        raise InvalidSetting(key, f"unsupported database {scheme!r}; use sqlite or postgresql")
    return url.replace("postgres://", "postgresql://", 1)


def _region(value: str) -> str:
    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidSetting("PARLEY_DEFAULT_REGION", f"{value!r} is not an ISO country code")
    return region


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise InvalidSetting(key, f"{raw!r} is not a TCP port")
    return int(raw)


def _url(env: Mapping[str, str], key: str, default: str) -> str:
    url = env.get(key, default)
    if urlsplit(url).scheme not in {"http", "https"}:
        raise InvalidSetting(key, f"{url!r} is not an http(s) URL")
    return url


def _rasa_urls(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = env.get("PARLEY_STUDIO_RASA_URLS", "").strip()
    if not raw:
        return (f"http://127.0.0.1:{_port(env, 'PARLEY_RASA_PORT', 5005)}",)
    urls = tuple(u.strip().rstrip("/") for u in raw.split(",") if u.strip())
    for url in urls:
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
            raise InvalidSetting(
                "PARLEY_STUDIO_RASA_URLS", f"{url!r}: use http://host:port, comma-separated"
            )
    return urls


def _flag(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = env.get(key, "").strip().lower()
    if not raw:
        return default
    if raw not in {"1", "true", "yes", "0", "false", "no"}:
        raise InvalidSetting(key, f"{raw!r}: use true or false")
    return raw in {"1", "true", "yes"}


def _positive_int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key, str(default))
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidSetting(key, f"{raw!r} is not a positive whole number")
    return int(raw)


def _generated_secret(env: Mapping[str, str], key: str, keep_in: Path) -> Secret:
    """A secret from the environment; the embedded default generates one and keeps it."""
    if env.get(key):
        return Secret(env[key])
    if urlsplit(env.get("DATABASE_URL", "")).scheme.startswith("postgres"):
        missing = ", ".join(k for k in dict.fromkeys((*MACHINE_SECRETS, key)) if not env.get(k))
        raise InvalidSetting(
            missing,
            "required with PostgreSQL: every machine must use the same "
            "value, so none is generated (make each with `openssl rand -hex 32`)",
        )
    return Secret(keep_secret_file(keep_in, secrets.token_urlsafe(32)))


def keep_secret_file(path: Path, value: str) -> str:
    """The secret kept in `path`, writing `value` there first if there is none.

    The file is complete and 0600 from its first byte (written under a temporary name,
    then linked into place); of two processes racing, both get the one that was linked.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(value + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won the race: its value is the one
        finally:
            temporary.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # kept by an older Parley that left it readable
    return path.read_text(encoding="utf-8").strip()


def _token_or_none(env: Mapping[str, str], key: str) -> Secret | None:
    value = env.get(key, "").strip()
    if value and len(value) < 16:
        raise InvalidSetting(key, "at least 16 characters (`openssl rand -hex 32` makes one)")
    return Secret(value) if value else None


def _networks(env: Mapping[str, str], key: str) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or networks ("10.0.0.5, 10.1.0.0/16"); none by default."""
    found: list[IPNetwork] = []
    for item in (i.strip() for i in env.get(key, "").split(",") if i.strip()):
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InvalidSetting(key, f"{item!r} is not an IP address or network") from None
    return tuple(found)
