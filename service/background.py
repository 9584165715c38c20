"""What `pantau serve` runs beside the API: the scheduler, the outbox worker, the local SMTP sink."""

from __future__ import annotations

from service.bootstrap import Pantau


class Background:
    """Handle on the background work of one process."""

    def shutdown(self) -> None:
        """Stop whatever was started."""


def start_background(pantau: Pantau) -> Background:
    """Start the background work for `pantau` (filled in by the alerts work, issue 3)."""
    return Background()
