#!/usr/bin/env python3
"""extract-ice-formats.py - derive ICE message rules from the Go compiler's sources.

Usage:
    scripts/extract-ice-formats.py GOROOT/src [GOROOT2/src ...] > rules/ice-formats.rules
    scripts/extract-ice-formats.py -o rules/ice-formats.rules GOROOT/src [...]

Most internal compiler errors are printed by base.FatalfAt as

    FILE:LINE:COL: internal compiler error: <Fatalf format, filled in>

and most Fatalf format strings have a single home in cmd/compile/internal.
This script scans cmd/compile/internal/** (no tests, no generators, no
testdata) of every GOROOT/src given for the Fatalf family of calls whose
format argument is a string literal:

    base.Fatalf(fmt, ...)        base.FatalfAt(pos, fmt, ...)
    base.Assertf(c, fmt, ...)    base.AssertfAt(c, pos, fmt, ...)
    f.Fatalf / v.Fatalf / b.Fatalf / s.Fatalf / fe.Fatalf(pos, fmt)  (ssa, ssagen)
    pw.fatalf(p, fmt, ...)       (noder)

turns each format into an Oniguruma regex (literal text escaped, verbs such
as %v %s %d %q %+v %T become .*?), and maps the package directory to the
phase of SPEC section 2.  A format is dropped when

  * it has fewer than MIN_LITERAL literal characters (mostly placeholders:
    "bad op %v" says nothing about where it came from), or
  * the same format text occurs in packages of different phases, or in a
    shared helper (base, ir, types, ...) - it has no single owner, or
  * its regex and the regex of a format of another phase match each other's
    samples (the message cannot tell them apart).

Rules are written most specific first (more literal characters first), so
that the first match wins with the most specific format.  Messages printed
through the SSA frontend (f.Fatalf, v.Fatalf, s.Fatalf, ...) carry a
"'FUNC': " prefix, which the rules of ssa-phase packages accept and store in
the func field.

Only the Python standard library is used.  The output is deterministic for a
given set of source trees.
"""

import os
import re
import sys

MIN_LITERAL = 12

# Package directory (relative to cmd/compile/internal) -> phase (SPEC section 2).
# Directories not listed here (base, ir, types, gc, logopt, bitvec, abt,
# pgoir, rttype, typebits, test, ...) are shared helpers or drivers: they
# own no phase, and a format found there makes the format ambiguous.
PHASES = {
    "syntax": "parser",
    "types2": "typecheck", "noder": "typecheck", "typecheck": "typecheck",
    "importer": "typecheck", "pkginit": "typecheck", "rangefunc": "typecheck",
    "loopvar": "typecheck",
    "inline": "midend", "inline/inlheur": "midend", "inline/interleaved": "midend",
    "escape": "midend", "devirtualize": "midend", "walk": "midend",
    "deadlocals": "midend", "staticinit": "midend", "reflectdata": "midend",
    "compare": "midend", "coverage": "midend", "staticdata": "midend",
    "ssa": "ssa", "ssagen": "ssa", "liveness": "ssa", "abi": "ssa",
    "amd64": "codegen", "arm": "codegen", "arm64": "codegen", "loong64": "codegen",
    "mips": "codegen", "mips64": "codegen", "ppc64": "codegen", "riscv64": "codegen",
    "s390x": "codegen", "wasm": "codegen", "x86": "codegen", "objw": "codegen",
    "dwarfgen": "codegen",
}

# Formats that ice.rules handles with dedicated rules (they carry the pass
# and func groups, or are plain wrappers around a panic value).
SKIP_FORMATS = {
    "panic during %s while compiling %s:\n\n%v\n\n%s\n",
    "panic: %v",
}

# Must stay identical to the position prefix of the ICE rules in ice.rules.
POS_ICE = (r"^(?:(?<file>(?:[A-Za-z]:)?[^\s:]+|<[^>\t]+>):(?<line>\d+)(?::(?<col>\d+))?"
           r"(?:\[[^\]]*\])?|<unknown line number>|\?\?\?): (?<msg>internal compiler error: ")
SSA_PREFIX = r"(?:'(?<func>[^'\n]*)': )?"

ABSORB = [
    r"^$",
    r"^Please file a bug report including a short program that triggers the error\.$",
    r"^https://(?:go\.dev|golang\.org)/issue/new$",
]

CALL_RE = re.compile(r"(?<![\w$])((?:[A-Za-z_]\w*(?:\(\))?\.)*)(Fatalf|FatalfAt|Assertf|AssertfAt|fatalf)\(")
VERB_RE = re.compile(r"%(?:\[\d+\])?[-+# 0]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?(?:\[\d+\])?([a-zA-Z%])")
REGEX_META = set("\\^$.|?*+()[]{}")

