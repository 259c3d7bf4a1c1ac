"""The interface's translations (Qt Linguist).

    python tools/translations.py update   # collect the tr() strings into translations/*.ts
    python tools/translations.py build    # compile the .ts files into .qm (the setup runs this)

Translate with Qt Linguist (`pyside6-linguist translations/commandcenter_zh_CN.ts`)
or by editing the .ts; `update` keeps what is translated and marks what is new.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRANSLATIONS = REPO / "translations"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def update() -> int:
    sources = sorted(str(p.relative_to(REPO)) for p in (REPO / "commandcenter" / "ui").glob("*.py"))
    sources.append("commandcenter/app.py")
    for language in LANGUAGES:
        ts = TRANSLATIONS / f"commandcenter_{language}.ts"
        done = subprocess.run(
            [
                tool("pyside6-lupdate"),
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


def build() -> int:
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        done = subprocess.run(
            [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))]
        )
        if done.returncode:
            print(f"translations: cannot compile {ts.name}", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("update", "build"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(update() if command == "update" else build())
