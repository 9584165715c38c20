"""Settings from the environment (and a `.env` file), with the defaults of `docs/interfaces.md`."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from events.numbers import is_whole

DEFAULT_DATABASE_URL = "sqlite:///./var/pantau.db"


class SettingsError(ValueError):
    """A setting has a value Pantau cannot use; the message names the variable."""


def _port(text: str, name: str) -> int:
    if not is_whole(text.strip()) or not 1 <= int(text) <= 65535:
        raise SettingsError(f"{name}: {text!r} is not a port number (1 to 65535)")
    return int(text)


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Pantau process."""

    database_url: str = DEFAULT_DATABASE_URL
    smtp_url: str | None = None
    timezone: str = "Asia/Jakarta"
    rules_path: str | None = None
    sink_port: int = 8025  # the local SMTP sink's loopback port when PANTAU_SMTP_URL is unset
    # Limits on what one request may carry (docs/input-limits.md).
    max_body_bytes: int = 10 * 1024 * 1024
    max_events: int = 1000
    max_text_length: int = 20_000
    # How often a standby instance tries to take the scheduler's leadership (docs/interfaces.md).
    leader_retry_seconds: int = 60
    # Rows of the matrix page when no `limit` is asked: a registry's whole matrix is megabytes.
    page_rows: int = 100
    # Partnerships each of a process's read caches keeps (decoded states, status lines, matrix rows):
    # a few desks' worth, so a worker's memory follows this number, not the registry's size.
    read_cache_rows: int = 2000
    # Partnerships the alert job reads, and alerts it renders and queues, at a time: its memory
    # follows this, not the registry or the backlog (notifications/job.py).
    alert_chunk: int = 500
    # The address people reach the service at, for links in mails and paging headers: never the
    # request's own Host, which a client chooses (docs/interfaces.md).
    base_url: str = "http://127.0.0.1:8000"
    # Proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
    trusted_proxies: tuple[str, ...] = ()
    # Days a partner page's link (/mitra/{key}) works after it was last shown to the desk (docs/partner.md).
    partner_link_days: int = 365
    # How long a mailed link to set a password stays open (docs/users.md): an invitation may wait
    # over a weekend; a reset is asked for by someone waiting for it.
    invite_link_hours: int = 72
    reset_link_hours: int = 2
    # The largest matrix file `pantau matrix import` and the /import page read (docs/matrix-import.md).
    matrix_max_bytes: int = 10 * 1024 * 1024
    # Partnerships whose dashboard summaries a process keeps for the day (service/dashboard_cache.py).
    dashboard_cache_rows: int = 25_000
    # Who publishes the public registry's open data, and under which licence (docs/registry.md).
    registry_publisher: str = "Pantau"
    registry_license: str = "CC-BY-4.0"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: str | None = ".env") -> Settings:
        """Read PANTAU_* variables; the process environment wins over the `.env` file."""
        values = {
            k: v
            for k, v in (dotenv_values(dotenv) if dotenv and os.path.exists(dotenv) else {}).items()
            if v is not None
        }
        values.update(os.environ if environ is None else environ)
        # An unset or empty variable keeps the field's default.
        settings = cls(**{field: read(values[name], name) for field, name, read in VARIABLES if values.get(name)})
        _ = settings.zone  # refuse an unknown zone at start, not at 08:00
        return settings

    @property
    def zone(self) -> ZoneInfo:
        """The time zone for "today" and the scheduler."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"PANTAU_TIMEZONE: unknown time zone {self.timezone!r}") from None


def _text(text: str, name: str) -> str:
    return text


def _positive(text: str, name: str) -> int:
    """A positive whole number from the variable `name`."""
    if not is_whole(text.strip()):
        raise SettingsError(f"{name}: {text!r} is not a whole number in the digits 0-9")
    number = int(text)
    if number < 1:
        raise SettingsError(f"{name}: must be at least 1, not {number}")
    return number


def _base_url(text: str, name: str = "PANTAU_BASE_URL") -> str:
    """The public address without its trailing slash; only http(s) with a host."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(f"{name}: {text!r} is not an http(s) address such as https://pantau.example.go.id")
    return text.strip().rstrip("/")


def _networks(text: str, name: str = "PANTAU_TRUSTED_PROXIES") -> tuple[str, ...]:
    """Comma-separated addresses or networks (CIDR), each checked, in their canonical form."""
    out = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingsError(f"{name}: {item!r} is not an address or network") from None
    return tuple(out)


# Each setting: its field of Settings, its variable, and how the variable's text is read (an unset
# or empty variable keeps the field's default). docs/interfaces.md's table lists each variable.
VARIABLES: tuple[tuple[str, str, Callable[[str, str], Any]], ...] = (
    ("database_url", "PANTAU_DATABASE_URL", _text),
    ("smtp_url", "PANTAU_SMTP_URL", _text),
    ("timezone", "PANTAU_TIMEZONE", _text),
    ("rules_path", "PANTAU_RULES", _text),
    ("sink_port", "PANTAU_SINK_PORT", _port),
    ("max_body_bytes", "PANTAU_MAX_BODY_BYTES", _positive),
    ("max_events", "PANTAU_MAX_EVENTS", _positive),
    ("max_text_length", "PANTAU_MAX_TEXT_LENGTH", _positive),
    ("leader_retry_seconds", "PANTAU_LEADER_RETRY_SECONDS", _positive),
    ("page_rows", "PANTAU_PAGE_ROWS", _positive),
    ("read_cache_rows", "PANTAU_READ_CACHE_ROWS", _positive),
    ("alert_chunk", "PANTAU_ALERT_CHUNK", _positive),
    ("base_url", "PANTAU_BASE_URL", _base_url),
    ("trusted_proxies", "PANTAU_TRUSTED_PROXIES", _networks),
    ("partner_link_days", "PANTAU_PARTNER_LINK_DAYS", _positive),
    ("invite_link_hours", "PANTAU_INVITE_LINK_HOURS", _positive),
    ("reset_link_hours", "PANTAU_RESET_LINK_HOURS", _positive),
    ("matrix_max_bytes", "PANTAU_MATRIX_MAX_BYTES", _positive),
    ("dashboard_cache_rows", "PANTAU_DASHBOARD_CACHE_ROWS", _positive),
    ("registry_publisher", "PANTAU_REGISTRY_PUBLISHER", _text),
    ("registry_license", "PANTAU_REGISTRY_LICENSE", _text),
)
