"""`parley run --scale N`: N Rasa servers, N action servers and N campaign workers.

PostgreSQL holds the conversations and the profiles, Redis orders each conversation's
messages whichever Rasa server receives them, and HAProxy (Debian's package, not one
written here) is the one entry point: the Rasa port for channels and the action-server
port for the Rasa servers. HAProxy sends traffic only to servers whose `/ready` answers,
so a server whose database or model is away is taken out instead of losing turns.
The action servers' entry point listens on PARLEY_ACTIONS_HOST (loopback by default),
never on the channels' PARLEY_BIND_HOST, and every replica behind it on loopback.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from bot.errors import ParleyError
from bot.runner import LOOPBACK, ChildSpec, Supervisor, free_port
from bot.settings import Settings
from bot.stack import (
    action_server,
    api_server,
    campaign_worker,
    child_env,
    rasa_server,
    studio_server,
)


@dataclass
class ScaleRefused(ParleyError):
    reason: str

    def __str__(self) -> str:
        return f"cannot run {self.reason}"


@dataclass(frozen=True)
class Layout:
    """Where each replica listens; the public ports stay those in the settings."""

    rasa_ports: tuple[int, ...]
    action_ports: tuple[int, ...]
    worker_ports: tuple[int, ...]


def check_scalable(settings: Settings, replicas: int) -> None:
    """Refuse a scale-out that would lose state or order, naming what to set."""
    if replicas < 2:
        return
    stores = {
        "DATABASE_URL": settings.database_url,
        "PARLEY_TRACKER_STORE_URL": settings.tracker_store_url,
    }
    for key, url in stores.items():
        if not url.startswith("postgresql"):
            raise ScaleRefused(
                f"{replicas} replicas on SQLite: set {key} to a PostgreSQL URL "
                "(postgresql://user@host:5432/db)"
            )
    if settings.ops.redis_url is None:
        raise ScaleRefused(
            f"{replicas} Rasa servers without Redis: set PARLEY_REDIS_URL "
            "(redis://127.0.0.1:6379/1) so that they share conversation locks"
        )
    if shutil.which("haproxy") is None:
        raise ScaleRefused(
            "a scaled Parley without HAProxy: install it (sudo apt-get install haproxy) "
            "or start the parts with `parley serve` behind your own load balancer"
        )


def plan_layout(replicas: int) -> Layout:
    def ports() -> tuple[int, ...]:
        return tuple(free_port() for _ in range(replicas))

    return Layout(rasa_ports=ports(), action_ports=ports(), worker_ports=ports())


def haproxy_config(settings: Settings, layout: Layout) -> str:
    """One frontend for channels (Rasa servers) and one for Rasa (action servers)."""
    rasa = _servers("rasa", layout.rasa_ports, "check")
    tracked = _servers("rasa", layout.rasa_ports, "track rasa_servers/rasa{n}")
    actions = _servers("actions", layout.action_ports, "check")
    return f"""# Written by `parley run --scale {len(layout.rasa_ports)}`; rewritten at every start.
global
    maxconn 4096

defaults
    mode http
    timeout connect 3s
    # A turn may wait on a slow action; Rasa's own action timeout is shorter.
    timeout client 120s
    timeout server 120s
    # Only a failed connection is retried elsewhere: a request a server took is not resent.
    retries 2
    option redispatch
    # A busy server answers /ready late (it shares its event loop with inference): a
    # check gets 5 s, and three failures in a row take a server out.
    timeout check 5s
    default-server inter 2s fall 3 rise 1

frontend channels
    bind {settings.bind_host}:{settings.rasa_port}
    # A phone call, a texter's numbered replies and a Telegram chat's long button payloads
    # keep a little state in the server's memory: their requests go to one server while
    # it is up (consistent hashing moves only a dead server's share). Everything else,
    # and the conversation itself, is shared through PostgreSQL and Redis.
    acl voice path_beg /webhooks/twilio_voice/
    acl texting path_beg /webhooks/twilio/
    acl telegram path_beg /webhooks/telegram/
    use_backend rasa_by_call if voice
    use_backend rasa_by_sender if texting
    use_backend rasa_by_chat if telegram
    default_backend rasa_servers

backend rasa_servers
    balance roundrobin
    option httpchk GET /ready
    http-check expect status 200
{rasa}

backend rasa_by_call
    option http-buffer-request
    balance hash req.body_param(CallSid)
    hash-type consistent
{tracked}

backend rasa_by_sender
    option http-buffer-request
    balance hash req.body_param(From)
    hash-type consistent
{tracked}

backend rasa_by_chat
    option http-buffer-request
    http-request set-var(txn.chat) req.body,json_query('$.message.chat.id')
    http-request set-var(txn.chat) req.body,json_query('$.callback_query.message.chat.id') if !{{ var(txn.chat) -m found }}
    balance hash var(txn.chat)
    hash-type consistent
{tracked}

frontend actions
    # Only Rasa calls the action servers: their own interface, never the channels' one.
    bind {settings.actions_host}:{settings.actions_port}
    default_backend action_servers

backend action_servers
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
{actions}
"""


def _servers(prefix: str, ports: tuple[int, ...], options: str) -> str:
    return "\n".join(
        f"    server {prefix}{n} {LOOPBACK}:{port} {options.format(n=n)}"
        for n, port in enumerate(ports, 1)
    )


def load_balancer(settings: Settings, config: Path) -> ChildSpec:
    haproxy = shutil.which("haproxy") or "haproxy"
    return ChildSpec(
        name="load balancer",
        # -db: stay in the foreground so that the supervisor owns it.
        argv=[haproxy, "-f", str(config), "-db"],
        health_url=f"http://{LOOPBACK}:{settings.rasa_port}/health",
        env=child_env(settings),
    )


def start_scaled(
    supervisor: Supervisor, settings: Settings, model_path: Path, replicas: int
) -> Layout:
    check_scalable(settings, replicas)
    layout = plan_layout(replicas)
    config = settings.data_dir / "haproxy.cfg"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(haproxy_config(settings, layout), encoding="utf-8")
    rasa_urls = tuple(f"http://{LOOPBACK}:{port}" for port in layout.rasa_ports)
    # Every replica loads side by side (none needs another to start); the load balancer
    # comes last, so that its first health checks find them up.
    supervisor.start_all(
        [
            *action_replicas(settings, layout),
            # Replicas listen on loopback only; the load balancer is the public entry point.
            *(
                _named(
                    rasa_server(replace(settings, rasa_port=port, bind_host=LOOPBACK), model_path),
                    i,
                )
                for i, port in enumerate(layout.rasa_ports, 1)
            ),
            *(
                _named(campaign_worker(_worker_settings(settings, port)), i)
                for i, port in enumerate(layout.worker_ports, 1)
            ),
            api_server(settings),
            studio_server(replace(settings, studio=replace(settings.studio, rasa_urls=rasa_urls))),
        ]
    )
    supervisor.start(load_balancer(settings, config))
    return layout


def action_replicas(settings: Settings, layout: Layout) -> list[ChildSpec]:
    """The action servers behind the load balancer: loopback, whatever the settings say."""
    return [
        _named(action_server(replace(settings, actions_port=port, actions_host=LOOPBACK)), i)
        for i, port in enumerate(layout.action_ports, 1)
    ]


def _worker_settings(settings: Settings, port: int) -> Settings:
    return replace(settings, campaigns=replace(settings.campaigns, worker_port=port))


def _named(spec: ChildSpec, number: int) -> ChildSpec:
    return replace(spec, name=f"{spec.name} {number}")
