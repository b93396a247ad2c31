"""Personal data at rest: encrypted model fields, keyed hashes for exact look-ups, and the key
set documents are encrypted with.

Encryption is django-fernet-encrypted-fields' (Fernet keys derived from `SECRET_KEY` and each
of `SALT_KEY`, which settings read from `PERSONAL_DATA_KEYS`): the first key encrypts, every key
decrypts, so a new key goes first and `rotate_personal_data_keys` re-encrypts the rows. A
ciphertext cannot be searched, so a column looked up by value (an ID number, a phone) has a
`BlindIndexField` beside it: HMAC-SHA256 of the normalised value under `PERSONAL_DATA_HASH_KEY`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import migrations, models
from django.dispatch import receiver
from encrypted_fields.fields import EncryptedFieldMixin
from encrypted_fields.fields import EncryptedTextField as _LibraryTextField

# A field of no model holds the key set: the library derives its keys once (PBKDF2 is slow on
# purpose) and every encrypted column, and the document storage, shares them.
_KEYRING = _LibraryTextField()


class _SharedKeys:
    @property
    def keys(self) -> list[bytes]:
        return _KEYRING.keys

    @property
    def f(self) -> Fernet | MultiFernet:
        return _KEYRING.f


class _EmptyStaysEmpty:
    """The library stores an empty value as NULL; an empty string says nothing about anyone, so
    it is kept as it is and the columns stay NOT NULL like the plain ones they replace."""

    def get_prep_value(self, value: Any) -> Any:
        if value == "":
            return ""
        return super().get_prep_value(value)


class EncryptedCharField(_SharedKeys, _EmptyStaysEmpty, EncryptedFieldMixin, models.CharField):
    """A CharField stored encrypted (a text column; `max_length` still bounds the input)."""


class EncryptedTextField(_SharedKeys, _EmptyStaysEmpty, _LibraryTextField):
    pass


class EncryptedJSONField(_SharedKeys, EncryptedFieldMixin, models.TextField):
    """A JSON value encrypted as one whole (the library's JSON field encrypts each leaf as a
    string, which turns `false` into the true string "False")."""

    def get_prep_value(self, value: Any) -> str:
        return self.f.encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = super().to_python(value)
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value


class EncryptedBinaryField(models.BinaryField):
    """Bytes (a PDF with the person's name) stored as a Fernet token under the same keys."""

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and not prepared:
            value = personal_data_fernet().encrypt(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        try:
            return personal_data_fernet().decrypt(bytes(value))
        except InvalidToken:  # written before the column was encrypted
            return bytes(value)


def _normalise_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def _normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


NORMALISERS: dict[str, Callable[[str], str]] = {
    "id_number": _normalise_id_number,
    "phone": _normalise_phone,
}


def blind_index(kind: str, value: str) -> str:
    """The keyed hash that finds `value` (an ID number or a phone) without storing it; empty
    for an empty value."""
    normalised = NORMALISERS[kind](value)
    if not normalised:
        return ""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def id_number_digest(value: str) -> str:
    return blind_index("id_number", value)


def phone_digest(value: str) -> str:
    return blind_index("phone", value)


class BlindIndexField(models.CharField):
    """The keyed hash of another field of the row, set on every save of that row."""

    def __init__(self, *args: Any, source: str = "", kind: str = "", **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = blind_index(self.kind, getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def personal_data_fernet() -> MultiFernet:
    fernet = _KEYRING.f
    return fernet if isinstance(fernet, MultiFernet) else MultiFernet([fernet])


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedFieldMixin | EncryptedBinaryField)
    ]


def models_with_personal_data() -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields:
            yield model, fields


@receiver(setting_changed)
def _forget_derived_keys(*, setting: str, **kwargs: Any) -> None:
    """Keys are derived once; a changed key setting (in tests) derives them again."""
    if setting in {"SALT_KEY", "SECRET_KEY", "SECRET_KEY_FALLBACKS"}:
        _KEYRING.__dict__.pop("keys", None)
        _KEYRING.__dict__.pop("f", None)


def _hash_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def personal_data_reencrypt_rows(model: type[models.Model]) -> int:
    """Write every row's encrypted fields again under the newest key, and its keyed hashes under
    the current hash key (a plain value left by an older schema is encrypted the same way).
    Used by the data migrations and by `rotate_personal_data_keys`."""
    names = [f.name for f in encrypted_fields(model) + _hash_fields(model)]
    count = 0
    for row in model._default_manager.order_by("pk").iterator(chunk_size=500):
        row.save(update_fields=names)
        count += 1
    return count


def personal_data_decrypt_rows(model: type[models.Model], connection: Any) -> None:
    """The reverse of a data migration: write the plain values back (raw SQL, as the model's
    fields would encrypt them again)."""
    fields = encrypted_fields(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    with connection.cursor() as cursor:
        for row in model._default_manager.order_by("pk").iterator(chunk_size=500):
            values = [
                json.dumps(getattr(row, f.attname))
                if isinstance(f, EncryptedJSONField)
                else getattr(row, f.attname)
                for f in fields
            ]
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s",  # noqa: S608
                [*values, row.pk],
            )


def personal_data_rotate() -> dict[str, int]:
    """Every row with personal data written again under the newest key, and every file kept in
    an encrypted storage (documents) encrypted again; the count by model label."""
    counts = {}
    for model, _fields in models_with_personal_data():
        counts[model._meta.label] = personal_data_reencrypt_rows(model)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and hasattr(field.storage, "rotate"):
                names = model._default_manager.exclude(**{field.name: ""})
                files = list(names.values_list(field.attname, flat=True))
                for name in files:
                    field.storage.rotate(name)
                counts[f"{model._meta.label}.{field.name}"] = len(files)
    return counts


def personal_data_migration(app_label: str, *model_names: str) -> migrations.RunPython:
    """The data migration that encrypts (and hashes) the rows of these models, and back."""

    def encrypt(apps: Any, schema_editor: Any) -> None:
        for name in model_names:
            personal_data_reencrypt_rows(apps.get_model(app_label, name))

    def decrypt(apps: Any, schema_editor: Any) -> None:
        for name in model_names:
            personal_data_decrypt_rows(apps.get_model(app_label, name), schema_editor.connection)

    return migrations.RunPython(encrypt, decrypt)
