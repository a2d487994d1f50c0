"""a review manager changes a restriction at its review (issue 15 item 1; s3.4): the review
that decides "vary" stays open until the change is written, and the change takes effect as
the reviewer's decision (the only case where who writes a restriction also approves it)

Revision ID: c0f1a2b30015
Revises: b8d3f5a10014
"""

from alembic import op

revision = "c0f1a2b30015"
down_revision = "b8d3f5a10014"
branch_labels = None
depends_on = None

NAME = "ck_reviews_decided_at_review"
OLD = (
    "outcome IS NULL OR (held_on IS NOT NULL AND reviewer_id IS NOT NULL"
    " AND behaviour_improved IS NOT NULL)"
)
NEW = (
    "outcome IS NULL OR (reviewer_id IS NOT NULL AND behaviour_improved IS NOT NULL"
    " AND (held_on IS NOT NULL OR outcome = 'vary'))"
)


APPROVER = "ck_restrictions_approver_not_proposer"
APPROVER_OLD = "approved_by_id IS NULL OR approved_by_id <> proposed_by_id"
APPROVER_NEW = (
    "approved_by_id IS NULL OR approved_by_id <> proposed_by_id OR supersedes_id IS NOT NULL"
)


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_="check")
        batch_op.create_check_constraint(op.f(NAME), NEW)
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(APPROVER), type_="check")
        batch_op.create_check_constraint(op.f(APPROVER), APPROVER_NEW)


def downgrade():
    # A restriction changed at review by its own approver cannot satisfy the old rule; the
    # downgrade refuses rather than rewrite who decided (the audit trail records it).
    # A change decided but not yet written cannot satisfy the old rule: it is forgotten
    # (the review is open again), as if the review manager had not saved it.
    op.execute(
        "UPDATE reviews SET outcome = NULL, reviewer_id = NULL, behaviour_improved = NULL,"
        " explanation = '' WHERE held_on IS NULL"
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_="check")
        batch_op.create_check_constraint(op.f(NAME), OLD)
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(APPROVER), type_="check")
        batch_op.create_check_constraint(op.f(APPROVER), APPROVER_OLD)
