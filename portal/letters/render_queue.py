"""Slow letter formats made by the job queue, never in a web request (issue 18 item 4).

A PDF takes WeasyPrint a second or more and an audio letter longer; made inside a request,
twenty first downloads at once kept both web workers busy and every other page waited.
So a download of a slow format that is not in the render cache queues one job (one per
file, however many people ask) and the person sees a page that says it is being made and
checks again; the worker renders it into the shared cache (portal.letters.render.cached),
from where every app server serves it.
"""

import enum

import sqlalchemy as sa

from portal import jobs
from portal.extensions import db
from portal.letters import render
from portal.models import Letter
from portal.models.jobs import Job, JobStatus
from portal.models.vocab import LetterStatus

RENDER = "letter_render"


class FileState(enum.StrEnum):
    READY = "ready"
    MAKING = "making"
    FAILED = "failed"


def _latest_job(key: str, kind: str = RENDER) -> Job | None:
    return db.session.scalars(
        sa.select(Job)
        .where(Job.kind == kind, Job.payload["key"].as_string() == key)
        .order_by(Job.id.desc())
        .limit(1)
    ).first()


def request_render(letter: Letter, locale: str, fmt: render.Format) -> None:
    """Queue the file unless a job is already making it (or has just failed: a failed job
    is queued again, so asking later tries again). The caller commits."""
    key = render.cache_key(letter.content_sha256, locale, fmt)
    payload = {"letter_id": letter.id, "locale": locale, "format": fmt.slug, "key": key}
    enqueue_once(RENDER, payload)


def enqueue_once(kind: str, payload: dict) -> None:
    """Queue a render job for ``payload["key"]`` unless one is queued or running (a failed
    one is queued again). The caller commits. Letters and the policy's files share it."""
    job = _latest_job(payload["key"], kind)
    if job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return
    jobs.enqueue(kind, payload)


def usual_files(letter: Letter) -> list[render.Format]:
    """The slow files a customer is likely to download first: the PDF, and the format they
    asked for (s6.5: large print, easy read, audio) when that is slow to make too."""
    wanted = [render.FORMATS["pdf"]]
    chosen = render.FORMATS[render.SLUG_FOR[letter.requested_format]]
    if chosen.slow and chosen not in wanted:
        wanted.append(chosen)
    return wanted


def prepare_usual_files(letter: Letter) -> None:
    """Queue the usual files in the letter's language when it is issued, so the customer's
    first download is usually served at once instead of a "being made" page (issue 18).
    Other languages and formats are made when first asked for. The caller commits."""
    for fmt in usual_files(letter):
        request_render(letter, letter.locale, fmt)


def state_of(letter: Letter, locale: str, fmt: render.Format) -> FileState:
    """Whether the file is ready, being made, or could not be made (its job used every
    attempt)."""
    return state_of_key(render.cache_key(letter.content_sha256, locale, fmt), RENDER)


def state_of_key(key: str, kind: str) -> FileState:
    """The state of the file cached under ``key``, made by jobs of ``kind``."""
    # No commit here: it would expire the letter and the signed-in user, and the page
    # polled about every 2 seconds by each waiting person would load them all again (issue 18
    # item 4). The request's transaction ends when the page is made, as on any page.
    ready = render.is_cached(key)
    job = None if ready else _latest_job(key, kind)
    if ready:
        return FileState.READY
    if job is not None and job.status == JobStatus.FAILED:
        return FileState.FAILED
    return FileState.MAKING


@jobs.handler(RENDER)
def make_file(payload: dict, job) -> None:
    """Render one format of one language of a letter into the cache. A letter removed or
    anonymised since it was asked for (retention) is not rendered: there is nothing to
    make, and its old words must not come back."""
    letter = db.session.get(Letter, payload["letter_id"])
    fmt = render.FORMATS[payload["format"]]
    if (
        letter is None
        or letter.status == LetterStatus.DRAFT
        or render.cache_key(letter.content_sha256, payload["locale"], fmt) != payload["key"]
        or payload["locale"] not in letter.content["documents"]
    ):
        db.session.commit()
        return
    source = render.LetterSource.of(letter, payload["locale"])
    db.session.commit()  # no transaction open while WeasyPrint or the voice runs
    render.cached_render(source, fmt)
