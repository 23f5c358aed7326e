"""Encryption at rest: the phone column becomes Text, since a sealed value outgrows 64 characters.

Existing plain values stay readable; ``intake rekey`` seals them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.alter_column("phone", type_=sa.Text(), existing_type=sa.String(64), existing_nullable=True)


def downgrade() -> None:
    # Sealed phone numbers do not fit 64 characters: PostgreSQL refuses this while any exist.
    with op.batch_alter_table("intakes") as batch:
        batch.alter_column("phone", type_=sa.String(64), existing_type=sa.Text(), existing_nullable=True)
