"""Signing in: lockout after repeated failures (django-axes), the TOTP second factor of staff
logins (django-otp), idle staff sessions, and the API's expiring tokens (django-rest-knox).
Decisions are written down in docs/security/signin.md."""
