"""The message catalogs, for people who translate livingsys (see docs/translating.md).

    python scripts/catalog.py check                # what is missing, stale or wrong (exit 1)
    python scripts/catalog.py todo fr checks src/livingsys/checks
                                                   # add the untranslated messages of those
                                                   # sources to locale/fr/checks.po, to fill in
    python scripts/catalog.py stats                # how many messages, how many translated
    python scripts/catalog.py fix                  # French no-break spaces before : ; ? ! %

The messages are extracted from the sources with Babel (``_``, ``ngettext``, ``pgettext``,
``N_``...); a language's catalog is every ``.po`` file of src/livingsys/locale/<language>/.
tests/test_catalog.py runs :func:`problems`, so a missing or stale translation fails the tests.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "livingsys"
LOCALE_DIR = SOURCES / "locale"
#: The plural forms each language's files declare (gettext's classic rule for French: 0 and 1
#: are singular, "0 automatisation").
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}
HEADER = """\
# French translations of livingsys's messages ({part}). Together, the .po files of this folder
# are the French catalog; how to add or change a translation: docs/translating.md.
msgid ""
msgstr ""
"Project-Id-Version: livingsys\\n"
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""
#: French typography: a no-break space before : ; ? ! % and » and after «, so that a line is
#: never wrapped before the sign. `catalog.py fix` puts them in; `check` asks for them.
_BEFORE = re.compile(r'(?<=\S) (?=[:;?!%»](?:\s|$|[).,"\\]))')
_AFTER = re.compile(r"« ")
#: A str.format placeholder: {name}, {name!r}, {name:>8} (a YAML flow mapping in an example,
#: "{max: 3}", is not one: it has a space).
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}\s]*)?)\}(?!\})")


