"""The field's words, each declared once: read from the catalogue's own types (events/catalogue.py).

Rules, pages, forms and the API take their names from here, and tests/test_vocabulary.py ties the
rules' keys to them, so that a word added here is known everywhere, or fails a test. Words of the
projections (stages, agreement states) live here too: the lowest layer, so every layer reads them.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from events.catalogue import (
    APPROVAL_PATH,
    SLUG,
    Activeness,
    ActivityKind,
    AssessedStatus,
    Document,
)

# A partnership's id (the stream): lowercase letters, digits and '-', 3 to 80 characters.
STREAM_PATTERN = SLUG
STREAM_ID = re.compile(SLUG)

# The matrix's statuses: a partnership's activeness, or `penjajakan` while it is explored.
STATUSES: tuple[str, ...] = get_args(AssessedStatus)
ACTIVENESS: tuple[str, ...] = get_args(Activeness)
(PENJAJAKAN,) = (s for s in STATUSES if s not in ACTIVENESS)  # explored, not yet judged by activity

# The stage of a partnership (projections/status.py), in the order it moves through them.
Stage = Literal["exploring", "intent", "formal", "lapsed", "ended"]
STAGES: tuple[str, ...] = get_args(Stage)

# The state of an agreement on a day (projections/agreements.py).
AgreementState = Literal["pending", "in_force", "lapsed", "terminated"]
AGREEMENT_STATES: tuple[str, ...] = get_args(AgreementState)

# The steps a draft waits for: the approval path, then its signing (projections/pipeline.py).
SIGNING = "signing"
PIPELINE_STEPS: tuple[str, ...] = (*APPROVAL_PATH, SIGNING)

ACTIVITY_KINDS: tuple[str, ...] = get_args(ActivityKind)
DOCUMENTS: tuple[str, ...] = get_args(Document)
