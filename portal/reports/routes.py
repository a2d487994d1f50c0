"""Report pages and exports. Views stay thin: the figures come from annual/figures.py and
equality/monitoring.py, the tables from their tables.py, the files from exports.py and
evidence_pack/pack.py."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal import audit
from portal.cases.access import case_or_404
from portal.clock import today
from portal.formatting import long_date
from portal.htmx import render_page_or_fragment
from portal.i18n import html_lang
from portal.letters.routes import LETTER_WRITERS
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.reports import bp, charts, exports, formatting
from portal.reports.annual import kept
from portal.reports.annual.tables import annual_tables
from portal.reports.equality import kept as equality_kept
from portal.reports.equality import monitoring
from portal.reports.equality.tables import SUPPRESSION_NOTE, equality_tables
from portal.reports.evidence_pack import export as evidence_pack_export
from portal.reports.forms import EqualityForm, EvidencePackForm, PeriodForm
from portal.reports.periods import (
    EARLIEST_START,
    PeriodEndsBeforeStart,
    PeriodInFuture,
    PeriodTooEarly,
    checked_period,
    last_financial_year,
)
from portal.security import access
from portal.translations import gettext as _


def _chart(table, legend=None):
    return charts.bar_chart(f"chart-{table.key}", table.chart, table, table.chart.legend or legend)


bp.add_app_template_global(formatting.display, "report_cell")
bp.add_app_template_global(formatting.is_numeric, "report_cell_is_numeric")
bp.add_app_template_global(formatting.ratio, "report_ratio")
bp.add_app_template_global(_chart, "report_chart")

REPORT_READERS = [Role.LEADERSHIP, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR]
# The evidence pack names people and quotes the case: not for leadership (aggregates only).
PACK_MAKERS = [Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(form_class):
    """The form filled from the query; the last financial year when no period was asked."""
    args = request.args.copy()
    if not any(key.startswith(("start", "end")) for key in args):
        default = last_financial_year(today())
        args["start"], args["end"] = default.start.isoformat(), default.end.isoformat()
    return form_class(formdata=args)


def _requested_period(form):
    """The period asked for, or None (with the reason on the form) when it cannot be
    reported."""
    if not form.validate():
        return None
    try:
        return checked_period(form.start.data, form.end.data, today())
    except PeriodEndsBeforeStart:
        form.end.errors.append(_("The end of the period must be the same as or after its start"))
    except PeriodInFuture:
        form.end.errors.append(_("The period must have ended by today: choose dates in the past"))
    except PeriodTooEarly:
        form.start.errors.append(
            _("The period must start on or after %(date)s", date=long_date(EARLIEST_START))
        )
    return None


def _period_args(period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _posted_period():
    """The period a report page's own form sends; only a forgery fails (400)."""
    period = _requested_period(PeriodForm(formdata=request.form))
    if period is None:
        abort(400)
    return period


def _work_out_again(forget, view_endpoint: str, **details):
    """Forget a closed period's kept figures (``forget(period)``), record who asked, and
    show them worked out from the records as they are now."""
    period = _posted_period()
    forget(period)
    audit.record(
        "report_figures_work_out_again",
        actor=current_user,
        details={**_period_args(period), **details},
    )
    return redirect(url_for(view_endpoint, **_period_args(period)), 303)


