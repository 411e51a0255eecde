"""servers keep accessIPv4 and accessIPv6

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 18:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        batch.add_column(sa.Column('access_ip_v4', sa.String(length=15), nullable=True))
        batch.add_column(sa.Column('access_ip_v6', sa.String(length=45), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        batch.drop_column('access_ip_v6')
        batch.drop_column('access_ip_v4')
