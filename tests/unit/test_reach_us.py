"""How a person may and can reach us (issue 15, items 2 and 3): the general channels,
narrowed by a restriction's permitted channel (s3.2), less what recorded needs rule out
(s6.1), with the single point of contact's own channel."""

from types import SimpleNamespace

import pytest

from portal.models.vocab import ContactChannel, RestrictionOption, Role
from portal.reach_us import (
    GENERAL,
    GENERAL_CHANNELS,
    StaffContact,
    ways_for_measures,
    ways_for_viewer,
    ways_to_reach_us,
)

EMAIL, PHONE, WRITING = ContactChannel.EMAIL, ContactChannel.TELEPHONE, ContactChannel.WRITING
SAM = StaffContact("Sam Patel", "sam.patel@example.com")


def test_no_restriction_gives_every_channel():
    ways = ways_to_reach_us([])
    assert ways.channels == GENERAL_CHANNELS == (EMAIL, PHONE, WRITING)
    assert not ways.restricted and not ways.text_relay and ways.single_point_of_contact is None


def test_email_only_restriction_gives_no_telephone():
    ways = ways_to_reach_us([EMAIL], restricted=True)
    assert ways.channels == (EMAIL,)
    assert not ways.offers_telephone and ways.restricted


def test_deaf_customer_is_never_offered_a_call():
    ways = ways_to_reach_us([], cannot_use_telephone=True)
    assert ways.channels == (EMAIL, WRITING)
    assert not ways.offers_telephone and not ways.text_relay


def test_telephone_only_for_someone_who_cannot_use_it_offers_text_relay():
    ways = ways_to_reach_us([PHONE], cannot_use_telephone=True, restricted=True)
    assert ways.channels == ()
    assert ways.text_relay


def test_several_restrictions_narrow_together_and_unlimited_ones_do_not():
    assert ways_to_reach_us([None, WRITING]).channels == (WRITING,)
    assert ways_to_reach_us([EMAIL, PHONE]).channels == ()


@pytest.mark.parametrize(
    ("permitted", "needs_phone_ban", "channel", "email"),
    [
        ([], False, EMAIL, "sam.patel@example.com"),  # email reaches them directly
        ([PHONE], False, PHONE, None),  # call and ask for them
        ([WRITING], False, WRITING, None),  # write to them
        ([], True, EMAIL, "sam.patel@example.com"),
    ],
)
def test_single_point_of_contact_is_named_with_their_channel(
    permitted, needs_phone_ban, channel, email
):
    ways = ways_to_reach_us(
        permitted, cannot_use_telephone=needs_phone_ban, single_point_of_contact=SAM
    )
    spoc = ways.single_point_of_contact
    assert (spoc.name, spoc.channel, spoc.email) == ("Sam Patel", channel, email)


def test_single_point_of_contact_without_an_email_address_is_asked_for_by_name():
    nameless = StaffContact("Sam Patel", None)
    ways = ways_to_reach_us([], single_point_of_contact=nameless)
    assert (ways.single_point_of_contact.channel, ways.single_point_of_contact.email) == (
        EMAIL,
        None,
    )
    by_phone = ways_to_reach_us([PHONE], single_point_of_contact=nameless)
    assert by_phone.single_point_of_contact.channel == PHONE


def _measure(option, **fields):
    return SimpleNamespace(
        option=option,
        permitted_channel=fields.get("permitted_channel"),
        single_point_of_contact=fields.get("single_point_of_contact"),
    )


def test_measures_of_a_restriction_give_its_channel_and_contact():
    sam = SimpleNamespace(display_name="Sam Patel", email="sam.patel@example.com")
    ways = ways_for_measures(
        [
            _measure(RestrictionOption.SINGLE_CHANNEL, permitted_channel=EMAIL),
            _measure(RestrictionOption.SINGLE_POINT_OF_CONTACT, single_point_of_contact=sam),
            _measure(RestrictionOption.PREMISES_BARRED),
        ],
        cannot_use_telephone=False,
    )
    assert ways.channels == (EMAIL,) and ways.restricted
    assert ways.single_point_of_contact.email == "sam.patel@example.com"


class _Viewer(SimpleNamespace):
    is_authenticated = True

    def has_role(self, *roles):
        return bool(set(roles) & self.roles)


def test_anonymous_and_staff_get_every_general_channel():
    assert ways_for_viewer(None, None) is GENERAL
    staff = _Viewer(roles={Role.CASE_OFFICER}, is_staff=True, customer=None)
    assert ways_for_viewer(staff, None) is GENERAL
    anonymous = SimpleNamespace(is_authenticated=False)
    assert ways_for_viewer(anonymous, None).channels == GENERAL_CHANNELS
    assert GENERAL.general and not GENERAL.restricted


def test_customer_without_a_record_gets_every_general_channel():
    viewer = _Viewer(roles={Role.CUSTOMER}, is_staff=False, customer=None)
    assert ways_for_viewer(viewer, None) is GENERAL
