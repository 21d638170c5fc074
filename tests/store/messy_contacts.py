"""A messy contact file with known duplicates, bad rows and erased people, and the store
it is imported into: one contact the file repeats, one person erased."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.store import Contact, ProfileStore

SALT = "test-salt"
HEADER = [
    "Full name", "E-mail", "Phone", "Company", "Notes", "purpose", "consent_source",
    "consent_time", "consent_wording",
]  # fmt: skip
EVIDENCE = ["webinar form", "2024-03-01T10:00:00Z", "Send me product news by email."]
NO_CONSENT = ["", "", "", ""]

# label -> cells; a label's line is where its row starts in the file.
ROWS: list[tuple[str, list[str]]] = [
    (
        "dana",
        ["  DANA   REYES ", " Dana@Acme.IO ", "(415) 555-0134", " Acme ", "", "email", *EVIDENCE],
    ),
    (
        "bo",
        [
            "Bo Chen",
            "bo@brightpath.co.uk",
            "020 7946 0958",
            "Brightpath",
            "met at\nthe fair",
            *NO_CONSENT,
        ],
    ),
    ("dana_again", ["", "DANA@acme.io", "", "", "", "sms", "", "", ""]),
    ("dana_by_phone", ["Dana Reyes", "", "415-555-0134", "Acme Corp", "", *NO_CONSENT]),
    (
        "ada",
        ["Ada L.", "ADA@analytical.io", "+1 212 555 0100", "Analytical Engines", "", *NO_CONSENT],
    ),
    ("gone_email", ["Gone Person", "gone@erased.io", "", "", "", "email", *EVIDENCE]),
    ("gone_phone", ["", "", "(415) 555-0111", "", "", *NO_CONSENT]),
    ("bad_email", ["Bad Email", "not-an-email", "4155550199", "", "", *NO_CONSENT]),
    ("bad_phone", ["Bad Phone", "bad@phone.io", "12345", "", "", *NO_CONSENT]),
    ("empty", ["", "", "", "", "", "", "", "", ""]),
    ("no_keys", ["No Keys", "", "", "Nowhere Inc", "", *NO_CONSENT]),
    (
        "cleo",
        [
            "cleo park",
            "cleo@gmail.com",
            "",
            "",
            "",
            "email; sms",
            "fair sign-up sheet",
            "2024-02-10 09:30",
            "Text or email me offers.",
        ],
    ),
    ("eve", ["Eve Adams", "eve@startup.dev", "", "", "", "email", "landing page", "", "Email me"]),
    ("blank_line", []),
    ("finn", ["Finn", "finn@acme.io", "+33 6 12 34 56 78", "", "", "email", *EVIDENCE]),
]


def write_messy_csv(path: Path) -> dict[str, int]:
    """Write the file; return each row's line number (the header is line 1)."""
    lines: dict[str, int] = {}
    line = 2
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        for label, cells in ROWS:
            lines[label] = line
            if cells:
                writer.writerow(cells)
            else:
                out.write("\n")
            line += 1 + sum(cell.count("\n") for cell in cells)
    return lines


def prepare_store(store: ProfileStore) -> Contact:
    """Ada, known from the web chat without a phone; a person erased since."""
    ada = store.leads.update_fields(
        "web", "w-ada", {"name": "Ada Lovelace", "email": "ada@analytical.io"}, "w-ada"
    )
    gone = store.leads.update_fields(
        "sms", "+14155550111", {"email": "gone@erased.io", "phone": "+14155550111"}, "s-1"
    )
    store.privacy.erase(gone.id, SALT)
    return ada
