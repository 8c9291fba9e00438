"""Session tokens encrypted at rest: the sessions signed in before it are ended (users sign in again).

The column type is unchanged (text; the model encrypts, encrypted_text.py), so autogenerate finds
nothing and this revision is written by hand. The rows already there hold the auth server's tokens in
clear. Reading them as they are until they are next written would leave them so for as long as a
session lives, and for good in the row of a browser that never comes back (a session is only written
at sign-in and when sign-out refreshes its token); encrypting them here would need the app's key in
the migration. Deleting them costs each user one sign-in and leaves no token in clear.

Downgrading ends the sessions too: the release before reads the tokens as they are stored, which from
here on is encrypted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

app_sessions = sa.table("app_sessions")


def upgrade() -> None:
    op.execute(sa.delete(app_sessions))


def downgrade() -> None:
    op.execute(sa.delete(app_sessions))
