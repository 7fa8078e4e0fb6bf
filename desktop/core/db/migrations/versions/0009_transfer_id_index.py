"""transfer records: the ID-number index also carries the status

A search by a short ID-number prefix ("5", "5109") matches nearly every record; with the status
outside the index, counting the current ones read every matching row from the table (0.42 s on
300 000 records). With it, the count is read from the index alone (25 ms).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 03:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transfer_record", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_record_id_number")
        batch_op.create_index("ix_transfer_record_id_number", ["id_number", "status", "hire_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfer_record", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_record_id_number")
        batch_op.create_index("ix_transfer_record_id_number", ["id_number", "hire_date"], unique=False)
