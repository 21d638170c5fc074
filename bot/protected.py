"""Words naming a protected attribute (age, gender, race, ...): neither a score nor a
qualifying question may be built on one."""

from __future__ import annotations

import re

PROTECTED_WORDS = re.compile(
    r"\b(?:age|ages|aged|birth ?(?:date|day|year)|date of birth|dob|years? old|gender|sex|"
    r"race|racial|ethnic(?:ity)?|religio(?:n|us)|faith|disabilit(?:y|ies)|disabled|"
    r"sexual(?:ity| orientation)?|orientation|marital(?: status)?|married|pregnan(?:t|cy)|"
    r"maternity|national origin|nationality|citizenship|ancestry|skin colou?r)\b",
    re.IGNORECASE,
)
