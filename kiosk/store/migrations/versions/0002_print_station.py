"""Print jobs name the station (desk PC) whose printer prints them.

In a multi-PC office every desk has its own ticket printer and all desks share one
database: a ticket must come out at the desk that issued it, and a desk that starts
must only take back the jobs it was printing itself.

Revision ID: 0002_print_station
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_print_station'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('station', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_column('station')
