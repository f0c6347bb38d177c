#!/usr/bin/env python3
"""List the hard-coded expected values in tests/** that carry no provenance comment.

Run from anywhere:  python3 tools/provenance/audit.py [--all]
Exit status 0 when it finds none, 1 otherwise; --all also lists the covered ones, with their comment.
The rules (what counts as an expected value, what counts as its provenance) are in tools/provenance/README.md.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TESTS = os.path.join(ROOT, "tests")

# Assertions whose FIRST argument is the expected value.
EXPECTED_FIRST = {"Equal", "NotEqual", "StrictEqual", "Close", "AssertClose", "AssertRows", "TestDataClose", "AssertEqual",
                  "AssertNear", "Near", "AssertBits"}
# Assertions whose string argument (first) is an expected text.
TEXT_FIRST = {"Contains", "DoesNotContain", "StartsWith", "EndsWith", "Matches", "DoesNotMatch"}
RANGE = {"InRange", "NotInRange"}
CONDITION = {"True", "False"}
CALL = re.compile(r"\b(?:Assert\.)?(" + "|".join(sorted(EXPECTED_FIRST | TEXT_FIRST | RANGE | CONDITION)) + r")\s*\(")
ASSERT_CALL = re.compile(r"\bAssert\.(\w+)\s*\(")
HELPER_CALL = re.compile(r"(?<![\w.])(Close|AssertClose|AssertRows|TestDataClose|AssertEqual|AssertNear|AssertBits)\s*\(")
INLINE = re.compile(r"\[\s*(?:InlineData|MemberData)\s*\(")
NUMBER = re.compile(r"(?<![\w.\"])-?(?:\d[\d_]*\.\d*|\.\d+|\d[\d_]*)(?:[eE][-+]?\d+)?[fFdDmMLuU]?(?![\w.])")
TOLERANCE = re.compile(r"^-?\d(?:\.0*)?[eE]-\d+[fFdD]?$")
TRIVIAL = re.compile(r"^-?(?:0|1|2)(?:\.0*)?[fFdDL]?$|^0\.5[fFdD]?$")
HEX = re.compile(r'"[0-9a-fA-F]{16,}"')
DECLARED = re.compile(r"\b(?:const|readonly|var|float\[\]|double\[\]|int\[\]|long\[\]|string)\s+[\w\[\]<>, ]*?\b(expected\w*|Expected\w*|golden\w*|Golden\w*|want\w*|pinned\w*|Pinned\w*|reference\w*|Reference\w*)\s*=")
COUNT_ACTUAL = re.compile(r"(\.Count|\.Length|\.Count\(\)|\.Rank|\bcode|\bexit\w*|\.ExitCode|\.Rows|\.Columns|\.GetArrayLength\(\))\s*$")
DECIMAL_TEXT = re.compile(r"\d\.\d")


def blank_comments(text):
    """The text with comments replaced by spaces (line breaks kept), and the comments by line number."""
    out, comments = [], {}
    i, n, line = 0, len(text), 0
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments.setdefault(line, []).append(text[i:j])
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = text[i:j]
            for k, part in enumerate(chunk.split("\n")):
                comments.setdefault(line + k, []).append(part)
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = j
        elif c == '"' or (c in "@$" and i + 1 < n and text[i + 1] in '"@$'):
            j = i
            while j < n and text[j] in "@$":
                j += 1
            verbatim = "@" in text[i:j]
            if text.startswith('"""', j):
                k = text.find('"""', j + 3)
                k = n if k < 0 else k + 3
            else:
                k = j + 1
                while k < n and text[k] != '"' and (verbatim or text[k] != "\n"):
                    k += 2 if text[k] == "\\" and not verbatim else 1
                    if verbatim and k < n and text.startswith('""', k):
                        k += 2
                k += 1
            chunk = text[i:k]
            out.append(chunk)
            line += chunk.count("\n")
            i = k
        elif c == "'" and i + 2 < n:
            k = text.find("'", i + 1 + (1 if text[i + 1] == "\\" else 0) + 1)
            k = i + 1 if k < 0 or k - i > 8 else k + 1
            out.append(text[i:k])
            i = k
        else:
            out.append(c)
            if c == "\n":
                line += 1
            i += 1
    return "".join(out), comments


def arguments(code, start):
    """Top-level arguments of the call whose '(' is at start: list of (offset, text)."""
    depth, i, args, begin, n = 0, start, [], start + 1, len(code)
    while i < n:
        c = code[i]
        if c == '"':
            j = i + 1
            while j < n and code[j] != '"':
                j += 2 if code[j] == "\\" else 1
            i = j
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((begin, code[begin:i]))
                return args
        elif c == "," and depth == 1:
            args.append((begin, code[begin:i]))
            begin = i + 1
        i += 1
    return args


def numbers_in(text):
    bare = re.sub(r'\$?@?"(?:[^"\\]|\\.)*"', '""', text)
    bare = re.sub(r"\[\^?\d+\]", "[]", bare)  # indexes
    return [m for m in NUMBER.findall(bare) if not TRIVIAL.match(m) and not TOLERANCE.match(m)]