def _file_response(data: bytes, media_type: str, file_name: str) -> Response:
    return Response(
        data,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


def _annual(form):
    period = _requested_period(form)
    if period is None:
        return None, None, None
    report = kept.annual_report(period, today=today())
    return period, report, annual_tables(report)


@bp.route("/staff/reports/annual")
@access(roles=REPORT_READERS)
def annual():
    form = _form(PeriodForm)
    period, report, tables = _annual(form)
    return render_template(
        "reports/annual.html",
        form=form,
        report=report,
        tables=tables or [],
        period_args=_period_args(period) if period else {},
    ), (200 if period else 400)


def _csv_response(table, name: str) -> Response:
    """One table as CSV, streamed row by row (large exports never freeze the page)."""
    return Response(
        exports.csv_stream(exports.csv_rows(table)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _table_or_404(tables, key):
    for table in tables or []:
        if table.key == key:
            return table
    abort(404)


@bp.route("/staff/reports/annual/<table_key>.csv")
@access(roles=REPORT_READERS)
def annual_csv(table_key: str):
    period, _report, tables = _annual(_form(PeriodForm))
    if period is None:
        abort(400)
    table = _table_or_404(tables, table_key)
    return _csv_response(table, f"annual-report-{period.start}-{period.end}-{table.key}.csv")


@bp.route("/staff/reports/annual.xlsx")
@access(roles=REPORT_READERS)
def annual_xlsx():
    period, _report, tables = _annual(_form(PeriodForm))
    if period is None:
        abort(400)
    data = exports.xlsx_bytes(_("Annual report"), tables)
    return _file_response(data, XLSX, f"annual-report-{period.start}-{period.end}.xlsx")


@bp.route("/staff/reports/annual.pdf", methods=["POST"])
@access(roles=REPORT_READERS)
def annual_pdf():
    period = _posted_period()
    token = exports.start_annual_pdf(
        current_user.id, period, locale=str(get_locale()), html_lang=html_lang(), now=utcnow()
    )
    return redirect(url_for("reports.export_status", job_id=token), 303)


@bp.route("/staff/reports/annual/work-out-again", methods=["POST"])
@access(roles=REPORT_READERS)
def annual_work_out_again():
    """Forget a closed period's kept figures (and its comparison period's), so the report
    is worked out from the records as they are now (portal.reports.annual.kept)."""
    return _work_out_again(kept.work_out_again, "reports.annual")


# Whoever can start a background PDF: the report readers (the annual report, the policy
# review pack) and the letter writers (the print batch). Each export is its owner's alone.
EXPORT_OWNERS = sorted({*REPORT_READERS, *LETTER_WRITERS})


def _own_export(job_id: str):
    """The signed-in person's export, 404 for anyone else's. An evidence pack names people:
    it is shown only while its owner may still make one (a manager moved to leadership may
    not); it went with its case if the case was erased (a foreign key's cascade)."""
    try:
        export = exports.export_for(job_id, current_user.id, utcnow())
    except exports.UnknownExport:
        abort(404)
    if export.case_id is not None and not current_user.has_role(*PACK_MAKERS):
        abort(404)
    return export


@bp.route("/staff/reports/exports/<job_id>")
@access(roles=EXPORT_OWNERS)
def export_status(job_id: str):
    export = _own_export(job_id)
    return render_page_or_fragment(
        "reports/export_status.html",
        "reports/_export_status.html",
        job_id=job_id,
        state=export,
        export_page=exports.page_of(export),
        back_args=exports.back_args(export),
        message=exports.status_text(export),
    )


@bp.route("/staff/reports/exports/<job_id>/file")
@access(roles=EXPORT_OWNERS)
def export_file(job_id: str):
    export = _own_export(job_id)
    try:
        data, file_name = exports.export_result(export)
    except exports.UnknownExport:
        abort(404)
    return _file_response(data, "application/pdf", file_name)


def _equality(form):
    period = _requested_period(form)
    if period is None:
        return None, None, None
    view = monitoring.build_equality_view(
        period,
        form.characteristic.data or None,
        with_names=current_user.has_role(*PACK_MAKERS),
        today=today(),
    )
    return period, view, equality_tables(view)


@bp.route("/staff/reports/equality")
@access(roles=REPORT_READERS)
def equality_view():
    form = _form(EqualityForm)
    period, view, tables = _equality(form)
    args = _period_args(period) if period else {}
    if period and form.characteristic.data:
        args["characteristic"] = form.characteristic.data
    return render_template(
        "reports/equality.html",
        form=form,
        view=view,
        tables=tables or [],
        period_args=args,
        suppression_note=SUPPRESSION_NOTE,
        threshold=monitoring.MARKEDLY,
    ), (200 if period else 400)


@bp.route("/staff/reports/equality/<table_key>.csv")
@access(roles=REPORT_READERS)
def equality_csv(table_key: str):
    period, _view, tables = _equality(_form(EqualityForm))
    if period is None:
        abort(400)
    table = _table_or_404(tables, table_key)
    return _csv_response(table, f"equality-{period.start}-{period.end}-{table.key}.csv")


@bp.route("/staff/reports/equality.xlsx")
@access(roles=REPORT_READERS)
def equality_xlsx():
    period, _view, tables = _equality(_form(EqualityForm))
    if period is None:
        abort(400)
    data = exports.xlsx_bytes(_("Equality monitoring"), tables)
    return _file_response(data, XLSX, f"equality-{period.start}-{period.end}.xlsx")


@bp.route("/staff/reports/equality/work-out-again", methods=["POST"])
@access(roles=REPORT_READERS)
def equality_work_out_again():
    """Forget a closed period's kept equality counts, so the view is worked out from the
    records as they are now (portal.reports.equality.kept)."""
    return _work_out_again(equality_kept.work_out_again, "reports.equality_view", report="equality")


@bp.route("/staff/cases/<int:case_id>/evidence-pack")
@access(roles=PACK_MAKERS)
def evidence_pack_form(case_id: int):
    case = case_or_404(case_id)
    return render_template(
        "reports/evidence_pack_form.html", case=case, form=EvidencePackForm(formdata=None)
    )


@bp.route("/staff/cases/<int:case_id>/evidence-pack", methods=["POST"])
@access(roles=PACK_MAKERS)
def evidence_pack_start(case_id: int):
    """Queue the pack (laid out by a job worker: a long case is seconds of layout) and
    show its progress; who asked, and whether with staff notes, goes in the trail now."""
    case = case_or_404(case_id)
    form = EvidencePackForm()
    if not form.validate():
        abort(400)  # only a forgery: the form is one optional box
    include_notes = bool(form.include_staff_notes.data)
    audit.record(
        "evidence_pack",
        actor=current_user,
        object_type="case",
        object_id=case.id,
        customer_id=case.customer_id,
        details={"staff_notes": include_notes},
    )
    token = evidence_pack_export.start(
        current_user.id,
        case,
        include_staff_notes=include_notes,
        locale=str(get_locale()),
        html_lang=html_lang(),
        now=utcnow(),
    )
    return redirect(url_for("reports.export_status", job_id=token), 303)