SAMPLE_FILL = {
    "d": "7", "x": "1f", "X": "1F", "o": "17", "b": "101", "c": "c", "U": "U+0041",
    "q": '"x"', "t": "true", "p": "0xc000123450", "T": "*ir.Name",
    "e": "1.5", "f": "1.5", "g": "1.5", "E": "1.5", "G": "1.5",
    "L": "int", "S": "x", "s": "x", "v": "x",
}


def die(msg):
    sys.stderr.write("extract-ice-formats: %s\n" % msg)
    sys.exit(2)


# ---------------------------------------------------------------- Go lexing

def skip_space_comments(src, i):
    n = len(src)
    while i < n:
        c = src[i]
        if c in " \t\r\n":
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            break
    return i


def read_string(src, i):
    """Reads a Go string literal at src[i]; returns (value, end) or (None, i)."""
    q = src[i]
    if q == "`":
        j = src.find("`", i + 1)
        if j < 0:
            return None, i
        return src[i + 1:j].replace("\r", ""), j + 1
    if q != '"':
        return None, i
    out = []
    j = i + 1
    n = len(src)
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
              "v": "\v", "\\": "\\", '"': '"', "'": "'"}
    while j < n:
        c = src[j]
        if c == '"':
            return "".join(out), j + 1
        if c == "\n":
            return None, i
        if c == "\\":
            e = src[j + 1] if j + 1 < n else ""
            if e in simple:
                out.append(simple[e])
                j += 2
            elif e == "x":
                out.append(chr(int(src[j + 2:j + 4], 16)))
                j += 4
            elif e == "u":
                out.append(chr(int(src[j + 2:j + 6], 16)))
                j += 6
            elif e == "U":
                out.append(chr(int(src[j + 2:j + 10], 16)))
                j += 10
            elif e.isdigit():
                out.append(chr(int(src[j + 1:j + 4], 8)))
                j += 4
            else:
                return None, i
        else:
            out.append(c)
            j += 1
    return None, i


def split_args(src, i):
    """src[i] is just after '('.  Returns the list of argument source texts."""
    args = []
    depth = 0
    start = i
    n = len(src)
    while i < n:
        c = src[i]
        if c in "\"`":
            _, j = read_string(src, i)
            i = j if j > i else i + 1
            continue
        if c == "'":
            j = i + 1
            while j < n and src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if src.startswith("//", i) or src.startswith("/*", i):
            i = skip_space_comments(src, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(src[start:i])
                return [a.strip() for a in args if a.strip()]
            depth -= 1
        elif c == "," and depth == 0:
            args.append(src[start:i])
            start = i + 1
        i += 1
    return None


def literal_value(expr):
    """The value of a string literal or a + concatenation of literals, else None."""
    parts = []
    i = skip_space_comments(expr, 0)
    while True:
        if i >= len(expr) or expr[i] not in "\"`":
            return None
        v, j = read_string(expr, i)
        if v is None:
            return None
        parts.append(v)
        i = skip_space_comments(expr, j)
        if i >= len(expr):
            return "".join(parts)
        if expr[i] != "+":
            return None
        i = skip_space_comments(expr, i + 1)


# ---------------------------------------------------------------- formats

def pieces(fmt):
    """Splits a format into [('lit', text) | ('verb', letter)]."""
    out = []
    pos = 0
    for m in VERB_RE.finditer(fmt):
        if m.start() > pos:
            out.append(("lit", fmt[pos:m.start()]))
        if m.group(1) == "%":
            out.append(("lit", "%"))
        else:
            out.append(("verb", m.group(1)))
        pos = m.end()
    if pos < len(fmt):
        out.append(("lit", fmt[pos:]))
    # merge adjacent literals
    merged = []
    for k, t in out:
        if merged and k == "lit" and merged[-1][0] == "lit":
            merged[-1] = ("lit", merged[-1][1] + t)
        else:
            merged.append((k, t))
    return merged


def headline(fmt):
    """The part of a format printed on the ICE line itself (trailing blanks
    dropped: rule files cannot hold them, and the regex allows them)."""
    return fmt.split("\n", 1)[0].rstrip()


def escape(text):
    out = []
    for c in text:
        if c in REGEX_META:
            out.append("\\" + c)
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7f:
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def to_regex(ps):
    out = []
    for idx, (k, t) in enumerate(ps):
        if k == "lit":
            out.append(escape(t))
        else:
            out.append(".*" if idx == len(ps) - 1 else ".*?")
    if ps and ps[-1][0] == "lit":
        out.append("[ \\t]*")
    return "".join(out) + "$"


def fill(ps):
    return "".join(t if k == "lit" else SAMPLE_FILL.get(t, "x") for k, t in ps)


def literal_chars(ps):
    return sum(len(t.strip()) for k, t in ps if k == "lit")


def longest_literal(ps):
    best = ""
    for k, t in ps:
        if k == "lit":
            s = t.strip()
            if len(s.encode()) > len(best.encode()):
                best = s
    return best


# ---------------------------------------------------------------- scanning

def go_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in ("testdata",) and not d.startswith(("_", ".")))
        for fn in sorted(filenames):
            if fn.endswith(".go") and not fn.endswith("_test.go"):
                yield os.path.join(dirpath, fn)


