"""The processes that make up one Parley: what to run, with which settings."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from bot.runner import ChildSpec
from bot.settings import Settings


def tracker_env(settings: Settings) -> dict[str, str]:
    """Variables endpoints.yml reads to configure Rasa's SQL tracker store."""
    url = settings.tracker_store_url
    parts = urlsplit(url)
    dialect = parts.scheme.split("+")[0]
    db = parts.path.lstrip("/") if dialect != "sqlite" else parts.path[1:]
    if dialect == "sqlite":
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    return {
        "PARLEY_TRACKER_DIALECT": dialect,
        "PARLEY_TRACKER_STORE_URL": url,
        "PARLEY_TRACKER_DB": db,
    }


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as environment variables, so children see exactly what we see."""
    return {
        "DATABASE_URL": settings.database_url,
        "PARLEY_DATA_DIR": str(settings.data_dir),
        "PARLEY_CONTENT_DIR": str(settings.content_root),
        "PARLEY_MODELS_DIR": str(settings.models_dir),
        "PARLEY_TRACKER_STORE_URL": settings.tracker_store_url,
        "PARLEY_DEFAULT_REGION": settings.default_region,
        "PARLEY_BIND_HOST": settings.bind_host,
        "PARLEY_RASA_PORT": str(settings.rasa_port),
        "PARLEY_ACTIONS_PORT": str(settings.actions_port),
        "PARLEY_ACTIONS_HOST": settings.actions_host,
        # Read by the action server, and by Rasa through endpoints.yml's action_endpoint.
        "PARLEY_ACTIONS_SECRET": settings.actions_secret.value,
        # Children read it from here, never from a command line (`ps` shows those to all).
        "PARLEY_RASA_TOKEN": settings.rasa_token.value,
        "PARLEY_COMPANY_NAME": settings.company_name,
        "PARLEY_PRIVACY_URL": settings.privacy_url,
        "PARLEY_PRIVACY_VERSION": settings.privacy_version,
        "PARLEY_PRIVACY_CONTACT": settings.privacy_contact,
        "PARLEY_ERASURE_SALT": settings.erasure_salt.value,
        "PARLEY_RETENTION_DAYS": str(settings.retention_days),
        "PARLEY_CONSENT_FILE": str(settings.consent_file),
        "PARLEY_QUALIFICATION_FILE": str(settings.qualification_file),
        "PARLEY_SCORING_FILE": str(settings.scoring_file),
        "PARLEY_BOOKING_FILE": str(settings.booking_file),
        "PARLEY_KNOWLEDGE_FILE": str(settings.knowledge_file),
        "PARLEY_LEAD_FIELDS_FILE": str(settings.lead_fields_file),
        "PARLEY_ROUTING_FILE": str(settings.routing_file),
        "PARLEY_WEBCHAT_SECRET": settings.webchat_secret.value,
        "PARLEY_WEBCHAT_ORIGINS": ",".join(settings.webchat_origins),
        **twilio_env(settings),
        **telegram_env(settings),
        **voice_env(settings),
        **mail_env(settings),
        **campaign_env(settings),
        **crm_env(settings),
        **office_hours_env(settings),
        "PARLEY_API_PORT": str(settings.api.port),
        "PARLEY_API_RATE": str(settings.api.rate),
        "PARLEY_API_BURST": str(settings.api.burst),
        "PARLEY_WEBHOOKS_ALLOW_PRIVATE": "true" if settings.api.webhooks_allow_private else "false",
        **(
            {"PARLEY_METRICS_TOKEN": settings.api.metrics_token.value}
            if settings.api.metrics_token
            else {}
        ),
        "PARLEY_TRUSTED_PROXIES": ",".join(str(n) for n in settings.studio.trusted_proxies),
        **ops_env(settings),
        **chat_env(settings),
        "PARLEY_STUDIO_PORT": str(settings.studio.port),
        "PARLEY_STUDIO_SESSION_HOURS": str(settings.studio.session_hours),
        "PARLEY_STUDIO_SECURE_COOKIES": "true" if settings.studio.secure_cookies else "false",
        "PARLEY_STUDIO_RASA_URLS": ",".join(settings.studio.rasa_urls),
        "PARLEY_INBOX_TARGET_MINUTES": str(settings.studio.inbox_target_minutes),
        "PARLEY_STUDIO_URL": settings.studio.url,
        "PARLEY_INBOX_EMAIL": "true" if settings.studio.inbox_email else "false",
        "PARLEY_INBOX_EMAIL_EVERY_MINUTES": str(settings.studio.inbox_email_every_minutes),
    }


def chat_env(settings: Settings) -> dict[str, str]:
    """The public chat endpoints' settings. The mode is passed as resolved: replicas
    behind HAProxy bind to loopback and would otherwise take themselves for development."""
    chat = settings.chat
    return {
        "PARLEY_ENV": chat.environment,
        **({"PARLEY_REST_TOKEN": chat.rest_token.value} if chat.rest_token else {}),
        **({"PARLEY_WEBCHAT_IDENTITY_SECRET": chat.identity_secret.value}
           if chat.identity_secret else {}),
        "PARLEY_CHAT_CONVERSATION_RATE": repr(chat.conversation_rate),
        "PARLEY_CHAT_CONVERSATION_BURST": str(chat.conversation_burst),
        "PARLEY_CHAT_ADDRESS_RATE": repr(chat.address_rate),
        "PARLEY_CHAT_ADDRESS_BURST": str(chat.address_burst),
    }  # fmt: skip


def ops_env(settings: Settings) -> dict[str, str]:
    ops = settings.ops
    return {
        "PARLEY_REDIS_URL": ops.redis_url or "",
        "PARLEY_LOG_FORMAT": ops.log_format,
        "PARLEY_LOG_PERSONAL_DATA": "mask" if ops.mask_personal_data else "show",
    }


def office_hours_env(settings: Settings) -> dict[str, str]:
    """The default team's office hours, and each channel's team (its own zone and
    closed dates written out, so nothing depends on the default's)."""
    teams = [("", settings.office_hours.default)]
    teams += [(f"_{channel.upper()}", hours) for channel, hours in settings.office_hours.teams]
    env = {}
    for suffix, hours in teams:
        always = hours.round_the_clock
        env[f"PARLEY_OFFICE_HOURS{suffix}"] = "" if always else hours.week_text()
        env[f"PARLEY_OFFICE_TIMEZONE{suffix}"] = "" if always else hours.timezone
        env[f"PARLEY_OFFICE_CLOSED{suffix}"] = ",".join(d.isoformat() for d in sorted(hours.closed))
    return env


def crm_env(settings: Settings) -> dict[str, str]:
    crm = settings.crm
    env = {
        "HUBSPOT_API_BASE_URL": crm.hubspot_api_base_url,
        "HUBSPOT_DEAL_STAGES": ",".join(f"{s}={o}" for s, o in crm.hubspot_deal_stages),
        "HUBSPOT_DEAL_CURRENCY": crm.hubspot_deal_currency,
    }
    if crm.hubspot_token is not None:
        env["HUBSPOT_ACCESS_TOKEN"] = crm.hubspot_token.value
    return env


def campaign_env(settings: Settings) -> dict[str, str]:
    campaigns = settings.campaigns
    quiet = f"{campaigns.quiet_start:%H:%M}-{campaigns.quiet_end:%H:%M}"
    return {
        "PARLEY_CAMPAIGNS_DIR": str(campaigns.directory),
        "PARLEY_WORKER_PORT": str(campaigns.worker_port),
        "PARLEY_UNSUBSCRIBE_SECRET": campaigns.unsubscribe_secret.value,
        "PARLEY_QUIET_HOURS": quiet,
        "PARLEY_CAP_PER_DAY": str(campaigns.cap_per_day),
        "PARLEY_CAP_PER_WEEK": str(campaigns.cap_per_week),
        **{f"PARLEY_RATE_{ch.upper()}": str(rate) for ch, rate in campaigns.rates.items()},
        "PARLEY_SEND_LEASE_SECONDS": str(int(campaigns.send_lease.total_seconds())),
    }


def voice_env(settings: Settings) -> dict[str, str]:
    voice = settings.voice
    return {
        "PARLEY_VOICE_LANGUAGE": voice.language,
        "PARLEY_VOICE_VOICE": voice.voice,
        "PARLEY_VOICE_SPEECH_MODEL": voice.speech_model,
        "PARLEY_VOICE_GATHER_TIMEOUT_S": str(voice.gather_timeout_s),
        "PARLEY_VOICE_REPROMPTS": str(voice.reprompts),
        "PARLEY_VOICE_SALES_NUMBER": voice.sales_number,
        "PARLEY_VOICE_ANSWER_BUDGET_S": str(voice.answer_budget_s),
    }


def telegram_env(settings: Settings) -> dict[str, str]:
    telegram = settings.telegram
    env = {"TELEGRAM_API_BASE_URL": telegram.api_base_url}
    if telegram.bot_token is not None:
        env["TELEGRAM_BOT_TOKEN"] = telegram.bot_token.value
    if telegram.webhook_secret is not None:
        env["TELEGRAM_WEBHOOK_SECRET"] = telegram.webhook_secret.value
    return env


def mail_env(settings: Settings) -> dict[str, str]:
    """SMTP and handoff settings: the worker delivers handoffs and confirmations, the
    action server mails one-time codes."""
    mail, handoff = settings.mail, settings.handoff
    env = {
        "PARLEY_SMTP_HOST": mail.host,
        "PARLEY_SMTP_PORT": str(mail.port),
        "PARLEY_SMTP_USERNAME": mail.username,
        "PARLEY_SMTP_SECURITY": mail.security,
        "PARLEY_MAIL_FROM": mail.mail_from,
        "PARLEY_SALES_EMAIL": mail.sales_email,
        "PARLEY_POSTAL_ADDRESS": mail.postal_address,
        "PARLEY_HANDOFF_URL": handoff.url,
        "PARLEY_HANDOFF_MAX_ATTEMPTS": str(handoff.max_attempts),
    }
    if mail.password is not None:
        env["PARLEY_SMTP_PASSWORD"] = mail.password.value
    if handoff.secret is not None:
        env["PARLEY_HANDOFF_SECRET"] = handoff.secret.value
    return env


def twilio_env(settings: Settings) -> dict[str, str]:
    twilio = settings.twilio
    env = {
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_SMS_FROM": twilio.sms_from,
        "TWILIO_WHATSAPP_FROM": twilio.whatsapp_from,
        "PARLEY_PUBLIC_URL": twilio.public_url,
        "TWILIO_API_BASE_URL": twilio.api_base_url,
    }
    if twilio.auth_token is not None:
        env["TWILIO_AUTH_TOKEN"] = twilio.auth_token.value
    return env


def child_env(settings: Settings) -> dict[str, str]:
    return {
        **settings_env(settings),
        **tracker_env(settings),
        "PARLEY_ACTION_ENDPOINT_URL": f"{settings.actions_url}/webhook",
        "PARLEY_LOCK_STORE": (
            "channels.rasa_stores.AtomicRedisLockStore" if settings.ops.redis_url else "in_memory"
        ),
        # Rasa phones home by default; Parley never sends traffic it was not asked to.
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def action_server(settings: Settings) -> ChildSpec:
    """Its own interface (loopback by default), whatever the channels bind to: only Rasa
    calls it, and with the secret in PARLEY_ACTIONS_SECRET."""
    return ChildSpec(
        name="action server",
        argv=[sys.executable, "-m", "actions.server", "--actions", "actions",
              "--host", settings.actions_host, "--port", str(settings.actions_port),
              "--logging-config-file", str(settings.project_root / "logging.yml")],
        health_url=f"{settings.actions_url}/health",
        env=child_env(settings),
    )  # fmt: skip


def campaign_worker(settings: Settings) -> ChildSpec:
    return ChildSpec(
        name="campaign worker",
        argv=[sys.executable, "-m", "campaigns.worker"],
        health_url=f"http://127.0.0.1:{settings.campaigns.worker_port}/health",
        env=child_env(settings),
    )


def api_server(settings: Settings) -> ChildSpec:
    return ChildSpec(
        name="api server",
        argv=[sys.executable, "-m", "api"],
        health_url=f"http://127.0.0.1:{settings.api.port}/api/health",
        env=child_env(settings),
    )


def studio_server(settings: Settings) -> ChildSpec:
    return ChildSpec(
        name="studio",
        argv=[sys.executable, "-m", "studio"],
        health_url=f"http://127.0.0.1:{settings.studio.port}/health",
        env=child_env(settings),
    )


def rasa_server(settings: Settings, model: Path) -> ChildSpec:
    """`rasa run` through channels/rasa_api.py: the API token comes from the environment
    (PARLEY_RASA_TOKEN), never the command line, and is sent as a bearer header."""
    root = settings.project_root
    return ChildSpec(
        name="rasa server",
        argv=[
            sys.executable, "-m", "channels.rasa_api", "run",
            "--model", str(model),
            "--endpoints", str(root / "endpoints.yml"),
            "--credentials", str(root / "credentials.yml"),
            "--interface", settings.bind_host,
            "--port", str(settings.rasa_port),
            "--enable-api",
            "--logging-config-file", str(root / "logging.yml"),
            # Browsers may call Rasa only from the web chat's configured origins.
            *(["--cors", *settings.webchat_origins] if settings.webchat_origins else []),
        ],
        health_url=f"{settings.rasa_url}/status",
        health_headers=rasa_auth(settings),
        env=child_env(settings),
    )  # fmt: skip


def rasa_auth(settings: Settings) -> dict[str, str]:
    """The header that opens Rasa's HTTP API (/status, /conversations, /model/parse)."""
    return {"Authorization": f"Bearer {settings.rasa_token.value}"}
