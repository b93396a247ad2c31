"""Files stored encrypted: the bytes on disk are a Fernet token under the personal-data keys,
decrypted when the file is opened."""

from __future__ import annotations

import contextlib

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from .crypto import personal_data_fernet


@deconstructible(path="portal.storage.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        token = personal_data_fernet().encrypt(content.read())
        return super()._save(name, ContentFile(token))

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as stored:
            data = stored.read()
        # A file stored before documents were encrypted reads as it is (rotation encrypts it).
        with contextlib.suppress(InvalidToken):
            data = personal_data_fernet().decrypt(data)
        return ContentFile(data, name=name)

    def size(self, name: str) -> int:
        with self._open(name) as file:
            return file.size

    def rotate(self, name: str) -> None:
        """Encrypt the file again under the newest key (in place); a file stored before
        documents were encrypted is encrypted now."""
        path = self.path(name)
        with open(path, "rb") as stored:
            data = stored.read()
        try:
            token = personal_data_fernet().rotate(data)
        except InvalidToken:
            token = personal_data_fernet().encrypt(data)
        with open(path, "wb") as stored:
            stored.write(token)
