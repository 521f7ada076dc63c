"""Write src/generated/vocabulary.js from server/vocabulary.py, so the PWA imports the server's
words and limits instead of copying them: every upper-case name, as a JS constant.

Run before `npm run build` (`make pwa` does); the output is not committed.
"""

import json
import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "server" / "vocabulary.py"
TARGET = HERE / "src" / "generated" / "vocabulary.js"
HEADER = "// Written from server/vocabulary.py by pwa/write_vocabulary.py: do not edit."


def module_text():
    names = {name: value for name, value in runpy.run_path(str(SOURCE)).items() if name.isupper()}
    constants = [f"export const {name} = {json.dumps(value)};" for name, value in names.items()]
    return "\n".join([HEADER, *constants, ""])


if __name__ == "__main__":
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(module_text())
