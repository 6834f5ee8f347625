"""`--help` that keeps the indent of wrapped lines, and option errors in plain words.

typer renders a command's description as one rich Text: when the terminal is narrower than an
indented line (an example command), the wrapped part starts again at the margin. The command
classes here render each indented line of the description with its indent as padding, so
what wraps stays lined up under its first word. Installed on every command by
:func:`install`; rich and typer's help module are imported only when help is shown.
"""

from __future__ import annotations

import re
import textwrap

import typer
from typer.core import TyperCommand, TyperGroup

_PATCHED = False


def _patch() -> None:
    global _PATCHED
    if _PATCHED:
        return
    _PATCHED = True
    try:
        from typer import rich_utils

        original = rich_utils._make_rich_text
    except (ImportError, AttributeError):  # another typer: its own rendering stays
        return
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    def make_rich_text(*, text: str, style: str = "", markup_mode):
        # typer dedents with inspect.cleandoc, which leaves the first line out: "Examples:"
        # first would make the examples under it lose their indent. A blank first line
        # (which cleandoc then drops) keeps it.
        text = "\n" + textwrap.dedent(text)
        rendered = original(text=text, style=style, markup_mode=markup_mode)
        if not isinstance(rendered, Text) or "\n" not in rendered.plain and not \
                rendered.plain.startswith(" "):
            return rendered
        lines = []
        for line in rendered.split("\n"):
            indent = len(line.plain) - len(line.plain.lstrip(" "))
            lines.append(Padding(line[indent:], (0, 0, 0, indent)) if indent else line)
        return Group(*lines)

    rich_utils._make_rich_text = make_rich_text


_NOT_ONE_OF = re.compile(r"(?:Value error, )?'(?P<value>.*)' is not one of (?P<choices>.*?)\.?$",
                        re.S)


def plain_choice_error(message: str, option: str | None) -> str:
    """typer's "Value error, 'nope' is not one of 'text', 'json'." as "unknown format 'nope';
    choose text or json" (``option``: the option's name, e.g. format)."""
    match = _NOT_ONE_OF.match(message)
    if match is None:
        return message.removeprefix("Value error, ")
    choices = [c.strip(" '") for c in match.group("choices").split(",")]
    listed = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
    what = f"{option} " if option else "value "
    return f"unknown {what}'{match.group('value')}'; choose {listed}"


def _no_flag_metavar(params: list) -> list:
    """A flag (--all, --help) takes no value: no '<bool>' beside it in the help."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    def format_help(self, ctx, formatter) -> None:
        _patch()
        super().format_help(ctx, formatter)

    def get_params(self, ctx) -> list:
        return _no_flag_metavar(super().get_params(ctx))

    def parse_args(self, ctx, args):
        from typer._click.exceptions import BadParameter

        try:
            return super().parse_args(ctx, args)
        except BadParameter as error:
            name = (error.param.name.replace("_", " ")
                    if error.param is not None and error.param.name else None)
            if name == "output format":
                name = "format"
            error.message = plain_choice_error(str(error.message), name)
            raise


class Group_(TyperGroup):
    def format_help(self, ctx, formatter) -> None:
        _patch()
        super().format_help(ctx, formatter)

    def get_params(self, ctx) -> list:
        return _no_flag_metavar(super().get_params(ctx))


def install(app: typer.Typer) -> None:
    """Use these classes for ``app``, its commands and its sub-commands."""
    from typer.models import DefaultPlaceholder

    if isinstance(app.info.cls, DefaultPlaceholder) or app.info.cls in (None, TyperGroup):
        app.info.cls = Group_
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = Command
    for group in app.registered_groups:
        if group.typer_instance is not None:
            install(group.typer_instance)
