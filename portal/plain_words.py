"""A restriction's measures as sentences a customer understands (DESIGN.md "Beyond" 8).

Used on the customer's home page, the case page and the approval page, so staff read
exactly what the customer will read.
"""

from babel.dates import format_time, get_day_names
from babel.lists import format_list
from flask_babel import get_locale, ngettext

from portal.models.vocab import ContactChannel, QuotaPeriod, RestrictionOption
from portal.translations import gettext as _

CHANNEL_SENTENCES = {
    ContactChannel.WRITING: lambda: _("You can contact us in writing only."),
    ContactChannel.EMAIL: lambda: _("You can contact us by email only."),
    ContactChannel.TELEPHONE: lambda: _("You can contact us by telephone only."),
}


def _weekdays(numbers: list[int]) -> str:
    names = get_day_names("wide", locale=get_locale())
    numbers = sorted(numbers)
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return _("%(first)s to %(last)s", first=names[numbers[0]], last=names[numbers[-1]])
    return format_list([names[n] for n in numbers], locale=get_locale())


def describe_measure(measure) -> str:
    option = measure.option
    if option == RestrictionOption.SINGLE_CHANNEL:
        return CHANNEL_SENTENCES[ContactChannel(measure.permitted_channel)]()
    if option == RestrictionOption.SET_TIMES:
        days = [int(d) for d in str(measure.permitted_weekdays).split(",") if d.strip()]
        return _(
            "You can contact us on %(days)s, from %(start)s to %(end)s.",
            days=_weekdays(days),
            start=format_time(measure.permitted_from, "short", locale=get_locale()),
            end=format_time(measure.permitted_until, "short", locale=get_locale()),
        )
    if option == RestrictionOption.CONTACT_LIMIT:
        if measure.limit_period == QuotaPeriod.WEEK:
            return ngettext(
                "You can contact us up to %(num)d time a week (Monday to Sunday).",
                "You can contact us up to %(num)d times a week (Monday to Sunday).",
                measure.contact_limit,
            )
        return ngettext(
            "You can contact us up to %(num)d time a calendar month.",
            "You can contact us up to %(num)d times a calendar month.",
            measure.contact_limit,
        )
    if option == RestrictionOption.SINGLE_POINT_OF_CONTACT:
        person = measure.single_point_of_contact
        return _(
            "Your contact is %(name)s. Please contact them rather than other staff.",
            name=person.display_name if person else "",
        )
    if option == RestrictionOption.COMPLAINT_DECLINED:
        return _(
            "We will not consider complaint %(reference)s any further: %(reason)s",
            reference=measure.declined_complaint_reference,
            reason=measure.declined_complaint_reason,
        )
    if option == RestrictionOption.PREMISES_BARRED:
        return _("Please do not come to: %(places)s.", places=measure.barred_premises)
    if option == RestrictionOption.ADVOCATE_OFFERED:
        return _(
            "We have offered you an advocate: a family member, friend or support worker "
            "can contact us for you."
        )
    return str(option)


def describe_restriction(restriction) -> list[str]:
    """One sentence per measure, in a stable order."""
    order = list(RestrictionOption)
    measures = sorted(restriction.measures, key=lambda m: order.index(m.option))
    return [describe_measure(m) for m in measures]
