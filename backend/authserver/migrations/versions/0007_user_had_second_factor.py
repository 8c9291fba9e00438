"""Whether each user ever had a second factor: the grace period of a required second factor is only for
accounts that never had one. Existing accounts start at false; one with two-factor on gets true the
next time a factor is added or an admin resets it.

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


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("had_second_factor")
