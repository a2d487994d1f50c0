"""The Housing Ombudsman evidence pack: one case's complete record as a paginated PDF
chronology with a contents page (policy s3.4; DESIGN.md "Beyond" 10).

Policy sections: s3.4 "Customers also have the right to appeal to the Housing Ombudsman";
the pack shows that the policy was followed — informal steps first (s3.2, s3.3), needs
weighed and adjustments made (s6.1, s6.2), each restriction approved (s3.4), limited in
time (s3.5) and put in writing (s3.2), reviewed (s3.4), and every appeal (s3.4) and
reconsideration (s4) decided with reasons.

Protected characteristics (s6.3) are never read here: they feed equality monitoring in
aggregate only. Staff-only notes are included only when the person asks for them.
"""

import datetime as dt
from dataclasses import dataclass

from portal.cases.chronology import Event, LetterRow, chronology
from portal.models import Case


@dataclass
class EvidencePack:
    case: Case
    generated_at: dt.datetime
    include_staff_notes: bool
    entries: list[Event]
    letters: list[LetterRow]
    staff_notes: str = ""

    @property
    def decisions(self) -> list[Event]:
        return [entry for entry in self.entries if entry.is_decision]


def build_evidence_pack(case: Case, *, include_staff_notes: bool, now: dt.datetime) -> EvidencePack:
    """One case's chronology, oldest first, with every detail, for the Housing Ombudsman
    (s3.4). Staff records (the contact log, staff notes) only when asked for."""
    story = chronology(case)
    entries = [e for e in story.events if include_staff_notes or not e.staff_only]
    for number, entry in enumerate(entries, start=1):
        entry.number = number
        entry.details = [(name, value) for name, value in entry.details if value not in ("", None)]
    return EvidencePack(
        case=case,
        generated_at=now,
        include_staff_notes=include_staff_notes,
        entries=entries,
        letters=story.letters,
        staff_notes=case.staff_notes if include_staff_notes else "",
    )


def evidence_pack_html(pack: EvidencePack, html_lang: str) -> str:
    from flask import render_template

    from portal.reports.exports import report_css

    return render_template(
        "reports/evidence_pack.html", pack=pack, css=report_css(), html_lang=html_lang
    )
