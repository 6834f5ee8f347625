"""The `livingsys` command."""

from __future__ import annotations

from typing import Annotated

import typer

from livingsys import __version__

app = typer.Typer(
    name="livingsys",
    help="Keep your business automations explicit, owned, drawn, guarded and reviewed.\n\n"
    "livingsys reads a registry of YAML files (one per automation) and checks it against "
    "governance rules.\n\n"
    "Examples:\n\n"
    "  livingsys init my-registry        # start a registry\n\n"
    "  livingsys lint                    # check ./registry\n\n"
    "  livingsys rules G001              # why a check exists and how to fix it",
    no_args_is_help=True,
    add_completion=True,  # --install-completion: bash, zsh, fish, PowerShell
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"livingsys {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool | None, typer.Option(
        "--version", "-V", callback=_version, is_eager=True,
        help="Show the version and exit.")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", envvar="LIVINGSYS_LANG", metavar="en|fr",
        help="The language to speak: en (English) or fr (French). Default: the registry's "
        "language (language: in livingsys.yaml), else English. "
        "Example: livingsys --lang fr agenda", show_default=False)] = None,
) -> None:
    """Keep your business automations explicit, owned, drawn, guarded and reviewed."""
    from livingsys.cli.common import choose_language

    choose_language(lang)


def _register() -> None:
    """Add every command module of this package (``*_cmd.py``), in their ``ORDER``.

    Command modules import only typer at import time; the core they call is imported inside
    each command, so `livingsys --version` and `--help` stay fast.
    """
    import importlib
    import pkgutil

    import livingsys.cli as package

    modules = [importlib.import_module(f"livingsys.cli.{info.name}")
               for info in pkgutil.iter_modules(package.__path__)
               if info.name.endswith("_cmd")]
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)):
        module.register(app)
    from livingsys.cli.helptext import install

    install(app)


_register()


def run() -> None:
    app()
