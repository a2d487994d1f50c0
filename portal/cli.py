"""``flask`` commands. Each is safe to run twice."""

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration data (development only).")


@demo_cli.command("load")
def load_demo():
    """Load the demo accounts and customers, then a history for the reports (idempotent)."""
    from portal.clock import today
    from portal.demo import DemoDataRefused, load_demo_data
    from portal.demo.history import load_demo_history

    try:
        created = load_demo_data(today(), allowed=current_app.config["LOAD_DEMO_DATA_ALLOWED"])
    except DemoDataRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(f"Demo data ready ({created} new records).")
    history = load_demo_history(today())
    click.echo(f"Demo history for the reports ready ({history} new records).")


restrictions_cli = AppGroup("restrictions", help="Restrictions on contact (s3.2–s3.5).")
reviews_cli = AppGroup("reviews", help="Quarterly and six-monthly reviews (s3.4).")


@restrictions_cli.command("expire")
def expire_restrictions():
    """End restrictions past their end date and flag them for review (cron: daily)."""
    from portal.clock import today
    from portal.models.types import utcnow
    from portal.restrictions.services import expire_restrictions as expire

    ended = expire(today=today(), now=utcnow())
    click.echo(f"{len(ended)} restriction(s) reached their end date and were flagged for review.")


@reviews_cli.command("remind")
@click.option("--days", default=14, show_default=True, help="How far ahead to look.")
@click.option("--email", is_flag=True, help="Email each review manager the list.")
def remind_reviews(days, email):
    """List reviews overdue or due soon; with --email, send them to the review managers."""
    from portal.clock import today
    from portal.restrictions.reminders import reminder_lines, send_reminders

    lines = reminder_lines(today=today(), days=days)
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("No reviews are overdue or due.")
    if email and lines:
        sent = send_reminders(lines)
        click.echo(f"Sent to {sent} review manager(s).")


def register_commands(app) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(restrictions_cli)
    app.cli.add_command(reviews_cli)
