"""One build step of its own: the message catalogs (src/livingsys/locale/<language>/*.po) are
compiled into livingsys/locale/<language>/LC_MESSAGES/livingsys.mo inside the built package,
so an installed livingsys reads compiled catalogs (gettext's own format). Everything else about
the package is in pyproject.toml.

An editable install (pip install -e) compiles nothing: livingsys.i18n then reads the .po files
of the checkout, which are always the current ones.
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


def compile_catalogs(out: Path) -> list[Path]:
    """Compile every language's catalog into ``out``/livingsys/locale/<language>/LC_MESSAGES;
    the merging is livingsys.i18n's own (loaded from its file, not as a package)."""
    from babel.messages.mofile import write_mo

    spec = importlib.util.spec_from_file_location("_livingsys_i18n",
                                                  HERE / "src" / "livingsys" / "i18n.py")
    assert spec and spec.loader
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    written = []
    for folder in sorted(p for p in i18n.LOCALE_DIR.iterdir() if p.is_dir()):
        target = out / "livingsys" / "locale" / folder.name / "LC_MESSAGES" / "livingsys.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as file:
            write_mo(file, i18n.read_catalog(folder.name))
        written.append(target)
    return written


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            compile_catalogs(Path(self.build_lib))


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildWithCatalogs})
