"""The app's own record of spent TOTP steps and wrong codes (AUTH_SERVER_KIND=aidbox).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_used_totp_steps",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("wrong_codes", sa.Integer(), nullable=False),
        sa.Column("wrong_since", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("app_used_totp_steps")
