"""``flask`` commands. Each is safe to run twice."""

import os
import signal
import sys

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
    from portal.demo.retention_examples import load_retention_examples

    try:
        created = load_demo_data(today(), allowed=current_app.config["LOAD_DEMO_DATA_ALLOWED"])
    except DemoDataRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(f"Demo data ready ({created} new records).")
    history = load_demo_history(today())
    click.echo(f"Demo history for the reports ready ({history} new records).")
    old = load_retention_examples(today())
    click.echo(f"Demo records past their retention date ready ({old} new records).")


@demo_cli.command("generate")
@click.option("--customers", type=click.IntRange(min=1), default=350_000, show_default=True)
@click.option("--cases", type=click.IntRange(min=1), default=20_000, show_default=True)
@click.option(
    "--contacts-per-restriction", type=click.IntRange(min=0), default=250, show_default=True
)
def demo_generate(customers, cases, contacts_per_restriction):
    """Add a synthetic data set at a large landlord's scale beside the demo data (issue 18;
    benchmarks). Loads the demo data first if it is not there."""
    import time

    from portal.clock import today
    from portal.demo import DemoDataRefused, load_demo_data
    from portal.demo.synthetic import generate

    if cases > customers:
        raise click.BadParameter("there cannot be more cases than customers", param_hint="--cases")
    try:
        load_demo_data(today(), allowed=current_app.config["LOAD_DEMO_DATA_ALLOWED"])
    except DemoDataRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    started = time.monotonic()
    counts = generate(
        customers, cases, today=today(), contacts_per_restriction=contacts_per_restriction
    )
    for table, count in counts.items():
        click.echo(f"{table}: {count:,} rows added")
    click.echo(f"Generated in {time.monotonic() - started:.0f} s.")


@demo_cli.command("welcome")
def demo_welcome():
    """Say where the portal is and whom to sign in as: the last thing ``make run`` prints
    before serving (issue 15 item 13), so a newcomer is not left at a log line."""
    from portal.demo.personas import welcome_lines

    base_url = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    for line in welcome_lines(base_url):
        click.echo(line)


@demo_cli.command("code")
@click.argument("email")
def demo_code(email):
    """Print the current second-factor code of a demo staff account (development only)."""
    import pyotp
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_demo or not user.has_second_factor:
        raise click.ClickException("Only demo accounts with a second factor have a code here.")
    click.echo(pyotp.TOTP(user.totp_secret).now())


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
        sent = send_reminders(today=today(), days=days)
        click.echo(f"Sent to {sent} review manager(s).")
    if email:  # the policy's own review (s5.4): 90 and 30 days before, and when overdue
        from portal.policy.reminders import send_policy_reminder

        told = send_policy_reminder(today())
        if told:
            click.echo(f"Policy review reminder sent to {told} person(s).")


retention_cli = AppGroup("retention", help="The retention schedule (UK GDPR Art. 5(1)(e)).")


notices_cli = AppGroup("notices", help="What-happens-next emails (issue 15 item 7).")


@notices_cli.command("referrals")
def chase_referrals():
    """Email Community Safety about referrals not accepted after 2 working days, once each
    (cron: hourly or daily; safe to run again)."""
    from portal.clock import today
    from portal.notices.referrals import remind_unaccepted

    chased = remind_unaccepted(today())
    click.echo(f"{chased} referral(s) not accepted after 2 working days: Community Safety told.")


@retention_cli.command("apply")
@click.option("--apply", "really", is_flag=True, help="Remove what is due. Without it: a dry run.")
def apply_retention(really):
    """List what the retention schedule removes today; with --apply, remove it (cron: daily)."""
    from portal.clock import today
    from portal.gdpr import retention

    done = retention.apply(today()) if really else retention.plan(today())
    verb = "Removed" if really else "Would remove"
    for due in done:
        if not due.rule.applied_by_the_portal:
            click.echo(
                f"{due.rule.key}: {due.count} older than the schedule (kept: {due.rule.action})"
            )
            continue
        click.echo(f"{due.rule.key}: {verb.lower()} {due.count}; {due.held} under a legal hold")
    if not really:
        click.echo("Dry run: nothing was changed. Run with --apply to remove what is due.")


