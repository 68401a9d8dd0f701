#!/usr/bin/env python3
"""A page that shows a source file in full must show it exactly: the first ```LANG block
of PAGE.md must equal FILE byte for byte (the suite compiles FILE, so the page cannot
drift from what is tested). Usage: same_as_file_block.py PAGE.md LANG FILE"""
import difflib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from code_block import first_block  # noqa: E402

page, lang, path = sys.argv[1:4]
lines = first_block(page, lang)
want = open(path, encoding="utf-8").readlines()
if lines != want:
    sys.stdout.writelines(difflib.unified_diff(want, lines, path, page + " ```" + lang))
    sys.exit(f"{page}'s ```{lang} block differs from {path}: copy the file into the page")
print(f"{page}'s ```{lang} block is {path} ({len(want)} lines)")
