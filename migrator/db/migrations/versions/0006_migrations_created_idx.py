"""the records of moves in pages: an index in the lists' order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:30:00
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('migrations_created_idx', 'migrations', ['created_at', 'id'])


def downgrade() -> None:
    op.drop_index('migrations_created_idx', table_name='migrations')
