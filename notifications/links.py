"""The pages a mail links to, as absolute addresses under the service's public address (PANTAU_BASE_URL).

A mail is read away from the service, so every address is whole; the paths are those of the
pages (service/api/pages*.py), which tests/test_mail_links.py opens to hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True, slots=True)
class Links:
    """Addresses of the pages a mail speaks of, under `base` (no trailing slash)."""

    base: str

    def _page(self, path: str, **query: str | None) -> str:
        given = {k: v for k, v in query.items() if v}
        return f"{self.base}{path}" + (f"?{urlencode(given)}" if given else "")

    def partnership(self, stream: str) -> str:
        """The partnership's page."""
        return self._page(f"/partnerships/{quote(stream, safe='')}")

    def activity_form(self, stream: str) -> str:
        """The form that records an activity of the partnership."""
        return self._page(f"/partnerships/{quote(stream, safe='')}/activity")

    def expiries(self, desk: str | None = None) -> str:
        """The agreements ending or lapsed, of a desk when given."""
        return self._page("/expiries", desk=desk)

    def pipeline(self, desk: str | None = None) -> str:
        """The drafts on their way, of a desk when given."""
        return self._page("/pipeline", desk=desk)

    def matrix(self, desk: str | None = None) -> str:
        """The matrix, of a desk when given."""
        return self._page("/matrix", desk=desk)