jobs_cli = AppGroup("jobs", help="The background job queue (portal/jobs).")


@jobs_cli.command("work")
@click.option("--burst", is_flag=True, help="Stop when no job is due (tests, one-off runs).")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between looks when idle.")
@click.option(
    "--nice",
    default=10,
    show_default=True,
    help="How much lower the worker's CPU priority is than the web servers' (0: the same).",
)
@click.option(
    "--idle-layout/--no-idle-layout",
    default=True,
    show_default=True,
    help="Lay out PDFs and speak audio letters in a child process that runs only on CPU "
    "time nothing else wants.",
)
def work_jobs(burst, poll, nice, idle_layout):
    """Claim and run queued jobs (letter files, report PDFs, imports, emails); run one or
    more beside the web servers."""
    from portal.jobs import idle_child
    from portal.jobs.worker import work

    # On a machine shared with web servers, a PDF or a recording being made must not slow
    # the pages people are waiting for: the kernel gives the worker what they leave idle
    # (issue 18 item 4: a cheap page's p99 with twenty first downloads), and the PDF
    # layout and the voice, the bulk of it, only what nothing else wants
    # (portal.jobs.idle_child).
    os.nice(nice)
    # A stop (systemd, make run's Ctrl-C) ends the loop through ``finally``, which stops the
    # child; a job cut short is run again once its heartbeat is stale.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if idle_layout:
        idle_child.start()
    try:
        done = work(burst=burst, poll_seconds=poll)
    finally:
        idle_child.stop()
    click.echo(f"{done} job(s) run.")


audit_cli = AppGroup("audit", help="The append-only audit trail (SECURITY.md §5).")


@audit_cli.command("checkpoint")
@click.option("--file", "path", type=click.Path(dir_okay=False), help="Default: the config's.")
def audit_checkpoint(path):
    """Sign the head of the audit chain; append it to the checkpoint log and email it to
    AUDIT_CHECKPOINT_EMAIL when set (cron: daily)."""
    from pathlib import Path

    from portal import audit_checkpoints
    from portal.mail import send_email
    from portal.models.types import utcnow

    checkpoint = audit_checkpoints.take(utcnow())
    audit_checkpoints.append(checkpoint, Path(path or current_app.config["AUDIT_CHECKPOINT_FILE"]))
    current_app.logger.info("%s", checkpoint.line())
    click.echo(checkpoint.line())
    if current_app.config["AUDIT_CHECKPOINT_EMAIL"]:
        send_email(
            current_app.config["AUDIT_CHECKPOINT_EMAIL"],
            f"Audit trail checkpoint {checkpoint.taken_at}",
            "Keep this email. `flask audit verify --checkpoint '<the line below>'` proves the "
            "audit trail still holds every row up to it.\n\n" + checkpoint.line() + "\n",
        )


@audit_cli.command("verify")
@click.option(
    "--checkpoints",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A file of checkpoint lines (a log, saved emails). Default: the config's file.",
)
@click.option("--checkpoint", "lines", multiple=True, help="One checkpoint line.")
def audit_verify(files, lines):
    """Check the chain, and that every checkpoint is still a prefix of it; exit 1 if not
    (cron: daily)."""
    from pathlib import Path

    from portal import audit, audit_checkpoints

    checkpoints = [cp for cp in map(audit_checkpoints.parse, lines) if cp is not None]
    default = Path(current_app.config["AUDIT_CHECKPOINT_FILE"])
    for path in [Path(f) for f in files] or ([default] if default.exists() else []):
        checkpoints += audit_checkpoints.read(path)
    problems = [p for p in map(audit_checkpoints.problem_with, checkpoints) if p]
    broken_at = audit.verify_chain()
    if broken_at is not None:
        problems.insert(0, f"the chain breaks at row {broken_at}")
    for problem in problems:
        click.echo(f"AUDIT TRAIL TAMPERED: {problem}", err=True)
        current_app.logger.error("audit trail tampered: %s", problem)
    if problems:
        raise SystemExit(1)
    click.echo(f"Audit trail intact; {len(checkpoints)} checkpoint(s) still match.")


def register_commands(app) -> None:
    app.cli.add_command(audit_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(restrictions_cli)
    app.cli.add_command(reviews_cli)
    app.cli.add_command(retention_cli)
