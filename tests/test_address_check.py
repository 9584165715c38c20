"""The quick path of the address check answers exactly as email-validator does."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from events.addresses import address_error

DOMAINS = ["pemda.example", "kbri-seoul.go.id", "x.test", "b..example", "localhost", "-bad.example"]
LOCAL = st.text(alphabet="abcXYZ019.+-_!#'~\"(),:;<>@[] \u00e9\u4e2d", min_size=0, max_size=70)


def _validator(text: str) -> bool:
    try:
        validate_email(
            text,
            check_deliverability=False,
            allow_display_name=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
        )
    except EmailNotValidError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(local=LOCAL, domain=st.sampled_from(DOMAINS), first=st.sampled_from(["putri", "biro.ks"]))
def test_an_address_at_a_domain_seen_before_is_judged_as_email_validator_judges_it(local, domain, first):
    address_error(f"{first}@{domain}")  # the domain is met first with a plain address
    text = f"{local}@{domain}"
    assert (address_error(text) is None) == _validator(text)


def test_an_address_too_long_at_a_passed_domain_is_still_refused():
    assert address_error("putri@pemda.example") is None
    assert "too long" in (address_error("p" * 250 + "@pemda.example") or "")


def test_the_domains_remembered_stay_bounded():
    from events import addresses

    for n in range(addresses._MAX_DOMAINS + 5):
        addresses._PASSED_DOMAINS.add(f"d{n}.example")
    assert address_error("putri@kota-baru.example") is None
    assert len(addresses._PASSED_DOMAINS) == 1
