"""`livingsys help [TOPIC]`: the guides shipped with livingsys, readable after a pip install."""

from __future__ import annotations

from typing import Annotated

import typer

from livingsys.cli.common import fail, stdout, write_raw
from livingsys.i18n import _, pgettext

ORDER = 95


def _topics() -> dict[str, str]:
    """Topic name -> the guide's Markdown text (the package's copy of docs/)."""
    from importlib import resources

    folder = resources.files("livingsys") / "docs"
    topics = {}
    for item in sorted(folder.iterdir(), key=lambda i: i.name) if folder.is_dir() else ():
        if item.name.endswith(".md"):
            topics[item.name[:-3]] = item.read_text(encoding="utf-8")
    return topics


def help_topic(
    topic: Annotated[str | None, typer.Argument(
        metavar="TOPIC", help="A guide: indicators, decisions or reviews. Without it, the list.",
        show_default=False)] = None,
) -> None:
    """Read a guide: the indicators file, conditions and decisions, reviews and history.

    The same guides as the docs/ folder of the project, shipped with livingsys.

    Examples:

      livingsys help

      livingsys help indicators

      livingsys help indicators | less
    """
    from livingsys.reading.validation import suggestion

    topics = _topics()
    if topic is None:
        console = stdout()
        heading = _("Guides")
        console.print(_("{guides} (`livingsys help TOPIC` prints one):").format(
            guides=f"[bold]{heading}[/]"))
        for name, text in topics.items():
            title = next((line.lstrip("# ").strip() for line in text.splitlines()
                          if line.startswith("# ")), name)
            console.print(f"  [bold]{name:<12}[/] {title}", highlight=False)
        return
    key = topic.strip().lower().removesuffix(".md")
    if key not in topics:
        fail(_("there is no guide '{topic}'{suggestion}").format(
            topic=topic, suggestion=suggestion(key, list(topics))),
             _("guides: {names}").format(names=", ".join(topics)
                                         or pgettext("no guide", "none")))
    write_raw(topics[key])


def register(app: typer.Typer) -> None:
    app.command("help")(help_topic)
