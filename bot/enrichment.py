"""What an email address and a phone number say about a contact: the company's web
domain, the country and the time zone. Pure: no I/O, only phonenumbers' own data."""

from __future__ import annotations

from dataclasses import dataclass

from bot.phone_places import Place, place_of

# Addresses anyone can get: their domain says nothing about an employer.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "icloud.com", "me.com",
        "mac.com", "proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io",
        "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "email.com", "zoho.com",
        "yandex.com", "yandex.ru", "mail.ru", "fastmail.com", "hey.com", "qq.com",
        "163.com", "126.com", "naver.com", "orange.fr", "free.fr", "t-online.de",
    }
)  # fmt: skip
# Providers that also hand out addresses under country domains (yahoo.co.uk, hotmail.fr).
_FREE_MAIL_BRANDS = frozenset({"gmail", "hotmail", "outlook", "live", "yahoo", "aol", "gmx"})


@dataclass(frozen=True)
class Enrichment:
    company_domain: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, from the phone number
    timezone: str | None = None  # IANA name, only when the number maps to one zone


def enrich(email: str | None, phone: str | None) -> Enrichment:
    return enrichment_of(email, place_of(phone))


def enrichment_of(email: str | None, place: Place | None) -> Enrichment:
    """`enrich` for a phone whose place is known already (imports read each number once)."""
    country, zone = place or (None, None)
    return Enrichment(company_domain_of(email), country, zone)


def company_domain_of(email: str | None) -> str | None:
    """The domain of a business address; None for free mail and for no address."""
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
    if "." not in domain or is_free_mail(domain):
        return None
    return domain


def is_free_mail(domain: str) -> bool:
    if domain in FREE_MAIL_DOMAINS:
        return True
    brand, _, suffix = domain.partition(".")
    # yahoo.co.uk or hotmail.fr, but not hotmail.acme.com
    return brand in _FREE_MAIL_BRANDS and all(len(label) <= 3 for label in suffix.split("."))
