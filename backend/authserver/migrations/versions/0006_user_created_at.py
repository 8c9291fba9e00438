"""When each user was made: the grace period of a required second factor counts from it. Accounts
made before have none (their grace is over).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 02:19:41.903519
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_at", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("created_at")
