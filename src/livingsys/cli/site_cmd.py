"""`livingsys site`: the registry as a static site for owners and managers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import RegistryOption, fail, load, parse_date
from livingsys.i18n import _, ngettext

ORDER = 75


def site(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder to write the site to. It must be new, empty, or a "
        "site livingsys built before (it is then replaced).", show_default=False)],
    registry: RegistryOption = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Build the site as of this day: reviews due, "
        "figures and the agenda's meeting date (default: today). The same registry and the "
        "same day give the same files, byte for byte.")] = None,
) -> None:
    """Build a static site of the registry, for the people who never open a terminal.

    An overview (automations with their business owner, status, reviews, checklist; reviews due and why; open incidents; silenced checks and waivers), a page per automation (what it does, its if/then rules and exceptions, guardrails, the flow drawn, the three indicators as charts, what changed in git, its reviews and incidents), a page per shared rule, and the next meeting's agenda.

    The site needs no server and nothing from the internet: open index.html from the folder, or publish the folder with GitHub or GitLab Pages (examples/pages.yml). Check out the full git history in CI (fetch-depth: 0) so the changes are shown.

    Examples:

      livingsys site --output public

      livingsys site -o public --as-of 2026-12-15      # the site for the meeting of that day

      xdg-open public/index.html                        # or open it in any browser
    """
    from livingsys.site import SiteError, build_site

    day = parse_date(as_of, "--as-of")
    loaded = load(registry, today=day)
    try:
        result = build_site(loaded, output, day)
    except SiteError as exc:
        fail(str(exc), exc.hint)
    except OSError as exc:
        fail(_("cannot write the site to {folder}: {why}").format(folder=output,
                                                                  why=exc.strerror or exc),
             _("check that the folder is writable, or choose another with --output"))
    from livingsys.cli.common import stderr

    err = stderr()
    if result.history_note:
        note = _("note:")
        err.print(f"[yellow]{note}[/] {result.history_note}", highlight=False)
    wrote = ngettext("wrote {n} page to {folder} — open {index}",
                     "wrote {n} pages to {folder} — open {index}", len(result.pages))
    err.print(wrote.format(n=len(result.pages), folder=output, index=output / "index.html"),
              highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(site)
