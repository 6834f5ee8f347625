"""`livingsys site`: the pages, their escaping, their links, and the same bytes for the same
registry (the browser tests are in test_site_browser.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from textwrap import dedent

import pytest

from conftest import DEMO, MINIMAL, write_files
from registryrepo import company
from registryrepo import registry as registry_of

AS_OF = "2026-12-02"
DEMO_PAGES = {"index.html", "agenda.html", "automations/certificate-requests.html",
              "automations/payment-reminders.html", "automations/quote-follow-up.html",
              "automations/support-triage.html", "rules/ai-client-data.html",
              "rules/manager-validation-threshold.html"}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def pages(root: Path) -> dict[str, str]:
    return {rel: data.decode("utf-8") for rel, data in tree(root).items()
            if rel.endswith(".html")}


class Links(HTMLParser):
    """Every href/src of a page, and the text of its <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    """The site of the bundled demo registry (read with this repository's git history)."""
    from typer.testing import CliRunner

    from livingsys.cli.main import app

    out = tmp_path_factory.mktemp("demo") / "public"
    result = CliRunner().invoke(app, ["site", "-r", str(DEMO), "-o", str(out),
                                      "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "wrote 8 pages" in result.output
    return out


# --------------------------------------------------------------------------------------------
# what the demo's site holds


def test_demo_site_has_every_page_and_the_vendored_assets(demo_site):
    files = tree(demo_site)
    assert DEMO_PAGES <= set(files)
    assert {"assets/site.css", "assets/site.js", "assets/mermaid/mermaid.min.js",
            "assets/mermaid/LICENSE", "assets/README.md"} <= set(files)
    assert b"MIT License" in files["assets/mermaid/LICENSE"]
    assert b"11.17.2" in files["assets/README.md"]


def test_index_lists_owners_reviews_due_incidents_and_rules(demo_site):
    index = pages(demo_site)["index.html"]
    assert "Dauphiné Fournitures SAS" in index
    # every automation with its owner, a key badge, its last review and checklist score
    for name, owner in [("Payment reminders for unpaid invoices", "Nathalie Lefebvre"),
                        ("Level-1 support triage with AI reply proposals", "Karim Benali")]:
        row = index[index.index(name):]
        row = row[:row.index("</tr>")]
        assert owner in row and 'class="badge key"' in row and "2026-11-18" in row
        assert "8/8" in row
    # reviews due with their reasons (rule 3: the shared rule changed since the review)
    due = index[index.index('id="reviews-due"'):index.index('id="incidents"')]
    assert "shared key rule &#39;manager-validation-threshold&#39; changed" in due
    assert due.index("Payment reminders") < due.index("Supplier documents")
    # the open incident, the shared rules with how many automations use them
    assert "Follow-ups drafted for quotes already signed" in index
    assert "used by 2 automations" in index
    assert 'id="silenced"' in index


def test_automation_page_holds_rules_flow_charts_history_and_reviews(demo_site):
    page = pages(demo_site)["automations/payment-reminders.html"]
    assert "Nathalie Lefebvre (Finance manager)" in page          # owner
    assert "Thomas Nguyen" in page                                 # maintainer
    assert ("<strong>If</strong> a reminder is due and the amount due is over the manager "
            "validation threshold") in page
    assert "Handled by <strong>Nathalie Lefebvre</strong>" in page
    assert "at most 40 a day" in page and "How to stop it" in page
    mermaid = re.search(r'<pre class="mermaid"[^>]*>(.*?)</pre>', page, re.S).group(1)
    assert mermaid.startswith("flowchart TD\n    accTitle: Flow of Payment reminders")
    # the three indicators, the exception rate with its 20% alert threshold
    assert page.count('<svg class="chart"') == 4
    rate = page[page.index('id="chart-exception-rate-title"') - 200:]
    rate = rate[:rate.index("</svg>")]
    assert 'class="threshold"' in rate and "alert 20.0%" in rate
    # history from git, and the review of 2026-11-18 with its decisions
    assert "automation &#39;payment-reminders&#39; (Payment reminders for unpaid invoices) " \
           "created" in page
    assert "Review of 2026-11-18" in page and "Soften the wording of the second reminder" in page
    assert '<script src="../assets/mermaid/mermaid.min.js"></script>' in page


def test_rule_page_lists_the_automations_that_use_it_and_its_changes(demo_site):
    page = pages(demo_site)["rules/manager-validation-threshold.html"]
    assert 'href="../automations/payment-reminders.html"' in page
    assert 'href="../automations/quote-follow-up.html"' in page
    assert "parameter &#39;amount_threshold_eur&#39; changed from 5000 to 3000" in page


def test_agenda_page_is_the_next_meeting(demo_site):
    page = pages(demo_site)["agenda.html"]
    assert "Automation review — 2026-12-02 · 45 minutes · chaired by Claire Moreau" in page
    assert "Have the business rules changed?" in page
    assert "livingsys review record" in page
    assert "Propose a validation threshold of 3,000 EUR" in page   # last review's actions


def test_every_link_stays_inside_the_site_and_resolves(demo_site):
    for rel, html in pages(demo_site).items():
        links = parse(html)
        assert links.title.strip(), rel
        for link in links.links:
            assert not re.match(r"^[a-z]+:", link) and not link.startswith("//"), (rel, link)
            target = link.split("#", 1)[0]
            if target:
                assert (demo_site / rel).parent.joinpath(target).resolve().is_file(), \
                    (rel, link)
        # no script but the site's own
        assert all(s.endswith(("assets/site.js", "assets/mermaid/mermaid.min.js"))
                   for s in links.scripts), rel


# --------------------------------------------------------------------------------------------
# the same bytes for the same registry


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path, cli):
    first, second = tmp_path / "one", tmp_path / "two"
    assert cli("site", "-r", DEMO, "-o", first, "--as-of", AS_OF).exit_code == 0
    assert cli("site", "-r", DEMO, "-o", second, "--as-of", AS_OF).exit_code == 0
    assert tree(first) == tree(second)
    # nothing of the time of the build: only the as-of day and the git dates
    for html in pages(first).values():
        assert not re.search(r"\d{2}:\d{2}:\d{2}", html)


def test_as_of_moves_the_reviews_due(tmp_path, cli):
    early, late = tmp_path / "early", tmp_path / "late"
    assert cli("site", "-r", DEMO, "-o", early, "--as-of", "2026-11-20").exit_code == 0
    assert cli("site", "-r", DEMO, "-o", late, "--as-of", AS_OF).exit_code == 0
    assert "As of 2026-11-20" in pages(early)["index.html"]
    assert pages(early)["index.html"] != pages(late)["index.html"]


# --------------------------------------------------------------------------------------------
# escaping: text from YAML is text


EVIL = "<script>alert('x')</script>"


def evil_registry(make_registry) -> Path:
    auto = MINIMAL["automations/reminders.yaml"]
    auto = auto.replace("name: Payment reminders",
                        f'name: "{EVIL} & co"\n        description: \'"><img src=x '
                        "onerror=alert(1)> {{ 7*7 }}'")
    auto = auto.replace("does: Send the reminder",
                        'does: "</pre><script>alert(2)</script> & \\"quotes\\""')
    auto = auto.replace("then: the manager validates",
                        "then: 'the manager validates <b>now</b> --> ]]>'")
    people = MINIMAL["people.yaml"].replace("name: Bea Owner", 'name: "Bea <i>Owner</i>"')
    rule = MINIMAL["rules/threshold.yaml"].replace(
        "name: Validation threshold", "name: \"Threshold </title><script>alert(3)</script>\"")
    return make_registry({"automations/reminders.yaml": auto, "people.yaml": people,
                          "rules/threshold.yaml": rule})


def test_text_from_yaml_is_escaped_everywhere(make_registry, tmp_path, cli):
    root = evil_registry(make_registry)
    out = tmp_path / "public"
    result = cli("site", "-r", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    site = pages(out)
    for rel, html in site.items():
        assert "<script>alert" not in html, rel
        assert "<img src=x" not in html and "<i>Owner</i>" not in html, rel
        assert "</title><script>" not in html, rel
    page = site["automations/reminders.html"]
    # in the page title, the heading and the text of the flow
    assert parse(page).title.startswith(f"{EVIL} & co")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Bea &lt;i&gt;Owner&lt;/i&gt;" in page
    assert "{{ 7*7 }}" in page                     # text, never evaluated as a template
    # in Mermaid's source: escaped for Mermaid by graph.py, then for HTML inside <pre>
    mermaid = re.search(r'<pre class="mermaid"[^>]*>(.*?)</pre>', page, re.S).group(1)
    assert "&amp;lt;/pre&amp;gt;&amp;lt;script&amp;gt;alert(2)" in mermaid
    assert "</pre>" not in mermaid
    # in attributes and on the rule's page
    assert "Threshold &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in \
        site["rules/threshold.html"]
    # and in the charts' SVG (the automation's name is in each chart's description)
    write_files(root, {"indicators.csv": "automation,period,volume,exceptions\n"
                                         "reminders,2026-10,10,1\nreminders,2026-11,12,4\n"})
    assert cli("site", "-r", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    page = pages(out)["automations/reminders.html"]
    svg = page[page.index('<svg class="chart"'):page.rindex("</svg>")]
    assert "<script" not in svg and "&lt;script&gt;alert(&#x27;x&#x27;)" in svg


def test_page_names_are_safe_and_unique():
    from livingsys.site.data import page_name

    taken: set[str] = set()
    assert page_name("automations", "payment-reminders", taken) == \
        "automations/payment-reminders.html"
    assert page_name("automations", "payment-reminders", taken) == \
        "automations/payment-reminders-2.html"
    assert page_name("automations", "con", taken) == "automations/con_.html"   # Windows
    assert page_name("automations", "../../etc/passwd", taken) == "automations/item.html"
    assert page_name("automations", "Con", taken) == "automations/item-2.html"


# --------------------------------------------------------------------------------------------
# where the site goes


def test_refuses_a_folder_holding_other_files(tmp_path, cli, make_registry):
    out = tmp_path / "docs"
    write_files(out, {"notes.txt": "mine"})
    result = cli("site", "-r", make_registry(), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "already holds files that livingsys did not write" in result.output
    assert tree(out) == {"notes.txt": b"mine"}
    file = tmp_path / "file.html"
    file.write_text("x")
    result = cli("site", "-r", make_registry(), "-o", file, "--as-of", AS_OF)
    assert result.exit_code == 2 and "is a file, not a folder" in result.output


def test_rebuilding_replaces_the_previous_site_whole(tmp_path, cli, make_registry):
    root = make_registry()
    out = tmp_path / "public"
    (out).mkdir()   # an empty folder is fine
    assert cli("site", "-r", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    assert (out / "automations/reminders.html").is_file()
    write_files(root, {"automations/reminders.yaml": None,
                       "automations/quotes.yaml": MINIMAL["automations/reminders.yaml"]
                       .replace("id: reminders", "id: quotes")})
    assert cli("site", "-r", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    assert (out / "automations/quotes.html").is_file()
    assert not (out / "automations/reminders.html").exists()   # no stale page left
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".public")]


def test_without_git_the_site_says_the_changes_are_not_shown(tmp_path, cli, make_registry):
    out = tmp_path / "public"
    result = cli("site", "-r", make_registry(), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "note: git history not read" in result.output
    page = pages(out)["automations/reminders.html"]
    assert "git history not read" in page
    assert "No change recorded in git yet" not in page


def test_history_of_a_real_repository_shows_each_significant_change(tmp_path, cli):
    from registryrepo import reminders

    repo = company(tmp_path)
    repo.write("registry/automations/reminders.yaml", reminders(threshold=3000))
    repo.commit("Lower the threshold to 3,000 EUR",
                author="Nathalie Lefebvre <nathalie@example.com>")
    repo.write("registry/automations/reminders.yaml",
               reminders(threshold=3000, comment="# a comment only\n"))
    repo.commit("Only a comment")
    out = tmp_path / "public"
    assert cli("site", "-r", registry_of(repo), "-o", out, "--as-of", AS_OF).exit_code == 0
    page = pages(out)["automations/reminders.html"]
    history = page[page.index('id="history"'):page.index('id="reviews"')]
    assert history.count("<li>\n    <p><strong>") == 2        # the change, and the creation
    assert "Lower the threshold to 3,000 EUR" in history and "Nathalie Lefebvre" in history
    assert "Only a comment" not in history
    assert history.index("Lower the threshold") < history.index("Registry: first version")


def test_silenced_checks_and_waivers_are_listed(tmp_path, cli, make_registry):
    settings = dedent(MINIMAL["livingsys.yaml"]) + "policy: {checks: {G014: off}}\n"
    auto = dedent(MINIMAL["automations/reminders.yaml"]) + (
        "waivers:\n"
        "  - {check: G010, reason: One partner only, approved_by: m.boss, "
        "expires: 2027-01-31}\n"
        "  - {check: G011, reason: Old waiver, approved_by: m.boss, expires: 2026-12-01}\n")
    root = make_registry({"livingsys.yaml": settings, "automations/reminders.yaml": auto})
    out = tmp_path / "public"
    assert cli("site", "-r", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    site = pages(out)
    index = site["index.html"]
    section = index[index.index('id="silenced"'):index.index('id="checklist"')]
    assert "G014" in section and "off in policy" in section and "every automation" in section
    assert ("One partner only — approved by Max Boss (manager), until 2027-01-31 (60 days "
            "left)") in section
    assert "automations/reminders.html" in section
    # the waiver that ended the day before as_of silences nothing: it is a lint error instead
    assert "Old waiver" not in section
    assert "G018" in index[index.index('id="lint"'):]
    # the checklist item the waived check backs is not complete: it says silenced, and why
    checklist = index[index.index('id="checklist"'):index.index('id="shared-rules"')]
    assert "guardrails: silenced (G010 waived until 2027-01-31 by Max Boss (manager))" in \
        checklist
    page = site["automations/reminders.html"]
    assert "Checks waived for it" in page and "One partner only" in page
    assert "guardrails: silenced" in page
    agenda = site["agenda.html"]           # the meeting confirms or ends each
    assert "Silenced governance" in agenda and "G014 off in policy" in agenda


# --------------------------------------------------------------------------------------------
# the charts


def test_chart_marks_the_months_above_the_threshold_not_those_at_it():
    from livingsys.site.charts import Chart, svg

    text = svg(Chart("c", "Rate", ["2026-09", "2026-10", "2026-11"], [0.19, 0.2, 0.21],
                     "percent", 0.2))
    assert text.count('class="dot"') == 2 and text.count('class="dot over"') == 1
    assert "2026-11: 21.0%" in text.split('class="dot over"')[1]


def test_chart_breaks_its_line_on_a_month_without_figures():
    from livingsys.site.charts import Chart, svg

    text = svg(Chart("c", "Volume", ["2026-08", "2026-09", "2026-10", "2026-11"],
                     [10, None, 12, 14], "count"))
    assert text.count("<polyline") == 2 and text.count("<circle") == 3
    single = svg(Chart("c", "Volume", ["2026-11"], [5], "count"))
    assert single.count("<circle") == 1 and "nan" not in single


def test_chart_is_the_same_bytes_for_the_same_figures():
    from livingsys.site.charts import Chart, svg

    chart = Chart("c", "Time saved", ["2026-10", "2026-11"], [1 / 3, 2 / 3], "hours")
    assert svg(chart) == svg(Chart("c", "Time saved", ["2026-10", "2026-11"],
                                   [1 / 3, 2 / 3], "hours"))


def test_minutes_and_incidents_under_a_former_id_count_for_the_renamed_automation(
        tmp_path, cli, make_registry):
    from registryrepo import incident, minutes

    auto = dedent(MINIMAL["automations/reminders.yaml"]).replace(
        "id: reminders", "id: invoice-reminders\nformerly: [reminders]")
    root = make_registry({"automations/reminders.yaml": None,
                          "automations/invoice-reminders.yaml": auto,
                          "reviews/2026-11-18.yaml": minutes("2026-11-18", "reminders")
                          + "absent:\n  - {person: t.tech, reason: on leave; answered by "
                          "email}\n",
                          "incidents/2026-11-20-paid.yaml": incident("2026-11-20"),
                          "incidents/2026-12-05-later.yaml": incident(
                              "2026-12-05", summary="After the day the site is built for")})
    out = tmp_path / "public"
    assert cli("site", "-r", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    site = pages(out)
    page = site["automations/invoice-reminders.html"]
    assert "Review of 2026-11-18" in page
    assert "Absent: Tom Tech (on leave; answered by email)" in page
    assert "Reminder sent for an invoice already paid" in page
    assert "After the day the site is built for" not in page   # not yet, as of AS_OF
    index = site["index.html"]
    assert 'href="automations/invoice-reminders.html">Payment reminders</a>' in \
        index[index.index('id="incidents"'):]


def test_the_package_ships_every_template_and_asset():
    """pyproject's package-data names every file the site copies or renders (a wheel without
    mermaid.min.js would build sites whose flows never draw)."""
    import tomllib
    from pathlib import PurePosixPath

    from conftest import REPO

    globs = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"][
        "setuptools"]["package-data"]["livingsys"]
    base = REPO / "src" / "livingsys"
    files = [p.relative_to(base).as_posix() for p in (base / "site").rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert "site/assets/mermaid/mermaid.min.js" in files and "site/templates/index.html" in files
    for rel in files:
        path = PurePosixPath(rel)
        assert any(len(path.parts) == len(PurePosixPath(g).parts) and path.match(g)
                   for g in globs), f"{rel} is not in [tool.setuptools.package-data]"
