"""`store.integrations`: what other systems hold or do: webhook subscriptions, the CRM
sync's cursors, failures and erasures, API tokens and contact updates made through the
API. (Webhook deliveries are worked through `store.outbox`.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.engine import Connection

from bot.store import api_tokens, crm, custom_values, integration, merging, reads, writes
from bot.store.checks import check_text, utc
from bot.store.crm import CrmErasure
from bot.store.records import (
    ApiToken,
    Contact,
    CrmPull,
    CrmSyncFailure,
    IntegrationEvent,
    WebhookSubscription,
)
from bot.store.transactions import Transactions
from bot.types import ContactId, LeadField


class IntegrationsPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    # ------------------------------------------------------------------ webhooks

    def subscribe_webhook(
        self, url: str, events: Sequence[str], secret: str, now: datetime | None = None
    ) -> WebhookSubscription:
        """Events from now on are delivered to `url`, signed with `secret`."""
        at, wanted = utc(now), list(events)
        return self._tx.write(lambda conn: integration.subscribe(conn, url, wanted, secret, at))

    def unsubscribe_webhook(self, subscription_id: int) -> bool:
        """False when there was no active subscription with that id."""
        return self._tx.write(lambda conn: integration.deactivate(conn, subscription_id))

    def webhook_subscriptions(self) -> list[WebhookSubscription]:
        return self._tx.read(integration.subscriptions)

    # ------------------------------------------------------------------ CRM sync

    def crm_cursor(self, connector: str) -> int:
        """The id of the last integration event `connector` has dealt with (0: none)."""
        return self._tx.read(lambda conn: crm.cursor(conn, connector)[0])

    def move_crm_cursor(self, connector: str, position: int, now: datetime) -> None:
        check_text("connector", connector)
        at = utc(now)
        self._tx.write(lambda conn: crm.move(conn, connector, position, at))

    def events_after(
        self, position: int, kinds: Sequence[str], limit: int = 500
    ) -> list[IntegrationEvent]:
        """Events of these kinds with an id above `position`, oldest first."""
        wanted = list(kinds)
        return self._tx.read(lambda conn: crm.events_after(conn, position, wanted, limit))

    def count_events_after(self, position: int, kinds: Sequence[str]) -> int:
        wanted = list(kinds)
        return self._tx.read(lambda conn: crm.count_after(conn, position, wanted))

    def record_crm_failure(
        self,
        connector: str,
        error: str,
        *,
        attempts: int,
        retry_at: datetime | None,
        now: datetime,
    ) -> CrmSyncFailure:
        """Kept in the audit log with email addresses redacted."""
        check_text("connector", connector)
        at, retry = utc(now), None if retry_at is None else utc(retry_at)
        return self._tx.write(
            lambda conn: crm.record_failure(conn, connector, error, attempts, retry, at)
        )

    def crm_failure(self, connector: str) -> CrmSyncFailure | None:
        """The latest failure, unless the cursor has moved on since."""
        return self._tx.read(lambda conn: crm.current_failure(conn, connector))

    def queue_crm_erasure(
        self, connector: str, contact_id: ContactId, email: str, now: datetime
    ) -> None:
        """Delete this erased contact's copy from `connector`'s CRM (done by `sync_due`)."""
        check_text("connector", connector)
        check_text("email", email)
        at = utc(now)
        self._tx.write(lambda conn: crm.queue_erasure(conn, connector, contact_id, email, at))

    def due_crm_erasures(self, connector: str, now: datetime, limit: int = 100) -> list[CrmErasure]:
        """Deletions to try now, oldest first."""
        at = utc(now)
        return self._tx.read(lambda conn: crm.due_erasures(conn, connector, at, limit))

    def pending_crm_erasures(self, connector: str) -> list[CrmErasure]:
        """Every deletion not confirmed yet, due or waiting after a refusal."""
        return self._tx.read(lambda conn: crm.pending_erasures(conn, connector))

    def finish_crm_erasure(self, erasure_id: int, connector: str, now: datetime) -> None:
        """The CRM confirmed the deletion: the queued email is dropped."""
        at = utc(now)
        self._tx.write(lambda conn: crm.erasure_done(conn, erasure_id, connector, at))

    def postpone_crm_erasure(self, erasure_id: int, error: str, retry_at: datetime) -> None:
        """The CRM refused this one: try again at `retry_at` (the error kept redacted)."""
        at = utc(retry_at)
        self._tx.write(lambda conn: crm.postpone_erasure(conn, erasure_id, error, at))

    def contacts_gone(self, contact_ids: Sequence[ContactId]) -> set[ContactId]:
        """Those ids that are no contact any more (erased or purged), merged ones aside."""
        wanted = list(contact_ids)
        return self._tx.read(lambda conn: crm.gone(conn, wanted))

    def crm_pull(self, connector: str) -> CrmPull:
        """How far `connector` has pulled changes back from its CRM (#20: closed deals)."""
        return self._tx.read(lambda conn: crm.pull_state(conn, connector))

    def finish_crm_pull(
        self, connector: str, modified_since: datetime | None, now: datetime
    ) -> None:
        """Everything modified before `modified_since` has been read (forward only)."""
        check_text("connector", connector)
        at, since = utc(now), None if modified_since is None else utc(modified_since)
        self._tx.write(lambda conn: crm.finish_pull(conn, connector, since, at))

    def record_crm_pull_failure(
        self, connector: str, error: str, *, retry_at: datetime, now: datetime
    ) -> CrmPull:
        """Kept with email addresses redacted; the pull waits until `retry_at`."""
        check_text("connector", connector)
        at, retry = utc(now), utc(retry_at)
        return self._tx.write(lambda conn: crm.fail_pull(conn, connector, error, retry, at))

    # ------------------------------------------------------------------ the REST API

    def create_api_token(
        self,
        token_id: str,
        name: str,
        scopes: Sequence[str],
        secret_hash: str,
        now: datetime | None = None,
    ) -> ApiToken:
        at = utc(now)
        return self._tx.write(
            lambda conn: api_tokens.create(conn, token_id, name, scopes, secret_hash, at)
        )

    def api_token(self, token_id: str) -> ApiToken | None:
        return self._tx.read(lambda conn: api_tokens.find(conn, token_id))

    def api_tokens(self) -> list[ApiToken]:
        return self._tx.read(api_tokens.listed)

    def revoke_api_token(self, token_id: str, now: datetime | None = None) -> bool:
        at = utc(now)
        return self._tx.write(lambda conn: api_tokens.revoke(conn, token_id, at))

    def record_api_token_use(self, token_id: str, now: datetime | None = None) -> None:
        at = utc(now)
        self._tx.write(lambda conn: api_tokens.touch(conn, token_id, at))

    def update_contact_fields(
        self,
        contact_id: ContactId,
        fields: Mapping[LeadField, str | None],
        now: datetime | None = None,
        *,
        custom: Mapping[str, str | None] | None = None,
    ) -> Contact:
        """Set profile fields of a known contact; one holding the same email or phone is
        merged with it, as in a conversation. `custom`: custom lead field values, already
        canonical (None forgets one), written by "staff" in the same transaction, so a bad
        one (InvalidField) leaves the built-in fields unchanged too."""
        writes.check_fields({k: v for k, v in fields.items() if v is not None})
        setting = {k: v for k, v in (custom or {}).items() if v is not None}
        clearing = sorted(k for k, v in (custom or {}).items() if v is None)
        custom_values.check(setting, "staff")
        at = utc(now)

        def work(conn: Connection) -> Contact:
            live = reads.lock_contact(conn, reads.require_id(conn, contact_id))
            given = {k: v for k, v in fields.items() if v is not None}
            live = merging.merge_matching(conn, live, given, at)
            writes.apply_fields(conn, live, dict(fields), at)
            custom_values.set_values(conn, live, setting, "staff", None, at)
            for name in clearing:
                custom_values.clear_value(conn, live, name, "staff", at)
            return reads.load_contact(conn, live)

        return self._tx.write(work)
