"""The published policy as files (s6.5; issue 17 item 4), made by the letter pipeline from
the documents frozen with the version (portal.policy.documents) and cached with letters'
files: fast formats in the request, slow ones (PDF, large print, easy read, audio) by the
job queue while the person sees a page that checks again, exactly as for a letter."""

from dataclasses import dataclass

from portal import jobs
from portal.extensions import db
from portal.letters import render, render_queue
from portal.models import PolicyVersion
from portal.policy import documents

POLICY_RENDER = "policy_render"


class NoSuchFile(LookupError):
    """No such version, kind, language or format (or no voice or braille table for it)."""


@dataclass(frozen=True)
class PolicyFile:
    version_id: int
    number: str
    kind: str
    locale: str
    fmt: render.Format
    source: render.LetterSource

    @property
    def key(self) -> str:
        return self.source.key(self.fmt)

    @property
    def file_name(self) -> str:
        variant = render.variant_suffix(self.fmt)
        return (
            f"managed-behaviour-policy-{self.number}-{self.kind}-{self.locale}{variant}"
            f".{self.fmt.extension}"
        )


def find(version_id: int, kind: str, locale: str, slug: str) -> PolicyFile:
    """The file asked for, checked against what the version holds."""
    version = db.session.get(PolicyVersion, version_id)
    fmt = render.FORMATS.get(slug)
    if version is None or not version.is_published or not version.documents or fmt is None:
        raise NoSuchFile
    kind_documents = version.documents.get(kind) or {}
    if locale not in kind_documents or not render.available(fmt, locale):
        raise NoSuchFile
    source = render.LetterSource(
        documents.sha256_of(kind_documents),
        f"MBP-{version.number}",
        locale,
        kind_documents[locale],
    )
    return PolicyFile(version.id, version.number, kind, locale, fmt, source)


def formats_for(locale: str) -> list[render.Format]:
    """Every format this language can be had in."""
    return [fmt for fmt in render.FORMATS.values() if render.available(fmt, locale)]


def request(file: PolicyFile) -> None:
    """Queue the file (once however often it is asked for). The caller commits."""
    payload = {
        "version_id": file.version_id,
        "kind": file.kind,
        "locale": file.locale,
        "format": file.fmt.slug,
        "key": file.key,
    }
    render_queue.enqueue_once(POLICY_RENDER, payload)


def state_of(file: PolicyFile) -> render_queue.FileState:
    return render_queue.state_of_key(file.key, POLICY_RENDER)


@jobs.handler(POLICY_RENDER)
def make_file(payload: dict, job) -> None:
    """Render one file of a published version into the cache (nothing if it is gone)."""
    try:
        file = find(payload["version_id"], payload["kind"], payload["locale"], payload["format"])
    except NoSuchFile:
        db.session.commit()
        return
    db.session.commit()  # no transaction open while WeasyPrint or the voice runs
    render.cached_render(file.source, file.fmt)
