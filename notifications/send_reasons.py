"""Why a mail was not sent, or was sent with problems: a code and its parameters, stored with the text.

The pages word a reason from its code (the gettext entry `sendfail.<code>`); the parameter
`detail` holds the mail server's own words, shown apart as the technical detail. The English
text stays beside them for the log and the CLI. Nothing reads that text back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

NO_RECIPIENT = "no_recipient"  # no contact with an e-mail and no desk address
BAD_ADDRESS = "bad_address"  # detail: the addresses that are no e-mail address
REFUSED = "refused"  # detail: each refused recipient with the server's answer
LOGIN = "login"  # detail: the server's answer to our credentials
SERVER_SAID = "server_said"  # detail: the server's code and words
UNREACHABLE = "unreachable"  # detail: the connection's error
GAVE_UP = "gave_up"  # n: attempts made; detail: the last attempt's reason
SENT_WITH_PROBLEMS = "sent_with_problems"  # detail: recipients refused, an event not recorded
LEASE_LOST = "lease_lost"  # detail: what this attempt found; the next holder records the outcome
CODES = (NO_RECIPIENT, BAD_ADDRESS, REFUSED, LOGIN, SERVER_SAID, UNREACHABLE, GAVE_UP, SENT_WITH_PROBLEMS, LEASE_LOST)


@dataclass(frozen=True, slots=True)
class SendReason:
    """A reason as stored: its English `text`, its `code` and the code's `params`."""

    text: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """The reason as the outbox row's columns."""
        return {"last_error": self.text, "last_error_code": self.code, "last_error_params": json.dumps(self.params)}

    def attempt(self) -> dict[str, Any]:
        """The reason as an attempt's columns."""
        return {"detail": self.text, "code": self.code, "params": json.dumps(self.params)}


NO_ROW_REASON = {"last_error": None, "last_error_code": None, "last_error_params": None}
NO_ATTEMPT_REASON = {"detail": None, "code": None, "params": None}


def params_of(stored: str | None) -> dict[str, Any]:
    """The parameters of a stored reason (an empty dict for a row written before codes were kept)."""
    if not stored:
        return {}
    loaded = json.loads(stored)
    return loaded if isinstance(loaded, dict) else {}
