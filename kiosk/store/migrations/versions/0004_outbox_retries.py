"""Outbox retries: when a reply is next tried, and when a sender claimed it.

Revision ID: 0004_outbox_retries
Revises: 0003_intake
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_outbox_retries'
down_revision = '0003_intake'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_column('claimed_at')
        batch.drop_column('next_attempt_at')