def scan(src_root):
    """Yields (pkgdir, format, ssa_prefix) for every call site found."""
    base = os.path.join(src_root, "cmd", "compile", "internal")
    if not os.path.isdir(base):
        die("%s: no cmd/compile/internal here (give GOROOT/src)" % src_root)
    for path in go_files(base):
        with open(path, encoding="utf-8", errors="replace") as f:
            src = f.read()
        if re.search(r"^//go:build ignore\b", src, re.M) or re.search(r"^// \+build ignore\b", src, re.M):
            continue
        pkg = os.path.relpath(os.path.dirname(path), base).replace(os.sep, "/")
        for m in CALL_RE.finditer(src):
            qual, name = m.group(1), m.group(2)
            if qual.endswith("log."):
                continue
            # skip the definitions themselves ("func (f *Func) Fatalf(")
            line_start = src.rfind("\n", 0, m.start()) + 1
            if src[line_start:m.start()].lstrip().startswith("func"):
                continue
            args = split_args(src, m.end())
            if not args:
                continue
            fmt = None
            for a in args[:3]:
                v = literal_value(a)
                if v is not None:
                    fmt = v
                    break
            if fmt is None:
                continue
            # Frontend Fatalf (ssa Func/Value/Block, ssagen state/ssafn)
            # prefixes the message with 'FUNCNAME': .
            ssa_prefix = PHASES.get(pkg) == "ssa" and qual not in ("base.", "")
            yield pkg, fmt, ssa_prefix


# ---------------------------------------------------------------- rules

def onig_to_py(rx):
    return re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", rx)


def go_version(src_root):
    vf = os.path.join(os.path.dirname(os.path.abspath(src_root)), "VERSION")
    try:
        with open(vf) as f:
            return f.readline().strip()
    except OSError:
        return "unknown"


