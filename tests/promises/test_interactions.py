"""Every contact recorded with its channel: an online-only application shows zero trips, a
counter filing one; staff record calls and visits."""

import pytest

from portal.errors import InvalidInput, NotFound, NotPermitted
from promises.interactions import contact_summary, interaction_record
from promises.models import ContactChannel, Interaction
from tests.factories import new_application
from tests.promises.moments import at
from tests.workflow import FACE

pytestmark = pytest.mark.django_db


def test_an_online_only_application_shows_zero_trips(applicant, engineer, gov_platform, script):
    application = new_application(applicant)
    script(
        application,
        [
            (at(2026, 11, 2, 9), "submit", applicant, FACE),
            (at(2026, 11, 2, 10), "accept", engineer, {}),
            (at(2026, 11, 2, 11), "schedule_survey", applicant, {"slot": at(2026, 11, 3, 9)}),
            (at(2026, 11, 3, 9), "complete_survey", engineer, {"line_length_m": 0}),
        ],
    )
    summary = contact_summary(application)
    assert summary.trips == 0
    # Two online steps by the applicant and the engineer's site visit; accepting is internal.
    assert summary.by_channel == {ContactChannel.ONLINE: 2, ContactChannel.SITE: 1}
    assert summary.procedures == 3


def test_a_counter_filing_shows_one_trip(applicant, clerk, engineer, gov_platform, script):
    application = new_application(
        applicant, channel="counter", service_hall=clerk.service_hall, filed_by=clerk
    )
    script(
        application,
        [
            (at(2026, 11, 2, 9), "submit", clerk, FACE),
            (at(2026, 11, 2, 10), "accept", engineer, {}),
            (at(2026, 11, 2, 11), "schedule_survey", applicant, {"slot": at(2026, 11, 3, 9)}),
        ],
    )
    summary = contact_summary(application)
    assert summary.trips == 1
    assert summary.by_channel == {ContactChannel.COUNTER: 1, ContactChannel.ONLINE: 1}


def test_two_counter_contacts_on_one_day_are_one_trip(applicant, clerk, engineer, time_machine):
    application = new_application(
        applicant, channel="counter", service_hall=clerk.service_hall, filed_by=clerk
    )
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    interaction_record(application_id=application.pk, actor=clerk, channel="counter")
    time_machine.move_to(at(2026, 11, 2, 15), tick=False)
    interaction_record(application_id=application.pk, actor=clerk, channel="counter")
    assert contact_summary(application).trips == 1
    time_machine.move_to(at(2026, 11, 9, 9), tick=False)
    interaction_record(application_id=application.pk, actor=clerk, channel="counter")
    interaction_record(application_id=application.pk, actor=engineer, channel="call", note="回访")
    summary = contact_summary(application)
    assert summary.trips == 2 and summary.procedures == 4


def test_who_may_record_a_contact(applicant, engineer, approver, outsider, supervisor):
    application = new_application(applicant)
    with pytest.raises(NotPermitted):
        interaction_record(application_id=application.pk, actor=applicant, channel="call")
    with pytest.raises(NotFound):
        interaction_record(application_id=application.pk, actor=outsider, channel="call")
    with pytest.raises(NotFound):
        interaction_record(application_id=10**9, actor=engineer, channel="call")
    with pytest.raises(InvalidInput) as refused:
        interaction_record(application_id=application.pk, actor=engineer, channel="online")
    assert "channel" in refused.value.errors
    assert not Interaction.objects.exists()


def test_contact_form_on_the_engineer_page(client, applicant, engineer, outsider, clerk):
    application = new_application(applicant)
    url = f"/promises/applications/{application.pk}/contacts/"
    assert client.post(url, {"channel": "call"}).status_code == 302  # to sign in
    client.force_login(engineer)
    page = client.get(f"/engineer/applications/{application.pk}/")
    assert page.status_code == 200 and url in page.content.decode()
    assert client.get(url).status_code == 405
    assert client.post(url, {"channel": "nonsense"}).status_code == 400
    done = client.post(url, {"channel": "call", "note": "约定勘查时间"})
    assert done.status_code == 302
    assert Interaction.objects.get(application=application).channel == "call"
    client.force_login(outsider)
    assert client.post(url, {"channel": "call"}).status_code == 404
    client.force_login(applicant)
    assert client.post(url, {"channel": "call"}).status_code == 403
    # The clerk of another hall than the application's: not theirs to see.
    client.force_login(clerk)
    assert client.post(url, {"channel": "call"}).status_code in (403, 404)
    assert Interaction.objects.count() == 1


def test_the_clerk_sees_the_promise_and_records_a_visit(client, applicant, clerk):
    application = new_application(
        applicant, channel="counter", service_hall=clerk.service_hall, filed_by=clerk
    )
    client.force_login(clerk)
    page = client.get(f"/counter/applications/{application.pk}/").content.decode()
    assert 'id="promise"' in page
    done = client.post(f"/promises/applications/{application.pk}/contacts/", {"channel": "counter"})
    assert done.status_code == 302 and done.url == f"/counter/applications/{application.pk}/"
    assert contact_summary(application).trips == 1
