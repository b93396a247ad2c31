"""Field checks shared by the API and the pages; messages are in the user's language."""

from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

# Sane requested capacity per voltage (kVA). Low-voltage connections in the province go up to
# 200 kVA; above that a customer is connected at 10 kV or higher.
CAPACITY_RANGE = {
    "low": (Decimal("1"), Decimal("200")),
    "high": (Decimal("50"), Decimal("100000")),
}


def validate_id_number(value: str) -> str:
    try:
        return ric.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "This is not a valid resident ID number "
                "(check the 18 characters and the last digit)."
            )
        ) from None


def validate_credit_code(value: str) -> str:
    try:
        return uscc.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid unified social credit code (check the 18 characters).")
        ) from None


def validate_mobile(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(_("Enter a mainland China mobile number, e.g. 13912345678."))
    return str(number.national_number)


def validate_capacity(voltage: str, capacity: Decimal) -> None:
    low, high = CAPACITY_RANGE[voltage]
    if not low <= capacity <= high:
        raise ValidationError(
            _("For this voltage the capacity must be between %(low)s and %(high)s kVA.")
            % {"low": low, "high": high}
        )
