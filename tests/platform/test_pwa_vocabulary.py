"""The PWA takes its words from server/vocabulary.py: the module the build writes from it
(pwa/src/generated/vocabulary.js, by `make pwa`) says the same, and no PWA source spells a list of
its own."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from server import vocabulary

PWA_SOURCE = Path(__file__).resolve().parents[2] / "pwa" / "src"
GENERATED = PWA_SOURCE / "generated" / "vocabulary.js"
WORDS = {name: value for name, value in vars(vocabulary).items() if name.isupper()}
# An array literal of two or more quoted words, as a view would copy a list.
ARRAY = re.compile(r"\[\s*(['\"][a-z_]+['\"](?:\s*,\s*['\"][a-z_]+['\"])+)\s*,?\s*\]")


def test_the_generated_module_says_what_vocabulary_py_says():
    if not GENERATED.exists():
        pytest.fail("pwa/src/generated/vocabulary.js is missing: run `make pwa` (make test does)")
    script = f"import * as words from {json.dumps(GENERATED.as_uri())}; console.log(JSON.stringify(words));"
    node = [shutil.which("node"), "--input-type=module", "-e", script]
    out = subprocess.run(node, capture_output=True, text=True, check=True)  # noqa: S603 (our own module)
    expected = {name: list(value) if isinstance(value, tuple) else value for name, value in WORDS.items()}
    assert json.loads(out.stdout) == expected, "out of date: run `make pwa`"


def test_no_pwa_source_keeps_its_own_copy():
    """A copy: a constant of one of vocabulary's names, or an array of a list's words (all of
    them, or three or more)."""
    lists = {name: set(value) for name, value in WORDS.items() if isinstance(value, tuple)}
    defined = re.compile(rf"\b(?:const|let|var)\s+({'|'.join(WORDS)})\b")
    copies = []
    for path in PWA_SOURCE.rglob("*.js"):
        if path.parent == GENERATED.parent:
            continue
        text, where = path.read_text(), path.relative_to(PWA_SOURCE)
        copies += [f"{where}: defines {found.group(1)}" for found in defined.finditer(text)]
        for array in ARRAY.finditer(text):
            words = set(re.findall(r"[a-z_]+", array.group(1)))
            names = [name for name, v in lists.items() if words <= v and (words == v or len(words) >= 3)]
            if names:
                copies.append(f"{where}: {sorted(words)} copies {' or '.join(names)}")
    assert copies == []
