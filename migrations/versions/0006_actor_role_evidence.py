"""actor_role: the country and affiliation seen with each title

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actor_role", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("affiliation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_actor_role_country_id_actor"), "actor", ["country_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_actor_role_affiliation_id_actor"),
            "actor",
            ["affiliation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("actor_role", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_actor_role_affiliation_id_actor"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_actor_role_country_id_actor"), type_="foreignkey")
        batch_op.drop_column("affiliation_id")
        batch_op.drop_column("country_id")
