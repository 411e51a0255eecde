"""drains: taking a host down for maintenance

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-03 11:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'drains',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=255), nullable=False),
        sa.Column('max_parallel', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('confirm', sa.Boolean(), nullable=False),
        sa.Column('abort_on_cancel', sa.Boolean(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('owner', sa.String(length=255), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(), nullable=True),
        sa.Column('project_id', sa.String(length=255), nullable=True),
        sa.Column('user_id', sa.String(length=255), nullable=True),
        sa.Column('request_id', sa.String(length=255), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid'))
    op.create_index('drains_host_idx', 'drains', ['host'])
    op.create_index('drains_status_idx', 'drains', ['status'])
    op.create_table(
        'drain_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('drain_id', sa.Integer(), nullable=False),
        sa.Column('instance_uuid', sa.String(length=36), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('migration_uuid', sa.String(length=36), nullable=True),
        sa.Column('destination', sa.String(length=255), nullable=True),
        sa.Column('tried_hosts', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['drain_id'], ['drains.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('drain_id', 'instance_uuid'))
    op.create_index('ix_drain_items_drain_id', 'drain_items', ['drain_id'])


def downgrade() -> None:
    op.drop_index('ix_drain_items_drain_id', table_name='drain_items')
    op.drop_table('drain_items')
    op.drop_index('drains_status_idx', table_name='drains')
    op.drop_index('drains_host_idx', table_name='drains')
    op.drop_table('drains')
