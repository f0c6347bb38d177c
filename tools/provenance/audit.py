#!/usr/bin/env python3
"""List hard-coded expected values in tests/** that carry no provenance comment.

Run from the repository root:  python3 tools/provenance/audit.py   (exit 0 when it finds none, else 1)

What it counts as a hard-coded expected value (a heuristic; see tools/provenance/README.md):
  * a numeric literal on an assertion line (Assert.*, *.Close(..), TestDataClose, AssertRows, ...) or in an
    [InlineData(..)] attribute, other than 0, 1, -1, 2 and tolerance-shaped literals (1e-6, 5e-4: one digit
    times a negative power of ten), and other than literals inside a string used only as a message;
  * a golden array: an initializer ({..} or [..]) holding two or more literals with a decimal point, on a
    line that names it expected/golden/want or sits on an assertion line;
  * a hash: a string literal of 16 or more hex digits;
  * an expected string that encodes a computed number: a string literal on an assertion line that holds a
    number with a decimal point (e.g. "RMSE 0.1234").
What counts as its provenance: a comment containing the word "Provenance" in the same member (the test
method, field or attribute block it belongs to), above it or on its line; a comment containing
"Provenance (whole file)" covers the whole file.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TESTS = os.path.join(ROOT, "tests")

ASSERT_LINE = re.compile(r"\bAssert\w*\.|\bClose\w*\(|\bAssertRows\(|\bAssertClose\w*\(|\bInlineData\(|\bExpect\w*\(")
MEMBER_HEAD = re.compile(r"^    (\[|public |private |internal |protected |static |override |\}|$)")
NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?[fFdDmMLuU]?(?![\w.])")
TOLERANCE = re.compile(r"^-?\d(?:\.0*)?[eE]-\d+[fFdD]?$")
HEX = re.compile(r'"[0-9a-fA-F]{16,}"')
STRING = re.compile(r'\$?@?"(?:[^"\\]|\\.)*"')
DECIMAL_IN_STRING = re.compile(r"\d+\.\d+")
GOLDEN_NAME = re.compile(r"\b(expected|golden|want|reference)\w*\b", re.IGNORECASE)
TRIVIAL = {"0", "1", "-1", "2", "0.0", "1.0", "0.5", "0d", "1d", "0f", "1f", "0.0f", "1.0f", "0.0d", "1.0d"}
MESSAGE_ARG = re.compile(r'(\$"[^"]*"|"[^"]*")\s*\)?\s*;?\s*$')


def strip_comment(line):
    out, in_str, i = [], False, 0
    while i < len(line):
        ch = line[i]
        if ch == '"' and (i == 0 or line[i - 1] != '\\'):
            in_str = not in_str
        if not in_str and line.startswith("//", i):
            return "".join(out), line[i:]
        out.append(ch)
        i += 1
    return "".join(out), ""


def findings(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    covered = [False] * len(lines)
    # Coverage: a Provenance comment covers the rest of its member (up to the next member head that is
    # not directly below the comment), or the whole file.
    for i, raw in enumerate(lines):
        code, comment = strip_comment(raw)
        if "Provenance" not in comment:
            continue
        if "Provenance (whole file)" in comment:
            return []
        j = i
        covered[j] = True
        j += 1
        # the comment's own member head (doc comment lines, attributes, the declaration)
        while j < len(lines) and (lines[j].lstrip().startswith("//") or MEMBER_HEAD.match(lines[j]) and lines[j].strip() not in ("", "}")):
            covered[j] = True
            j += 1
        while j < len(lines) and not (MEMBER_HEAD.match(lines[j]) and lines[j].startswith("    [") ) and not re.match(r"^    (public|private|internal|protected|static)\b", lines[j]):
            covered[j] = True
            j += 1
    result = []
    for i, raw in enumerate(lines):
        code, _ = strip_comment(raw)
        if not code.strip() or covered[i]:
            continue
        what = []
        on_assert = bool(ASSERT_LINE.search(code))
        strings = STRING.findall(code)
        bare = STRING.sub('""', code)
        if on_assert:
            nums = [n for n in NUMBER.findall(bare) if n not in TRIVIAL and not TOLERANCE.match(n)]
            # Array index / count arguments like [0], [^1] are not values.
            nums = [n for n in nums if not re.search(r"\[\^?" + re.escape(n) + r"\]", bare)]
            if nums:
                what.append("numbers " + " ".join(nums[:6]))
            msg = MESSAGE_ARG.search(code)
            for s in strings:
                if msg and s == msg.group(1):
                    continue
                if s.startswith('$') or '{' in s:
                    continue
                if DECIMAL_IN_STRING.search(s):
                    what.append("string " + s[:40])
        decimals = re.findall(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?[fFdD]?", bare)
        if len(decimals) >= 2 and ("{" in bare or "[" in bare) and (on_assert or GOLDEN_NAME.search(bare)) and not what:
            what.append("golden array " + " ".join(decimals[:4]))
        for h in HEX.findall(code):
            what.append("hash " + h[:20])
        if what:
            result.append((i + 1, "; ".join(what), raw.strip()[:110]))
    return result


def main():
    total = 0
    for dirpath, dirnames, filenames in os.walk(TESTS):
        dirnames[:] = sorted(d for d in dirnames if d not in ("bin", "obj"))
        for name in sorted(filenames):
            if not name.endswith(".cs"):
                continue
            path = os.path.join(dirpath, name)
            for line, what, text in findings(path):
                total += 1
                print(f"{os.path.relpath(path, ROOT)}:{line}: {what}   | {text}")
    print(f"{total} hard-coded expected value line(s) without a provenance comment")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
