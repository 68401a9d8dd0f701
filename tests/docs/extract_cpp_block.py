#!/usr/bin/env python3
"""Writes the first ```cpp block of a Markdown file to a .cpp file, so the suite can
compile and run the example a page shows. Usage: extract_cpp_block.py PAGE.md OUT.cpp"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from code_block import first_block  # noqa: E402

page, out = sys.argv[1], sys.argv[2]
lines = first_block(page, "cpp")
with open(out, "w", encoding="utf-8") as f:
    f.write(f"// Extracted from {page} by tests/docs/extract_cpp_block.py; edit the page, not this file.\n")
    f.writelines(lines)
