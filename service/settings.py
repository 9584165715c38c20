"""Settings from the environment (and a `.env` file), with the defaults of `docs/interfaces.md`."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
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
        settings = cls(
            database_url=values.get("PANTAU_DATABASE_URL") or DEFAULT_DATABASE_URL,
            smtp_url=values.get("PANTAU_SMTP_URL") or None,
            timezone=values.get("PANTAU_TIMEZONE") or "Asia/Jakarta",
            rules_path=values.get("PANTAU_RULES") or None,
            sink_port=_port(values.get("PANTAU_SINK_PORT") or "8025", "PANTAU_SINK_PORT"),
            max_body_bytes=_positive(values, "PANTAU_MAX_BODY_BYTES", cls.max_body_bytes),
            max_events=_positive(values, "PANTAU_MAX_EVENTS", cls.max_events),
            max_text_length=_positive(values, "PANTAU_MAX_TEXT_LENGTH", cls.max_text_length),
            leader_retry_seconds=_positive(values, "PANTAU_LEADER_RETRY_SECONDS", cls.leader_retry_seconds),
            page_rows=_positive(values, "PANTAU_PAGE_ROWS", cls.page_rows),
            read_cache_rows=_positive(values, "PANTAU_READ_CACHE_ROWS", cls.read_cache_rows),
            alert_chunk=_positive(values, "PANTAU_ALERT_CHUNK", cls.alert_chunk),
            base_url=_base_url(values.get("PANTAU_BASE_URL") or cls.base_url),
            trusted_proxies=_networks(values.get("PANTAU_TRUSTED_PROXIES") or ""),
            partner_link_days=_positive(values, "PANTAU_PARTNER_LINK_DAYS", cls.partner_link_days),
            invite_link_hours=_positive(values, "PANTAU_INVITE_LINK_HOURS", cls.invite_link_hours),
            reset_link_hours=_positive(values, "PANTAU_RESET_LINK_HOURS", cls.reset_link_hours),
            matrix_max_bytes=_positive(values, "PANTAU_MATRIX_MAX_BYTES", cls.matrix_max_bytes),
            dashboard_cache_rows=_positive(values, "PANTAU_DASHBOARD_CACHE_ROWS", cls.dashboard_cache_rows),
            registry_publisher=values.get("PANTAU_REGISTRY_PUBLISHER") or cls.registry_publisher,
            registry_license=values.get("PANTAU_REGISTRY_LICENSE") or cls.registry_license,
        )
        _ = settings.zone  # refuse an unknown zone at start, not at 08:00
        return settings

    @property
    def zone(self) -> ZoneInfo:
        """The time zone for "today" and the scheduler."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"PANTAU_TIMEZONE: unknown time zone {self.timezone!r}") from None


def _positive(values: Mapping[str, str], name: str, default: int) -> int:
    """A positive whole number from the variable `name`, or `default` when unset."""
    text = values.get(name)
    if not text:
        return default
    if not is_whole(text.strip()):
        raise SettingsError(f"{name}: {text!r} is not a whole number in the digits 0-9")
    number = int(text)
    if number < 1:
        raise SettingsError(f"{name}: must be at least 1, not {number}")
    return number


def _base_url(text: str) -> str:
    """The public address without its trailing slash; only http(s) with a host."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(f"PANTAU_BASE_URL: {text!r} is not an http(s) address such as https://pantau.example.go.id")
    return text.strip().rstrip("/")


def _networks(text: str) -> tuple[str, ...]:
    """Comma-separated addresses or networks (CIDR), each checked, in their canonical form."""
    out = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingsError(f"PANTAU_TRUSTED_PROXIES: {item!r} is not an address or network") from None
    return tuple(out)
