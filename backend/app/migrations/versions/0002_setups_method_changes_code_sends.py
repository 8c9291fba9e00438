"""Everything since release 0e445d9: pending TOTP setups, pending changes of method, code sends.

Only new tables: the rows already there are kept as they are.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_code_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.Double(), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_app_code_sends_user_id", "app_code_sends", ["user_id"])
    op.create_table(
        "pending_method_changes",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("sign_in", sa.String(length=128), nullable=False),
        sa.Column("opened", sa.Double(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("secret", sa.String(length=128), nullable=True),
        sa.Column("phone_number", sa.String(length=32), nullable=True),
        sa.Column("failed_codes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "pending_totp_setups",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("started", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    for table in ("pending_totp_setups", "pending_method_changes", "app_code_sends"):
        op.drop_table(table)
