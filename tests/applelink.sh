# Sourced by tests/run.sh: Apple ld's error blocks inside `go build` output.
# macOS cannot run here, so the inputs are SYNTHETIC: this file writes them,
# each an Apple ld block (formats as quoted in the public reports that
# rules/link.rules names: golang/go#45772, #38485, #28704, spf13/cobra#2025,
# filecoin-project/filecoin-ffi#181, cogentcore/core#452) wrapped the way the
# go command prints a failed external link: the `# pkg` header, cmd/link's
# `running clang failed` line and (Go 1.22+) the clang command line.  Each
# block must give one event with the right class, kind, func and rule, and
# with -p the only lines outside it must be the `# pkg` headers (and the
# unrelated lines the case adds on purpose).

# applelink NAME HEADERLINES WANT  (log on stdin)
#   WANT: "rule kind func" for each event, ";"-separated, in order.
#   HEADERLINES: the 1-based line numbers -p may pass through as text.
applelink() {
	name=$1; texts=$2; want=$3
	cat >"$T/apple-$name.log"
	$BIN "$T/apple-$name.log" >"$T/apple-$name.jsonl" 2>"$T/apple-$name.err"
	$BIN -p "$T/apple-$name.log" >"$T/apple-$name.p.jsonl" 2>>"$T/apple-$name.err"
	check "applelink (synthetic): $name: $want" $PY - "$T/apple-$name.jsonl" \
	    "$T/apple-$name.p.jsonl" "$texts" "$want" "$T/apple-$name.log" <<'PY'
import json, sys
ev_path, p_path, texts, want, log = sys.argv[1:6]
events = [json.loads(l) for l in open(ev_path) if l.strip()]
got = ";".join("%s %s %s" % (e["rule"], e["kind"], e.get("func", "-")) for e in events)
bad = 0
if got != want:
    print("events: got  %r\n        want %r" % (got, want)); bad = 1
for e in (e for e in events if e["rule"].startswith("link.")):
    if e["class"] != "link_error" or e["phase"] != "link" or e["tool"] != "link":
        print("class/phase/tool: %r" % e); bad = 1
allowed = {int(x) for x in texts.split(",") if x}
nlines = sum(1 for _ in open(log))
seen = set()
for r in (json.loads(l) for l in open(p_path) if l.strip()):
    a, b = r["lines"]
    seen.update(range(a, b + 1))
    if "text" in r and a not in allowed:
        print("line %d passed through as text: %r" % (a, r["text"])); bad = 1
missing = sorted(set(range(1, nlines + 1)) - seen)
if missing:
    print("lines unaccounted: %r" % missing); bad = 1
sys.exit(bad)
PY
}

# Go 1.22+ on darwin/arm64: cgo calls a C function nothing defines; two
# undefined symbols, func is the first.
applelink undefined-arm64 1 'link.external_linker_failed undefined_symbol _foo' <<'EOF'
# example.com/applelink
/usr/local/go/pkg/tool/darwin_arm64/link: running clang failed: exit status 1
/usr/bin/clang -arch arm64 -Wl,-headerpad,1144 -o $WORK/b001/exe/a.out -Wl,-S -Wl,-x /var/folders/x1/abc/T/go-link-1234/go.o /var/folders/x1/abc/T/go-link-1234/000000.o /var/folders/x1/abc/T/go-link-1234/000001.o /var/folders/x1/abc/T/go-link-1234/000002.o -O2 -g -lresolv -O2 -g -framework CoreFoundation
Undefined symbols for architecture arm64:
  "_foo", referenced from:
      __cgo_0a1b2c3d4e5f_Cfunc_foo in 000002.o
     (maybe you meant: __cgo_0a1b2c3d4e5f_Cfunc_foo)
  "_bar", referenced from:
      __cgo_0a1b2c3d4e5f_Cfunc_bar in 000002.o
      _helper in 000002.o
ld: symbol(s) not found for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
EOF

