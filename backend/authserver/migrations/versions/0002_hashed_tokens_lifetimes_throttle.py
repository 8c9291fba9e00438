"""Everything since release 0e445d9: hashed codes and tokens, session lifetimes, throttle in the database,
sign-up replays, second-factor locks, and what each code send was for.

The sign-in tables (``login_sessions``, ``oauth2_codes``, ``oauth2_tokens``) are dropped and made
anew rather than altered: they only hold sessions, codes and tokens that end within hours, and the old
rows keep codes and tokens in clear, which the new columns store as hashes only. Everyone signed in
has to sign in again; users, their two-factor secrets, recovery codes and resources are kept.

Existing ``code_sends`` rows were all sign-in codes: their ``purpose`` becomes ``'login'``.

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
    for table in ("oauth2_tokens", "oauth2_codes", "login_sessions"):
        op.drop_table(table)
    create_sign_in_tables()

    with op.batch_alter_table("code_sends") as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=16), nullable=False, server_default="login")
        )
    # The model sets the value on every insert; the default was only for the rows already there.
    with op.batch_alter_table("code_sends") as batch_op:
        batch_op.alter_column("purpose", server_default=None)

    op.create_table(
        "recent_signups",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "throttle_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=1024), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_throttle_entries_expires_at", "throttle_entries", ["expires_at"])
    op.create_index("ix_throttle_entries_key", "throttle_entries", ["key"])
    op.create_table(
        "second_factor_locks",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("locked_at", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )


def create_sign_in_tables() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("last_seen_at", sa.Double(), nullable=False),
        sa.Column("second_factor_pending", sa.Boolean(), nullable=False),
        sa.Column("code_delivered", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])
    op.create_table(
        "oauth2_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("login_session_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("redirect_uri", sa.Text(), nullable=True),
        sa.Column("response_type", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("auth_time", sa.Integer(), nullable=False),
        sa.Column("acr", sa.Text(), nullable=True),
        sa.Column("amr", sa.Text(), nullable=True),
        sa.Column("code_challenge", sa.Text(), nullable=True),
        sa.Column("code_challenge_method", sa.String(length=48), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    op.create_index("ix_oauth2_codes_login_session_id", "oauth2_codes", ["login_session_id"])
    op.create_table(
        "oauth2_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("access_token_hash", sa.String(length=64), nullable=False),
        sa.Column("refresh_token_hash", sa.String(length=64), nullable=True),
        sa.Column("authorization_code_hash", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("login_session_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("token_type", sa.String(length=40), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.Integer(), nullable=False),
        sa.Column("access_token_revoked_at", sa.Integer(), nullable=False),
        sa.Column("refresh_token_revoked_at", sa.Integer(), nullable=False),
        sa.Column("expires_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("access_token_hash"),
    )
    op.create_index("ix_oauth2_tokens_authorization_code_hash", "oauth2_tokens", ["authorization_code_hash"])
    op.create_index("ix_oauth2_tokens_login_session_id", "oauth2_tokens", ["login_session_id"])
    op.create_index("ix_oauth2_tokens_refresh_token_hash", "oauth2_tokens", ["refresh_token_hash"])
    op.create_index("ix_oauth2_tokens_user_id", "oauth2_tokens", ["user_id"])


def downgrade() -> None:
    """Back to 0001's tables; the sign-in tables come back empty (no code or token in clear)."""
    for table in ("second_factor_locks", "throttle_entries", "recent_signups"):
        op.drop_table(table)
    with op.batch_alter_table("code_sends") as batch_op:
        batch_op.drop_column("purpose")
    for table in ("oauth2_tokens", "oauth2_codes", "login_sessions"):
        op.drop_table(table)
    create_sign_in_tables_of_0001()


def create_sign_in_tables_of_0001() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("second_factor_pending", sa.Boolean(), nullable=False),
        sa.Column("code_delivered", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])
    op.create_table(
        "oauth2_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("login_session_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("redirect_uri", sa.Text(), nullable=True),
        sa.Column("response_type", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("auth_time", sa.Integer(), nullable=False),
        sa.Column("acr", sa.Text(), nullable=True),
        sa.Column("amr", sa.Text(), nullable=True),
        sa.Column("code_challenge", sa.Text(), nullable=True),
        sa.Column("code_challenge_method", sa.String(length=48), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_oauth2_codes_login_session_id", "oauth2_codes", ["login_session_id"])
    op.create_table(
        "oauth2_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("login_session_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=48), nullable=True),
        sa.Column("token_type", sa.String(length=40), nullable=True),
        sa.Column("access_token", sa.String(length=255), nullable=False),
        sa.Column("refresh_token", sa.String(length=255), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.Integer(), nullable=False),
        sa.Column("access_token_revoked_at", sa.Integer(), nullable=False),
        sa.Column("refresh_token_revoked_at", sa.Integer(), nullable=False),
        sa.Column("expires_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("access_token"),
    )
    op.create_index("ix_oauth2_tokens_login_session_id", "oauth2_tokens", ["login_session_id"])
    op.create_index("ix_oauth2_tokens_refresh_token", "oauth2_tokens", ["refresh_token"])
    op.create_index("ix_oauth2_tokens_user_id", "oauth2_tokens", ["user_id"])
