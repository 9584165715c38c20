"""The field's words, each declared once: read from the catalogue's own types (events/catalogue.py).

Rules, pages, forms and the API take their names from here (and tests/test_vocabulary.py ties the
rules' keys to them), so that a word added to the catalogue is known everywhere, or fails a test.
"""

from __future__ import annotations

import re

from events.catalogue import SLUG

# A partnership's id (the stream): lowercase letters, digits and '-', 3 to 80 characters.
STREAM_PATTERN = SLUG
STREAM_ID = re.compile(SLUG)
