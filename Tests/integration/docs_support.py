"""The runnable parts of the guides: a fenced block in docs/ preceded by `<!-- file: NAME -->`."""
import re

from conftest import ROOT


def doc_block(doc, name):
    """The text of the block marked `name` in docs/`doc`, exactly as printed there."""
    text = (ROOT / "docs" / doc).read_text()
    match = re.search(rf"<!-- file: {re.escape(name)} -->\n```[\w-]*\n(.*?)```", text, re.S)
    assert match, f"docs/{doc} has no block marked <!-- file: {name} -->"
    return match.group(1)


def substituted(text, *replacements):
    """`text` with each (old, new) replaced; every `old` must occur exactly once, so a guide that
    changes under the test makes it fail instead of testing something else."""
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in:\n{text}"
        text = text.replace(old, new)
    return text
