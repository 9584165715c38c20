"""outbox reason codes: each failure keeps a code and its parameters beside the mail server's text.

The pages word a failure from its code (`sendfail.<code>`), never by reading the stored English.
Rows written before this revision keep their text alone, shown as the technical detail; those
that say exactly the no-recipient reason the outbox wrote get its code.

Revision ID: 0013_outbox_reason_codes
Revises: 0010_people
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_outbox_reason_codes"
down_revision = "0012_search"
branch_labels = None
depends_on = None

# notifications.outbox.NO_RECIPIENT as it stands at this revision (a migration does not follow later code).
_NO_RECIPIENT = "no recipient address: no contact with an e-mail and no desk address configured"
_NO_RECIPIENT_CODE = "no_recipient"  # notifications.send_reasons.NO_RECIPIENT: an outbox reason, not a refusal


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("last_error_code", sa.String(40)))
        batch.add_column(sa.Column("last_error_params", sa.Text))
    with op.batch_alter_table("outbox_attempts") as batch:
        batch.add_column(sa.Column("code", sa.String(40)))
        batch.add_column(sa.Column("params", sa.Text))
    outbox = sa.table("outbox", sa.column("last_error", sa.Text), sa.column("last_error_code", sa.String))
    op.get_bind().execute(
        outbox.update().where(outbox.c.last_error == _NO_RECIPIENT).values(last_error_code=_NO_RECIPIENT_CODE)
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox_attempts") as batch:
        batch.drop_column("params")
        batch.drop_column("code")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("last_error_params")
        batch.drop_column("last_error_code")
