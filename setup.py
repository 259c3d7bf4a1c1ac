"""The package's build step beyond pyproject.toml: the interface's translations, compiled
from translations/*.ts (Qt Linguist sources) into commandcenter/data/translations/*.qm
by Qt's lrelease (PySide6-Essentials is a build requirement), so that the wheel and the
sdist carry them and the program never compiles anything at start-up."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "translations"
TARGET = Path("commandcenter", "data", "translations")


def _compile(out: Path) -> None:
    if not any(SOURCES.glob("*.ts")):
        return  # built from an sdist whose .qm came compiled
    spec = importlib.util.spec_from_file_location(
        "_translations", HERE / "tools" / "translations.py"
    )
    translations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(translations)
    if translations.build(out, SOURCES):
        raise SystemExit("the translations could not be compiled (see above)")


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        # an editable install reads the source tree, where ./dev.sh also compiles them
        _compile(HERE / TARGET if self.editable_mode else Path(self.build_lib) / TARGET)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        compiled = [
            str(Path(self.build_lib) / TARGET / ts.with_suffix(".qm").name)
            for ts in SOURCES.glob("*.ts")
        ]
        return [*super().get_outputs(include_bytecode), *compiled]


class SdistWithTranslations(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        _compile(Path(base_dir) / TARGET)


setup(cmdclass={"build_py": BuildWithTranslations, "sdist": SdistWithTranslations})
