"""``flask`` commands. Each is safe to run twice."""

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration data (development only).")


@demo_cli.command("load")
def load_demo():
    """Load the demo accounts and customers (idempotent)."""
    from portal.clock import today
    from portal.demo import DemoDataRefused, load_demo_data

    try:
        created = load_demo_data(today(), allowed=current_app.config["LOAD_DEMO_DATA_ALLOWED"])
    except DemoDataRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(f"Demo data ready ({created} new records).")


def register_commands(app) -> None:
    app.cli.add_command(demo_cli)
