"""The French catalog: every message the program can show has a translation, none is stale,
placeholders and plural forms agree, and the translatable texts are written so that a
translation can exist (whole sentences, named placeholders, no f-string).

`python scripts/catalog.py check` prints the same problems; docs/translating.md says how to fix
them."""

from __future__ import annotations

import ast
import importlib.util
import sys

import pytest

from conftest import REPO

SOURCES = REPO / "src" / "livingsys"


def _catalog_tool():
    spec = importlib.util.spec_from_file_location("catalog_tool", REPO / "scripts" / "catalog.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalog_tool"] = module
    spec.loader.exec_module(module)
    return module


catalog_tool = _catalog_tool()


def test_every_message_has_a_french_translation_and_none_is_stale():
    problems = catalog_tool.problems("fr")
    assert not problems, ("the French catalog is not in step with the sources "
                          "(`python scripts/catalog.py check`):\n" + "\n".join(problems[:60]))


def test_a_missing_or_stale_translation_is_caught(tmp_path, monkeypatch):
    """The guard itself: a message with no translation and a translation of a message that
    is gone are both reported."""
    extracted = catalog_tool.extract()
    assert extracted, "no message extracted from the sources"
    folder = tmp_path / "fr"
    folder.mkdir()
    (folder / "part.po").write_text(catalog_tool.HEADER.format(part="test") + (
        '\nmsgid "a sentence livingsys no longer says"\nmsgstr "une phrase disparue"\n'),
        "utf-8")
    monkeypatch.setattr(catalog_tool, "LOCALE_DIR", tmp_path)
    problems = catalog_tool.problems("fr")
    assert any("stale" in p and "no longer says" in p for p in problems)
    assert sum("no fr translation" in p for p in problems) == len(extracted)


def test_placeholders_must_survive_translation(tmp_path, monkeypatch):
    key = next(k for k, m in catalog_tool.extract().items()
               if not isinstance(m.id, (list, tuple)))
    folder = tmp_path / "fr"
    folder.mkdir()
    (folder / "part.po").write_text(catalog_tool.HEADER.format(part="test") + (
        f'\nmsgid "{key[0]}"\nmsgstr "{{nom}} traduit"\n' if key[1] is None else
        f'\nmsgctxt "{key[1]}"\nmsgid "{key[0]}"\nmsgstr "{{nom}} traduit"\n'), "utf-8")
    monkeypatch.setattr(catalog_tool, "LOCALE_DIR", tmp_path)
    assert any("placeholders ['nom']" in p for p in catalog_tool.problems("fr"))


_GETTEXT = {"_": 0, "gettext": 0, "N_": 0, "ngettext": 1, "pgettext": 1}


def _bad_calls(tree: ast.AST) -> list[tuple[int, str]]:
    bad = []
    inside_fstrings = {id(n) for s in ast.walk(tree) if isinstance(s, ast.JoinedStr)
                       for n in ast.walk(s) if n is not s}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        if name not in _GETTEXT or not node.args:
            continue
        if id(node) in inside_fstrings:
            bad.append((node.lineno, f"{name}() inside an f-string: the extractor does not "
                        "see it (translate it into a variable first)"))
            continue
        texts = node.args[:2] if name == "ngettext" else node.args[_GETTEXT[name]:][:1]
        for arg in texts:
            if isinstance(arg, ast.JoinedStr):
                bad.append((node.lineno, f"{name}() of an f-string: not in the catalog"))
            elif not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                if name in ("_", "gettext") and isinstance(node.func, ast.Name):
                    continue  # _(text): a text marked elsewhere with N_(), read here
                bad.append((node.lineno, f"{name}() of a computed text: not in the catalog"))
    return bad


def test_translatable_texts_are_whole_literal_sentences():
    """_() of an f-string or of glued pieces would never be found in the catalog: the
    sentence must be a literal with {named} placeholders, filled after translation."""
    found = []
    for path in sorted(SOURCES.rglob("*.py")):
        if path.name == "i18n.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        found += [f"{path.relative_to(REPO)}:{line}: {why}" for line, why in _bad_calls(tree)]
    assert not found, "\n".join(found)


def test_the_guard_sees_an_fstring():
    assert _bad_calls(ast.parse('x = _(f"{a} b")\ny = ngettext("a", "b" + c, n)'))[0][0] == 1
    assert len(_bad_calls(ast.parse('x = _(f"{a} b")\ny = ngettext("a", "b" + c, n)'))) == 2
    assert _bad_calls(ast.parse('x = _("a {b}").format(b=1)\ny = _(title)')) == []
    assert _bad_calls(ast.parse('x = f"[red]{_(\'error:\')}[/]"')) != []


@pytest.mark.slow
def test_the_wheel_carries_the_compiled_catalog(tmp_path):
    """An installed livingsys reads the compiled catalog: the build writes it (setup.py),
    and it holds every translation of the sources."""
    spec = importlib.util.spec_from_file_location("livingsys_setup", REPO / "setup.py")
    assert spec and spec.loader
    setup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup)  # defines compile_catalogs, does not build
    written = setup.compile_catalogs(tmp_path)
    mo = tmp_path / "livingsys" / "locale" / "fr" / "LC_MESSAGES" / "livingsys.mo"
    assert mo in written
    import gettext

    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    from livingsys import i18n

    for key, message in catalog_tool.extract().items():
        msgid, context = key
        if isinstance(message.id, (list, tuple)):
            got = (compiled.npgettext(context, msgid, message.id[1], 1) if context
                   else compiled.ngettext(msgid, message.id[1], 1))
            want = (i18n.catalog("fr").npgettext(context, msgid, message.id[1], 1) if context
                    else i18n.catalog("fr").ngettext(msgid, message.id[1], 1))
        else:
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            want = (i18n.catalog("fr").pgettext(context, msgid) if context
                    else i18n.catalog("fr").gettext(msgid))
        assert got == want, msgid
        stored = f"{context}\x04{msgid}" if context else msgid
        assert (stored in compiled._catalog or (stored, 0) in compiled._catalog), (
            f"not in the compiled catalog: {msgid!r}")
    assert compiled.plural(0) == compiled.plural(1) == 0 and compiled.plural(2) == 1, \
        "French: 0 and 1 are singular"


def test_fix_mends_translations_only_never_the_original(tmp_path, monkeypatch):
    """`catalog.py fix` puts no-break spaces into translations; an original (msgid) that it
    changed would no longer match the sources."""
    folder = tmp_path / "fr"
    folder.mkdir()
    po = folder / "part.po"
    po.write_text('msgid ""\n"a long one !"\nmsgstr ""\n"une longue !"\n\n'
                  'msgid "rate: 5 %"\nmsgstr "taux : 5 %"\n', "utf-8")
    monkeypatch.setattr(catalog_tool, "LOCALE_DIR", tmp_path)
    catalog_tool.fix("fr")
    assert po.read_text("utf-8") == ('msgid ""\n"a long one !"\nmsgstr ""\n"une longue\u00a0!"'
                                     '\n\nmsgid "rate: 5 %"\nmsgstr "taux\u00a0: 5\u00a0%"\n')


def test_a_yaml_example_in_braces_is_not_a_placeholder():
    assert catalog_tool.placeholders("policy: {checks: {G002: off}}") == set()
    assert catalog_tool.placeholders("{n} rules, {name!r}, {rate:.1f}") == {"n", "name!r",
                                                                           "rate:.1f"}
