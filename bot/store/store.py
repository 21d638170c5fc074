"""ProfileStore: the only way into the profile database."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.store.engine import make_engine
from bot.store.parts.campaigns import CampaignsPart
from bot.store.parts.consent import ConsentPart
from bot.store.parts.contacts import ContactsPart
from bot.store.parts.inbox import InboxPart
from bot.store.parts.integrations import IntegrationsPart
from bot.store.parts.leads import LeadsPart
from bot.store.parts.messages import MessagesPart
from bot.store.parts.outbox import OutboxPart
from bot.store.parts.privacy import PrivacyPart
from bot.store.parts.studio import StudioPart
from bot.store.transactions import Transactions


class ProfileStore:
    """The profile database, one part per aggregate (`bot/store/parts/`):

    - `contacts`: contacts, channel identities, stated details, claims and codes,
      merging, timelines, search, enrichment and imports
    - `consent`: the consent ledger, do-not-contact, grant/withdraw/confirm/block/lift,
      `may_send`
    - `privacy`: erasure and suppression, export, retention, the tracker-erasure queue,
      the audit log
    - `leads`: lead fields and status, qualification, scores, outcomes, handoffs and
      bookings
    - `campaigns`: tags, inbound activity, state and cursors, enrollments, queued sends,
      segments
    - `outbox`: claiming, finishing, counting and retrying campaign sends, handoff
      deliveries and webhook deliveries
    - `messages`: providers' inbound message ids and delivery reports
    - `studio`: studio users, sessions, content versions, the dashboard's funnel
    - `integrations`: webhook subscriptions, CRM sync, API tokens and API updates
    - `inbox`: the sales inbox: conversations handed to a person, who holds each, replies,
      private notes, saved replies

    Naming: a method does not repeat its part's name (`store.studio.create_user`, not
    `create_studio_user`; `store.contacts.get`); reads are named for what they return
    (`store.consent.history`, `store.leads.latest_score`, `is_`/`has_` for yes or no),
    writes are verbs (`record_`, `set_`, `queue_`, `claim_due_`, `finish_`). Every contact
    id taken or returned is a `bot.types.ContactId`, made once where the id enters
    Parley (a URL, a CLI argument, a slot).

    Every public method of a part is one transaction. Database outages raise
    `StoreUnavailable`, unknown contacts `ContactNotFound`. The id of a contact merged
    away is accepted wherever a contact id is, and stands for the contact it was merged
    into.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        tx = Transactions(engine)
        self._tx = tx
        self.contacts = ContactsPart(tx)
        self.consent = ConsentPart(tx)
        self.privacy = PrivacyPart(tx)
        self.leads = LeadsPart(tx)
        self.campaigns = CampaignsPart(tx)
        self.outbox = OutboxPart(tx)
        self.messages = MessagesPart(tx)
        self.studio = StudioPart(tx)
        self.integrations = IntegrationsPart(tx)
        self.inbox = InboxPart(tx)

    @classmethod
    def from_url(cls, url: str) -> ProfileStore:
        """A store on `url`; `bot.store.upgrade(url)` must have run once before."""
        return cls(make_engine(url))

    def dispose(self) -> None:
        self.engine.dispose()

    def check_available(self) -> None:
        """Raise StoreUnavailable unless the database answers now (readiness probes)."""
        self._tx.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())
