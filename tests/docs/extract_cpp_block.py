#!/usr/bin/env python3
"""Writes the first ```cpp block of a Markdown file to a .cpp file, so the suite can
compile and run the example a page shows. Usage: extract_cpp_block.py PAGE.md OUT.cpp"""
import sys

page, out = sys.argv[1], sys.argv[2]
lines, inside = [], False
for line in open(page, encoding="utf-8"):
    if not inside and line.strip() == "```cpp":
        inside = True
        continue
    if inside and line.strip() == "```":
        break
    if inside:
        lines.append(line)
if not lines:
    sys.exit(f"{page}: no ```cpp block")
with open(out, "w", encoding="utf-8") as f:
    f.write(f"// Extracted from {page} by tests/docs/extract_cpp_block.py; edit the page, not this file.\n")
    f.writelines(lines)
