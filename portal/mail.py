"""Sending email: SMTP when MAIL_SERVER is set, otherwise a local outbox folder of .eml
files the developer can read (development and tests)."""

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


def send_email(to: str, subject: str, body: str, *, language: str | None = None) -> str:
    """Send one plain-text email; returns its Message-ID. ``language`` (a locale such as
    "ar") is declared in Content-Language, so mail clients and screen readers read the
    text in its language (RFC 3282)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@managed-behaviour-portal>"
    message.set_content(body)
    if language:  # after set_content, which replaces every Content-* header
        message["Content-Language"] = language.replace("_", "-")
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        outbox = Path(config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
    return message["Message-ID"]
