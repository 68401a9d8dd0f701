"""Checks that docs/embedding.md shows the bindings' examples exactly as the suite runs
them. A fenced block right after a line `<!-- file: PATH -->` must equal PATH (relative
to the repository root) byte for byte, and every PATH given here must be so shown.

    docs_examples_test.py docs/embedding.md PATH...
"""
import os
import re
import sys


def main():
    doc, required = sys.argv[1], sys.argv[2:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(doc)))
    text = open(doc, encoding="utf-8").read()
    pattern = re.compile(r"^<!-- file: (\S+) -->\n```[a-z]*\n(.*?)^```$", re.M | re.S)
    shown = {}
    for m in pattern.finditer(text):
        shown[m.group(1)] = m.group(2)
    failures = []
    for path in required:
        rel = os.path.relpath(os.path.abspath(path), root)
        if rel not in shown:
            failures.append(f"{doc} has no `<!-- file: {rel} -->` block")
    for rel, block in shown.items():
        actual = open(os.path.join(root, rel), encoding="utf-8").read()
        if block != actual:
            failures.append(f"{doc}'s block for {rel} differs from the file: copy the file into the page")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(shown)} example files shown in {os.path.basename(doc)}; {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