def main(argv):
    out_path = None
    roots = []
    i = 0
    while i < len(argv):
        if argv[i] == "-o":
            if i + 1 >= len(argv):
                die("-o needs a file")
            out_path = argv[i + 1]
            i += 2
        elif argv[i] in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        else:
            roots.append(argv[i])
            i += 1
    if not roots:
        die("usage: extract-ice-formats.py [-o OUT] GOROOT/src [GOROOT/src ...]")

    # format -> {pkg: ssa_prefix}
    homes = {}
    for root in roots:
        for pkg, fmt, pre in scan(root):
            if fmt in SKIP_FORMATS:
                continue
            d = homes.setdefault(fmt, {})
            d[pkg] = d.get(pkg, False) or pre

    stats = {"calls": len(homes), "generic": 0, "shared": 0, "ambiguous": 0, "overlap": 0}
    cands = []
    # Samples of the formats left out, with the phases they may come from:
    # a kept rule of another phase that matches one of them would guess.
    others = []
    for fmt, pkgs in homes.items():
        ps = pieces(headline(fmt))
        phases = {PHASES.get(p) for p in pkgs}
        sample = "./x.go:12:3: internal compiler error: " + fill(ps)
        if literal_chars(ps) < MIN_LITERAL or len(longest_literal(ps).encode()) < 3:
            stats["generic"] += 1
            others.append((sample, phases))
            continue
        if None in phases:
            stats["shared"] += 1
            others.append((sample, phases))
            continue
        if len(phases) != 1:
            stats["ambiguous"] += 1
            others.append((sample, phases))
            continue
        phase = phases.pop()
        pkg = sorted(pkgs)[0]
        pre = any(pkgs.values()) and phase == "ssa"
        cands.append({"fmt": fmt, "ps": ps, "pkg": pkg, "phase": phase,
                      "prefix": phase == "ssa", "sample_prefix": pre})

    # Several formats can share a headline (they differ after a newline).
    seen = {}
    uniq = []
    for c in cands:
        key = to_regex(c["ps"])
        if key in seen:
            other = seen[key]
            if other["phase"] != c["phase"]:
                other["drop"] = True
                stats["ambiguous"] += 1
            continue
        seen[key] = c
        uniq.append(c)
    cands = [c for c in uniq if not c.get("drop")]

    for c in cands:
        body = to_regex(c["ps"])
        c["regex"] = POS_ICE + (SSA_PREFIX if c["prefix"] else "") + body[:-1] + ")$"
        # Every rule shares the ICE marker as its literal: the prefilter then
        # holds one literal for all of them instead of hundreds, and only a
        # line that really is an internal compiler error tries these regexes.
        c["literal"] = '"internal compiler error: "'
        # ... and the longest literal run of the format must occur too: a
        # substring search spares the regex of every other format.
        c["require"] = longest_literal(c["ps"])
        c["msg"] = fill(c["ps"])
        c["sample"] = "./x.go:12:3: internal compiler error: " + \
            ("'f': " if c["sample_prefix"] else "") + c["msg"]
        c["py"] = re.compile(onig_to_py(c["regex"]), re.ASCII)

    # Most specific first; ties by package and format for a stable order.
    cands.sort(key=lambda c: (-literal_chars(c["ps"]), c["pkg"], c["fmt"]))

    # Overlaps: a rule that matches the sample of a rule of another phase
    # placed after it makes those messages ambiguous: drop both.  A rule
    # stolen by an earlier rule of the same phase is redundant: drop it.
    changed = True
    while changed:
        changed = False
        kept = [c for c in cands if not c.get("drop")]
        for j, later in enumerate(kept):
            for earlier in kept[:j]:
                if earlier["py"].search(later["sample"]):
                    later["drop"] = True
                    if earlier["phase"] != later["phase"]:
                        earlier["drop"] = True
                    stats["overlap"] += 1
                    changed = True
                    break
            if changed:
                break
    cands = [c for c in cands if not c.get("drop")]
    for c in cands:
        for sample, phases in others:
            if phases != {c["phase"]} and c["py"].search(sample):
                c["drop"] = True
                stats["overlap"] += 1
                break
    cands = [c for c in cands if not c.get("drop")]

    # ids: ice.fmt.<pkg>.<n>, numbered per package in output order
    counters = {}
    per_phase = {}
    for c in cands:
        p = c["pkg"].replace("/", "_")
        counters[p] = counters.get(p, 0) + 1
        c["id"] = "ice.fmt.%s.%d" % (p, counters[p])
        per_phase[c["phase"]] = per_phase.get(c["phase"], 0) + 1

    versions = ", ".join("%s (%s)" % (go_version(r), r) for r in roots)
    lines = []
    w = lines.append
    w("# rules/ice-formats.rules - GENERATED, DO NOT EDIT.")
    w("#")
    w("# Generated by: scripts/extract-ice-formats.py %s%s" % (
        "-o %s " % out_path if out_path else "", " ".join(roots)))
    w("# From Go sources: %s" % versions)
    w("#")
    w("# One rule per Fatalf/FatalfAt/Assertf format string of cmd/compile/internal/**")
    w("# with a single owning phase (SPEC section 2).  Formats with fewer than %d" % MIN_LITERAL)
    w("# literal characters, formats found in shared helpers (base, ir, types, ...)")
    w("# or in packages of several phases, and formats whose regexes overlap with")
    w("# a format of another phase are left out: the generic rules of ice.rules")
    w("# (phase unknown) take those messages.  These rules must come before ice.rules.")
    w("# Every rule's literal is the ICE marker \"internal compiler error: \", so the")
    w("# prefilter holds one literal for all of them and only ICE lines try them.")
    w("#")
    w("# Formats: %d found, %d too generic, %d in shared helpers, %d in several phases,"
      % (stats["calls"], stats["generic"], stats["shared"], stats["ambiguous"]))
    w("# %d dropped as overlapping; %d rules: %s." % (
        stats["overlap"], len(cands),
        ", ".join("%s %d" % (k, per_phase[k]) for k in sorted(per_phase))))
    w("")
    for c in cands:
        w("rule %s" % c["id"])
        w("  context line")
        w("  literal %s" % c["literal"])
        if len(c["require"].strip()) >= 4:
            w('  require "%s"' % c["require"])
        w("  match   %s" % c["regex"])
        w("  set     class=ice kind=ice phase=%s tool=compile" % c["phase"])
        w("  flag    block")
        for a in ABSORB:
            w("  absorb  %s" % a)
        w("  sample  %s" % c["sample"])
        exp = "file=./x.go line=12 col=3 phase=%s" % c["phase"]
        if c["sample_prefix"]:
            exp += " func=f"
        w("  expect  %s" % exp)
        w("")
    text = "\n".join(lines)
    if out_path:
        with open(out_path, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    sys.stderr.write("extract-ice-formats: %d rules (%s)\n" % (
        len(cands), ", ".join("%s %d" % (k, per_phase[k]) for k in sorted(per_phase))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