def key(message: Message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return msgid, message.context


def extract() -> dict[tuple[str, str | None], Message]:
    """Every message of the sources, by (msgid, context), with where it is used."""
    out: dict[tuple[str, str | None], Message] = {}
    method_map = [("**/locale/**", "ignore"), ("**.py", "python")]
    for filename, lineno, msgid, comments, context in extract_from_dir(
            SOURCES, method_map=method_map, keywords=DEFAULT_KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        message = Message(msgid, locations=[(f"livingsys/{filename}", lineno)],
                          auto_comments=comments, context=context)
        known = out.setdefault(key(message), message)
        if known is not message:
            known.locations.append((f"livingsys/{filename}", lineno))
    return out


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())


def files(language: str) -> list[Path]:
    return sorted((LOCALE_DIR / language).rglob("*.po"))


def read(path: Path, language: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def shown(path: Path) -> str:
    """``path`` as a message names it: from the repository's top when it is in it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def problems(language: str) -> list[str]:
    """What is wrong with a language's catalog, one line each: a message of the sources with
    no translation, a translation of a message the sources no longer have, a fuzzy entry, a
    placeholder missing or added, a plural with the wrong number of forms, the same message
    translated twice differently, a file without the language's plural forms."""
    wanted = extract()
    out: list[str] = []
    seen: dict[tuple[str, str | None], tuple[Path, object]] = {}
    for path in files(language):
        catalog = read(path, language)
        name = shown(path)
        forms = dict(catalog.mime_headers).get("Plural-Forms", "")
        if PLURAL_FORMS.get(language) and forms.replace(" ", "") != PLURAL_FORMS[
                language].replace(" ", ""):
            out.append(f"{name}: Plural-Forms should be '{PLURAL_FORMS[language]}', not "
                       f"'{forms}'")
        for message in catalog:
            if not message.id:
                continue
            k = key(message)
            where = f"{name}:{message.lineno}"
            if k in seen and seen[k][1] != message.string:
                out.append(f"{where}: {k[0]!r} is also translated, differently, in "
                           f"{shown(seen[k][0])}")
            seen.setdefault(k, (path, message.string))
            if k not in wanted:
                out.append(f"{where}: stale: the sources no longer say {k[0]!r}")
                continue
            if message.fuzzy:
                out.append(f"{where}: fuzzy (to check, then remove the fuzzy flag): {k[0]!r}")
            strings = list(message.string) if isinstance(message.string, (list, tuple)) \
                else [message.string]
            if isinstance(wanted[k].id, (list, tuple)) != isinstance(message.id, (list, tuple)):
                out.append(f"{where}: {k[0]!r} is a plural message in one place only")
                continue
            if isinstance(message.id, (list, tuple)) and len(strings) != catalog.num_plurals:
                out.append(f"{where}: {k[0]!r} needs {catalog.num_plurals} plural forms")
            ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
            expected = set().union(*(placeholders(i) for i in ids))
            for text in strings:
                if not text:
                    out.append(f"{where}: not translated yet: {k[0]!r}")
                    break
                if language == "fr" and typography(text) != text:
                    out.append(f"{where}: a plain space before : ; ? ! % » (or after «) "
                               f"should be a no-break one (`catalog.py fix`): {text!r}")
                got = placeholders(text)
                # a plural's singular form may say "un" instead of {n}
                if got != expected and not (len(strings) > 1 and got < expected):
                    out.append(f"{where}: placeholders {sorted(got)} differ from the "
                               f"original's {sorted(expected)}: {k[0]!r}")
    for k, message in wanted.items():
        if k not in seen:
            first = "{}:{}".format(*message.locations[0])
            out.append(f"{first}: no {language} translation: {k[0]!r}")
    return out


def typography(text: str) -> str:
    """``text`` with French's no-break spaces where a plain space stands."""
    return _AFTER.sub("«\u00a0", _BEFORE.sub("\u00a0", text))


def fix(language: str) -> int:
    """Put French's no-break spaces into every translation of the catalog."""
    changed = 0
    for path in files(language):
        text = path.read_text("utf-8")
        lines = text.split("\n")
        in_translation = False  # a '"...' line continues the msgid or the msgstr before it
        for i, line in enumerate(lines):
            if line.startswith("msgstr"):
                in_translation = True
            elif not line.startswith('"'):
                in_translation = False
            if in_translation and not line.startswith('"Plural'):
                fixed = typography(line)
                changed += fixed != line
                lines[i] = fixed
        path.write_text("\n".join(lines), "utf-8")
    print(f"{changed} line(s) given French no-break spaces")
    return 0


def todo(language: str, part: str, paths: list[str]) -> int:
    """Add to locale/<language>/<part>.po every message used in ``paths`` (files or folders
    under src/) that no file of the catalog has yet, with an empty translation to fill in."""
    target = LOCALE_DIR / language / f"{part}.po"
    known = {key(m) for path in files(language) for m in read(path, language) if m.id}
    roots = [Path(p).resolve() for p in paths]
    if target.exists():
        catalog = read(target, language)
    else:  # a new file: the header (and so the plural forms) of HEADER
        import io

        catalog = read_po(io.BytesIO(HEADER.format(part=part).encode("utf-8")),
                          locale=language)
    added = 0
    for k, message in sorted(extract().items(), key=lambda kv: kv[1].locations[0]):
        if k in known:
            continue
        used = [SOURCES.parent / loc for loc, _line in message.locations]
        if not any(root == u.resolve() or root in u.resolve().parents
                   for root in roots for u in used):
            continue
        message.string = ("", "") if isinstance(message.id, (list, tuple)) else ""
        catalog[message.id] = message
        added += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    body = _written(catalog)
    target.write_text(HEADER.format(part=part) + body, "utf-8")
    print(f"{shown(target)}: {added} message(s) added to translate")
    return 0


def _written(catalog: Catalog) -> str:
    """The entries of ``catalog`` as .po text, without babel's own header."""
    import io

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=True, sort_output=False,
             include_previous=False)
    return "\n" + buffer.getvalue().decode("utf-8").lstrip("\n")


def stats() -> int:
    wanted = extract()
    print(f"{len(wanted)} messages in the sources")
    for language in languages():
        done = {key(m) for path in files(language) for m in read(path, language)
                if m.id and m.string and not m.fuzzy}
        print(f"{language}: {len(done & set(wanted))} translated, "
              f"{len(set(wanted) - done)} to do")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="list what is missing, stale or wrong")
    check.add_argument("language", nargs="?")
    add = sub.add_parser("todo", help="add the untranslated messages of some sources")
    add.add_argument("language")
    add.add_argument("part", help="the file to add them to: locale/<language>/<part>.po")
    add.add_argument("paths", nargs="+", help="source files or folders, e.g. src/livingsys/checks")
    sub.add_parser("stats", help="count the messages and the translations")
    mend = sub.add_parser("fix", help="put French's no-break spaces into the translations")
    mend.add_argument("language", nargs="?", default="fr")
    args = parser.parse_args(argv)
    if args.command == "todo":
        return todo(args.language, args.part, args.paths)
    if args.command == "stats":
        return stats()
    if args.command == "fix":
        return fix(args.language)
    found = [line for language in ([args.language] if args.language else languages())
             for line in problems(language)]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
