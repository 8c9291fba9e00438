"""The key that signs ID tokens (OpenID Connect), made on first use and kept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("use", sa.String(length=32), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("encrypted_pem", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("use"),
    )


def downgrade() -> None:
    op.drop_table("signing_keys")
