"""E-mail addresses as the record takes them: one plain address each, checked by email-validator."""

from __future__ import annotations

import re
from functools import lru_cache

# A dot-atom of RFC 5322's atext: every such local part email-validator accepts as it is.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_MAX_LOCAL, _MAX_ADDRESS = 64, 254  # within these the quick answer holds; past them the full check decides
# Domains a full check has passed. Its domain check (IDNA) was a fifth of a large import's time,
# and a registry's contacts share a few domains: a plain local part at a passed domain is valid.
_PASSED_DOMAINS: set[str] = set()
_MAX_DOMAINS = 10_000  # a bound on what the set holds, however many domains a record names


def address_error(text: str) -> str | None:
    """Why `text` is not one plain deliverable-looking address (`a,b@x`, `"a"@x`, `x@y.z;`), or None."""
    local, at, domain = text.rpartition("@")
    if (
        at
        and domain in _PASSED_DOMAINS
        and len(local) <= _MAX_LOCAL
        and len(text) <= _MAX_ADDRESS
        and _PLAIN_LOCAL.match(local)
    ):
        return None
    return _full_check(text)


@lru_cache(maxsize=4096)
def _full_check(text: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email  # loaded on first use: imports stay quick

    try:
        # No DNS look-up (imports and tests run offline); no display names, quoted local parts or
        # IP literals: an address that a mail header could read as two recipients is refused.
        validate_email(
            text,
            check_deliverability=False,
            allow_display_name=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
        )
    except EmailNotValidError as exc:
        return str(exc)
    if len(_PASSED_DOMAINS) >= _MAX_DOMAINS:
        _PASSED_DOMAINS.clear()  # only a quick path is lost: the next address of each is checked whole
    _PASSED_DOMAINS.add(text.rpartition("@")[2])
    return None
