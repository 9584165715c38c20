"""E-mail addresses as the record takes them: one plain address each, checked by email-validator."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def address_error(text: str) -> str | None:
    """Why `text` is not one plain deliverable-looking address (`a,b@x`, `"a"@x`, `x@y.z;`), or None."""
    from email_validator import EmailNotValidError, validate_email  # loaded on first use: imports stay quick

    try:
        # No DNS look-up (imports and tests run offline); no display names, quoted local parts or
        # IP literals: an address that a mail header could read as two recipients is refused.
        validate_email(text, check_deliverability=False, allow_display_name=False,
                       allow_quoted_local=False, allow_domain_literal=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
