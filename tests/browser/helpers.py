"""What the browser tests and their fixtures share: the two viewport widths, the password of
the users they sign in as, and screenshots."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "browser-pass-2026"
VIEWPORTS = {"375": {"width": 375, "height": 812}, "1280": {"width": 1280, "height": 900}}


def screenshot(page, name: str) -> None:
    """A key page at both widths, for the README: docs/screenshots/<name>-<375|1280>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = dict(page.viewport_size)
    for width, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(before)
