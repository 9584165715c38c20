"""One partnership the alert job cannot evaluate or render: logged, counted, and the job goes on."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter

log = logging.getLogger("pantau.alerts")

# A registry of its own, added to /metrics by the service; under `pantau serve --workers N` the
# counter is written to the multiprocess files like every other meter.
REGISTRY = CollectorRegistry()
FAILED = Counter("pantau_alert_failures", "partnerships the alert job skipped because of an error",
                 ["stage"], registry=REGISTRY)


def report(stage: str, stream: str | None, day, exc: BaseException) -> None:
    """Log and count one partnership's failure at `stage` (evaluate or render) on `day`."""
    log.error("alert job: %s of %s on %s failed, skipped (the others go on): %s: %s",
              stage, stream or "a digest", day, exc.__class__.__name__, exc, exc_info=exc)
    FAILED.labels(stage).inc()
