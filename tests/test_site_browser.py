"""`livingsys site` in a real browser: headless Chromium (Debian's `chromium` package) opens
each page from file://, runs its scripts, and we read the DOM it ends with and its console.

Where Chromium is not installed these tests are skipped and say why (`.ci/run` installs it
with apt-get when it runs as root); everything else still runs. Each page is opened with
``--dump-dom`` after ``--virtual-time-budget`` (the page's scripts and Mermaid's rendering run
to the end in virtual time, so no sleep and no timing); console messages come from
``--enable-logging=stderr``, where Chromium writes each one as ``INFO:CONSOLE``. The site's
own script writes to the console only when something goes wrong, so any console line fails.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import DEMO
from test_site import AS_OF, DEMO_PAGES, evil_registry

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((b for b in map(shutil.which, BROWSERS) if b), None)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="Chromium is not installed: none of " + ", ".join(BROWSERS)
    + " is on PATH" + (f" ({os.environ['LIVINGSYS_BROWSER_NOTE']})"
                       if os.environ.get("LIVINGSYS_BROWSER_NOTE") else "")
    + ". The browser tests of the site need Debian's package: `apt-get update && apt-get "
    "install -y chromium` (.ci/run does it when it runs as root with apt-get)")

_CONSOLE = re.compile(r":CONSOLE(?::\d+)?\] (.*)")


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    """Run headless Chromium with a profile of its own (no sandbox: tests may run as root)."""
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
         "--mute-audio", f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=False)


def open_page(path: Path, tmp: Path) -> tuple[str, list[str]]:
    """The DOM of the page once its scripts have run, and its console messages."""
    result = chromium("--enable-logging=stderr", "--v=0", "--virtual-time-budget=20000",
                      "--dump-dom", path.resolve().as_uri(), tmp=tmp)
    assert result.returncode == 0, result.stderr[-2000:]
    console = [m.group(1) for line in result.stderr.splitlines()
               if (m := _CONSOLE.search(line))]
    return result.stdout, console


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from livingsys.site import build_site

    out = tmp_path_factory.mktemp("browser") / "public"
    import datetime as dt

    build_site(DEMO, out, dt.date.fromisoformat(AS_OF))
    return out


@pytest.mark.parametrize("page", sorted(DEMO_PAGES))
def test_each_page_loads_from_file_and_draws_its_flow_and_charts(site, page, tmp_path):
    dom, console = open_page(site / page, tmp_path)
    assert console == [], console
    assert "</main>" in dom and "<h1>" in dom
    if not page.startswith("automations/"):
        return
    assert 'data-flows="drawn"' in dom
    flow = dom[dom.index('<figure class="flow">'):]
    flow = flow[:flow.index("</figure>")]
    assert re.search(r'<svg[^>]*role="img"', flow), "Mermaid drew no SVG"
    assert "aria-labelledby" in flow and "Flow of " in flow      # accTitle -> <title>
    assert flow.count('class="node') >= 3                       # trigger, steps, exceptions
    charts = re.findall(r'<svg class="chart"[^>]*role="img"', dom)
    assert len(charts) >= 2                                     # volume and exception rate


def test_escaped_text_stays_text_in_the_browser(make_registry, tmp_path):
    import datetime as dt

    from livingsys.site import build_site

    out = tmp_path / "public"
    build_site(evil_registry(make_registry), out, dt.date.fromisoformat(AS_OF))
    dom, console = open_page(out / "automations/reminders.html", tmp_path)
    assert console == [], console            # no alert() ran, no script failed
    assert 'data-flows="drawn"' in dom       # Mermaid drew the flow despite the odd labels
    assert "<img" not in dom and "onerror" not in dom.replace("onerror=alert(1)&gt;", "")
    assert dom.count("<script") == 2         # mermaid.min.js and site.js, nothing else
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)" in dom


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshot_of_the_index(site, tmp_path):
    shot = tmp_path / "index.png"
    result = chromium("--window-size=1280,2000", "--virtual-time-budget=10000",
                      f"--screenshot={shot}", (site / "index.html").resolve().as_uri(),
                      tmp=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 50_000      # text, tables and colours, not a blank page


def test_phone_width_has_no_sideways_scrolling(site, tmp_path):
    """On a 390-pixel-wide phone the page fits the width (wide tables scroll inside their
    own box): the document is no wider than the window."""
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<!doctype html><meta charset='utf-8'><body style='margin:0'>"
        f"<iframe id='f' src='{(site / 'index.html').resolve().as_uri()}' "
        "style='width:390px;height:800px;border:0'></iframe><script>"
        "document.getElementById('f').onload=function(){var d=this.contentDocument;"
        "document.title='width='+d.documentElement.scrollWidth;};</script>", "utf-8")
    result = chromium("--allow-file-access-from-files", "--virtual-time-budget=10000",
                      "--dump-dom", probe.resolve().as_uri(), tmp=tmp_path)
    width = re.search(r"<title>width=(\d+)</title>", result.stdout)
    assert width is not None, result.stdout[-500:]
    assert int(width.group(1)) <= 390


def test_an_automation_page_prints(site, tmp_path):
    """Printing (here to PDF) works and keeps the flow and the charts: the print CSS hides
    only the navigation."""
    pdf = tmp_path / "page.pdf"
    result = chromium("--virtual-time-budget=20000", "--no-pdf-header-footer",
                      f"--print-to-pdf={pdf}",
                      (site / "automations/payment-reminders.html").resolve().as_uri(),
                      tmp=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 2 <= pages <= 12, pages          # the whole page, on a handful of A4/Letter sheets