# Go 1.21 (no command line), runtime/cgo's darwin symbols missing; then the
# next package's header and a compile error: a separate event.
applelink undefined-then-next 1,11 'link.external_linker_failed undefined_symbol _darwin_arm_init_mach_exception_handler;compile.undefined undefined -' <<'EOF'
# github.com/u/cobratest
/usr/local/go/pkg/tool/darwin_arm64/link: running clang failed: exit status 1
Undefined symbols for architecture arm64:
  "_darwin_arm_init_mach_exception_handler", referenced from:
      _x_cgo_init in 000005.o
  "_darwin_arm_init_thread_exception_port", referenced from:
      _threadentry in 000005.o
      _x_cgo_init in 000005.o
ld: symbol(s) not found for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
# example.com/other
./other.go:3:2: undefined: Foo
EOF

# ld warnings first, an entry point instead of an object (darwin_amd64).
applelink undefined-main-x86_64 1 'link.external_linker_failed undefined_symbol _main' <<'EOF'
# cmd/fix
/Users/u/go/pkg/tool/darwin_amd64/link: running clang failed: exit status 1
ld: warning: ignoring file /var/folders/qc/x0/T/go-link-060310708/go.o, building for macOS-x86_64 but attempting to link with file built for unknown-arm64
Undefined symbols for architecture x86_64:
  "_main", referenced from:
     implicit entry/start for main executable
ld: symbol(s) not found for architecture x86_64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
EOF

# Newer ld64: quoted names, an archive member; two duplicates, func is the first.
applelink duplicate-quoted 1 "link.external_linker_failed duplicate_symbol _x" <<'EOF'
# example.com/dup
/usr/local/go/pkg/tool/darwin_arm64/link: running clang failed: exit status 1
/usr/bin/clang -arch arm64 -Wl,-headerpad,1144 -o $WORK/b001/exe/a.out /var/folders/zn/3x/T/go-link-542352707/go.o /var/folders/zn/3x/T/go-link-542352707/000001.o /var/folders/zn/3x/T/go-link-542352707/000002.o -lfilcrypto
duplicate symbol '_x' in:
    /var/folders/zn/3x/T/go-link-542352707/000001.o
    /var/folders/zn/3x/T/go-link-542352707/000002.o
duplicate symbol '_blst_fp_sqrt' in:
    /var/folders/zn/3x/T/go-link-542352707/000019.o
    /Users/u/pop/extern/filecoin-ffi/libfilcrypto.a(server.o)
ld: 2 duplicate symbols for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
EOF

# Old ld64 (Go 1.11, darwin_amd64): no quotes.
applelink duplicate-unquoted 1 "link.external_linker_failed duplicate_symbol _secp256k1GoPanicError" <<'EOF'
# github.com/u/secp256k1.test
/usr/local/Cellar/go/1.11.2/libexec/pkg/tool/darwin_amd64/link: running clang failed: exit status 1
duplicate symbol _secp256k1GoPanicError in:
    /var/folders/0s/r9/T/go-link-301605448/000000.o
    /var/folders/0s/r9/T/go-link-301605448/000013.o
ld: 1 duplicate symbol for architecture x86_64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
EOF

# The go command's own cgo link step: ld's output right under `# pkg`.
applelink undefined-cgo-step 1 "link.external_apple_undefined undefined_symbol _clipClear" <<'EOF'
# github.com/u/gi/oswin/driver/glos
Undefined symbols for architecture arm64:
  "_clipClear", referenced from:
      __cgo_2bc5a62b9ae8_Cfunc_clipClear in _x002.o
     (maybe you meant: __cgo_2bc5a62b9ae8_Cfunc_clipClear)
  "_clipIsEmpty", referenced from:
      __cgo_2bc5a62b9ae8_Cfunc_clipIsEmpty in _x002.o
     (maybe you meant: __cgo_2bc5a62b9ae8_Cfunc_clipIsEmpty)
ld: symbol(s) not found for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
EOF

applelink duplicate-cgo-step 1 "link.external_apple_duplicate duplicate_symbol _shared" <<'EOF'
# example.com/dupcgo
duplicate symbol '_shared' in:
    $WORK/b001/_x001.o
    $WORK/b001/_x002.o
ld: 1 duplicate symbol for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
EOF
