"""The link to the tool's export (`source`) points at a file of the repository."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _

_WHY = N_("Article, days 7-8: check that each rule is correctly translated in the tools. "
          "`livingsys drift` does it by comparing the registry with the tool's export, which "
          "everyone must find in the repository: a path outside it works on one computer only.")


@register
class SourceOutsideRepository(Check):
    code, name = "G043", "source-outside-repository"
    title = N_("source.export is a path inside the repository")
    rationale = _WHY
    hint = N_("write source.export relative to the repository's top folder (e.g. "
              "exports/payment-reminders.json) and keep the export there")
    example = "source:\n  kind: n8n\n  export: exports/payment-reminders.json"
    reads_files = True

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        source = entry.model.source
        if source is None:
            return
        from livingsys.tools.drift import resolve_export

        _path, problem = resolve_export(ctx.registry.root, source.export)
        if problem:
            yield self.finding(ctx, entry, ("source", "export"), problem)


@register
class SourceMissing(Check):
    code, name = "G044", "source-missing"
    title = N_("The export named in source.export exists")
    rationale = _WHY
    hint = N_("export the workflow again (n8n: ⋯ › Download; Make: ⋯ › Export Blueprint) to "
              "that path and commit it, or fix the path")
    example = SourceOutsideRepository.example
    reads_files = True

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        source = entry.model.source
        if source is None:
            return
        from livingsys.tools.drift import resolve_export

        path, _problem = resolve_export(ctx.registry.root, source.export)
        if path is not None and not path.is_file():  # None: G043 reports why
            yield self.finding(ctx, entry, ("source", "export"), _(
                "the {tool} export '{path}' does not exist (paths are relative to the "
                "repository's top folder)").format(
                    tool="n8n" if source.kind == "n8n" else "Make", path=source.export))
