#!/usr/bin/env python3
"""A page that shows a source file in full must show it exactly: the first ```LANG block
of PAGE.md must equal FILE byte for byte (the suite compiles FILE, so the page cannot
drift from what is tested). Usage: same_as_file_block.py PAGE.md LANG FILE"""
import difflib
import sys

page, lang, path = sys.argv[1:4]
lines, inside = [], False
for line in open(page, encoding="utf-8"):
    if not inside and line.strip() == "```" + lang:
        inside = True
        continue
    if inside and line.strip() == "```":
        break
    if inside:
        lines.append(line)
if not lines:
    sys.exit(f"{page}: no ```{lang} block")
want = open(path, encoding="utf-8").readlines()
if lines != want:
    sys.stdout.writelines(difflib.unified_diff(want, lines, path, page + " ```" + lang))
    sys.exit(f"{page}'s ```{lang} block differs from {path}: copy the file into the page")
print(f"{page}'s ```{lang} block is {path} ({len(want)} lines)")
