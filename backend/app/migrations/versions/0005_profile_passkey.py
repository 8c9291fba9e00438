"""app_users.passkey: whether the step after the password asks the user for a passkey.

Existing snapshots start at false (two-factor shown as the User document says, as before); the next
read of the settings, sign-in or background refresh finds the right value.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("passkey", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("app_users", schema=None) as batch_op:
        batch_op.drop_column("passkey")
