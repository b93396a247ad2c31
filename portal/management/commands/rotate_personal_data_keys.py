"""Re-encrypt personal data under the newest key: run after putting a new key first in
PERSONAL_DATA_KEYS (or a new SECRET_KEY with the old one in SECRET_KEY_FALLBACKS); when it has
run, the old key can be dropped. Also re-hashes the look-up hashes and re-encrypts documents."""

from django.core.management.base import BaseCommand

from portal.crypto import personal_data_rotate


class Command(BaseCommand):
    help = "Re-encrypt every row and document holding personal data under the newest key."

    def handle(self, *args, **options):
        for label, count in personal_data_rotate().items():
            self.stdout.write(f"{label}: {count}")
