"""The first fenced code block of one language in a Markdown page: the one reader the
docs checks share (extract_cpp_block.py, same_as_file_block.py)."""
import sys


def first_block(page, lang):
    """The lines of PAGE's first ```LANG block; exits with a message when there is none."""
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
    return lines
