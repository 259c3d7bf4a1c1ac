"""The interface's translations (Qt Linguist).

    python tools/translations.py update   # collect the tr() strings into translations/*.ts
    python tools/translations.py build    # compile them into commandcenter/data/translations/*.qm

Translate with Qt Linguist (`pyside6-linguist translations/commandcenter_zh_CN.ts`)
or by editing the .ts; `update` keeps what is translated and marks what is new.
The program reads only the compiled .qm, which are never kept in git: the package's
build compiles them into the wheel and the sdist (setup.py), the setup of a checkout
(`./dev.sh`) into the source tree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "translations"
COMPILED = REPO / "commandcenter" / "data" / "translations"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> list[str]:
    """A Qt tool from the PySide6 wheel, through PySide6's own launcher (it knows where
    each platform's wheel keeps the binary)."""
    return [sys.executable, "-c", f"from PySide6.scripts.pyside_tool import {name}; {name}()"]


def update() -> int:
    # every tr() is in the Qt parts: the desktop's panels and shell, the map page's
    # machinery and the application's start
    package = REPO / "commandcenter"
    sources = sorted(
        str(p.relative_to(REPO))
        for folder in (package / "ui", package / "map")
        for p in folder.rglob("*.py")
    )
    sources.append("commandcenter/app.py")
    for language in LANGUAGES:
        ts = SOURCES / f"commandcenter_{language}.ts"
        done = subprocess.run(
            [
                *tool("lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                "-target-language",
                language,
                *sources,
                "-ts",
                str(ts),
            ],
            cwd=REPO,
        )
        if done.returncode:
            return done.returncode
    return 0


def build(out: Path = COMPILED, sources: Path = SOURCES) -> int:
    """Compile every .ts in `sources` into `out`; a .qm newer than its .ts is kept."""
    out.mkdir(parents=True, exist_ok=True)
    for ts in sorted(sources.glob("*.ts")):
        qm = out / ts.with_suffix(".qm").name
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        done = subprocess.run([*tool("lrelease"), "-silent", str(ts), "-qm", str(qm)])
        if done.returncode or not qm.is_file():
            print(f"translations: cannot compile {ts.name}", file=sys.stderr)
            return done.returncode or 1
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("update", "build"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(update() if command == "update" else build())
