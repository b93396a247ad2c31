"""Known moments for the promises tests, in the portal's time zone (Asia/Shanghai)."""

from datetime import datetime

from django.utils import timezone

from tests.factories import new_application
from tests.workflow import FACE


def at(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


# A new connection the utility delays (tests/promises/test_compensation*.py).
SURVEY_DONE = at(2026, 11, 25, 9)  # Thu 19 to Wed 25: 4 working days


def delayed(applicant, engineer, script, *, until=None):
    """Utility 3 days to accept, applicant 10 days to book, utility 4 days to survey (7 so far:
    2 late), applicant 0 on scheme and contract, utility 1 day to energize (8: 3 late)."""
    application = new_application(applicant)
    steps = [
        (at(2026, 11, 2, 9), "submit", applicant, FACE),
        (at(2026, 11, 5, 9), "accept", engineer, {}),
        (at(2026, 11, 19, 9), "schedule_survey", applicant, {"slot": at(2026, 11, 20, 9)}),
        (SURVEY_DONE, "complete_survey", engineer, {"line_length_m": 0}),
        (SURVEY_DONE, "confirm_scheme", applicant, {}),
        (SURVEY_DONE, "sign_contract", applicant, {"sms_code": "000000"}),
        (at(2026, 11, 26, 9), "energize", engineer, {}),
    ]
    return script(application, [s for s in steps if until is None or s[0] <= until])
