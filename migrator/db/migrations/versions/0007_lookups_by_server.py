"""a step's event finds its action, and a confirm its move, by server

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 22:30:00
"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A server's actions and moves stay listed through each index's first
    # column.
    op.create_index('instance_actions_instance_request_idx', 'instance_actions',
                    ['instance_uuid', 'request_id'])
    op.drop_index('instance_actions_instance_idx', table_name='instance_actions')
    op.create_index('migrations_instance_status_idx', 'migrations',
                    ['instance_uuid', 'status'])
    op.drop_index('migrations_instance_idx', table_name='migrations')


def downgrade() -> None:
    op.create_index('migrations_instance_idx', 'migrations', ['instance_uuid'])
    op.drop_index('migrations_instance_status_idx', table_name='migrations')
    op.create_index('instance_actions_instance_idx', 'instance_actions',
                    ['instance_uuid'])
    op.drop_index('instance_actions_instance_request_idx',
                  table_name='instance_actions')
