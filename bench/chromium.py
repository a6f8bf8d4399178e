"""The system Chromium (Debian's `chromium` package), for the browser tests and the browser benchmark.
Playwright's own browser downloads are never used: this machine cannot fetch them."""
from __future__ import annotations

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
MISSING = "No system Chromium found: install it with `apt-get install chromium` (or set CHROMIUM_PATH)."


def launch(playwright):
    """Chromium launched from the system's binary; a clear stop if there is none (never a download)."""
    if not CHROMIUM:
        raise SystemExit(MISSING)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
