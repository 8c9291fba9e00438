"""Whether each user ever had a second factor: the grace period of a required second factor is only for
accounts that never had one. Existing accounts get true where a code of theirs was
ever accepted (``last_totp_step``) or they have a passkey: the clearest trace of a second factor a
database from before this revision holds.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 07:10:12.700200
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("had_second_factor", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        sa.text(
            "UPDATE users SET had_second_factor = :yes"
            " WHERE last_totp_step IS NOT NULL OR id IN (SELECT user_id FROM passkeys)"
        ).bindparams(yes=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("had_second_factor")