def expected_values(code):
    """(offset, description) of each hard-coded expected value in code (comments blanked)."""
    found = []
    for m in list(ASSERT_CALL.finditer(code)) + list(HELPER_CALL.finditer(code)):
        name = m.group(1)
        args = arguments(code, m.end() - 1)
        if not args:
            continue
        if name in EXPECTED_FIRST:
            off, first = args[0]
            actual = args[1][1].strip() if len(args) > 1 else ""
            if COUNT_ACTUAL.search(actual):
                continue
            nums = numbers_in(first)
            if nums:
                found.append((off, "expected " + " ".join(nums[:5])))
            elif re.search(r'"[^"]*\d[^"]*"', first) and not first.lstrip().startswith("$"):
                found.append((off, "expected text " + first.strip()[:40]))
        elif name in RANGE and len(args) >= 3:
            nums = numbers_in(args[1][1] + " , " + args[2][1])
            if nums:
                found.append((args[1][0], "range " + " ".join(nums)))
        elif name in CONDITION:
            cond = args[0][1]
            if re.search(r"[<>]=?|==|!=", cond):
                nums = numbers_in(cond)
                if nums:
                    found.append((args[0][0], "bound " + " ".join(nums[:5])))
        elif name in TEXT_FIRST:
            off, first = args[0]
            s = first.strip()
            if s.startswith('"') and DECIMAL_TEXT.search(s):
                found.append((off, "expected text " + s[:50]))
    for m in INLINE.finditer(code):
        args = arguments(code, m.end() - 1)
        nums = numbers_in(",".join(a for _, a in args))
        if nums:
            found.append((m.start(), "inline data " + " ".join(nums[:5])))
    for m in DECLARED.finditer(code):
        end = code.find(";", m.end())
        init = code[m.end(): end if end > 0 else len(code)]
        nums = [x for x in numbers_in(init) if "." in x or len(x.rstrip("fFdDL")) >= 3]
        if nums or HEX.search(init):
            found.append((m.start(), "declared " + m.group(1) + " " + " ".join(nums[:4])))
    for m in HEX.finditer(code):
        found.append((m.start(), "hash " + m.group(0)[:20]))
    return found


MEMBER = re.compile(r"^    (?:\[|public |private |internal |protected |static |override |async |sealed |\w[\w<>\[\],? ]* \w+\()")


def coverage(lines, comments):
    """Per line: the provenance comment that covers it, or None."""
    cover = [None] * len(lines)
    whole = next((c for cs in comments.values() for c in cs if "Provenance (whole file)" in c), None)
    if whole:
        return [whole] * len(lines)
    # Member heads: attribute and declaration lines at class-member indentation.
    heads = [bool(MEMBER.match(l)) for l in lines]
    for ln in sorted(comments):
        text = " ".join(comments[ln])
        if "Provenance" not in text:
            continue
        j = ln
        # Its own head: following comment, attribute and declaration lines.
        while j < len(lines) and (j == ln or lines[j].strip().startswith(("//", "///", "*", "[")) or heads[j]):
            cover[j] = cover[j] or text
            j += 1
            if j < len(lines) and heads[j - 1] and not lines[j - 1].lstrip().startswith("[") and not lines[j - 1].strip().startswith("//"):
                break
        while j < len(lines) and not (heads[j] and not lines[j].startswith("     ")):
            cover[j] = cover[j] or text
            j += 1
    return cover


def audit(path):
    text = open(path, encoding="utf-8").read()
    code, comments = blank_comments(text)
    lines = code.split("\n")
    starts = [0]
    for l in lines:
        starts.append(starts[-1] + len(l) + 1)
    cover = coverage(text.split("\n"), comments)
    results = []
    seen = set()
    import bisect
    for off, what in expected_values(code):
        ln = bisect.bisect_right(starts, off) - 1
        key = (ln, what)
        if key in seen:
            continue
        seen.add(key)
        results.append((ln + 1, what, cover[ln], text.split("\n")[ln].strip()[:100]))
    return sorted(results)


def main():
    show_all = "--all" in sys.argv
    missing = covered = 0
    for dirpath, dirnames, filenames in os.walk(TESTS):
        dirnames[:] = sorted(d for d in dirnames if d not in ("bin", "obj"))
        for name in sorted(filenames):
            if not name.endswith(".cs"):
                continue
            path = os.path.join(dirpath, name)
            for line, what, by, text in audit(path):
                rel = os.path.relpath(path, ROOT)
                if by is None:
                    missing += 1
                    print(f"{rel}:{line}: no provenance: {what}   | {text}")
                else:
                    covered += 1
                    if show_all:
                        print(f"{rel}:{line}: {what}   <- {by.strip()[:90]}")
    print(f"{covered} hard-coded expected values with a provenance comment, {missing} without")
    return 0 if missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
