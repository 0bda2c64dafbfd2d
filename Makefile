# goerrfilt - plain Makefile.  `make`, `make check`, `make asan check`,
# `make install PREFIX=... DESTDIR=...`, `make bench`, `make fixtures`.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
PKG_CONFIG ?= pkg-config

# msgpack-c 4.x calls itself "msgpack", 6.x "msgpack-c".
MSGPACK_PC := $(shell $(PKG_CONFIG) --exists msgpack-c && echo msgpack-c || echo msgpack)
PKGS := oniguruma $(MSGPACK_PC) libzstd
# Hyperscan speeds up the literal prefilter where Debian has it (amd64);
# without it the portable scanner gives the same answers.
HS_PC := $(shell $(PKG_CONFIG) --exists libhs && echo libhs)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(HS_PC)) $(if $(HS_PC),-DHAVE_HYPERSCAN)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) $(HS_PC))

OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = $(WARN) $(CFLAGS) $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS) -pthread

# `make asan check` builds everything with AddressSanitizer and UBSan.
ifneq ($(filter asan,$(MAKECMDGOALS))$(ASAN),)
ASAN = 1
CC = clang
CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BUILD = build/asan
else
BUILD = build/rel
endif

ENGINE_SRC = util.c event.c vocab.c match.c prefilter.c prefilter_hs.c gate.c rules.c mpk.c json.c group.c \
	text.c anchors.c engine.c jsonrd.c gojson.c envelope.c shape.c learn.c unwrap.c \
	stack.c stack_head.c stack_race.c stack_bucket.c stack_norm.c fingerprint.c \
	gotest.c gthold.c input.c output.c mrd.c fwd.c decode.c
ENGINE_OBJ = $(ENGINE_SRC:%.c=$(BUILD)/%.o)
# The command line and its report writers (goerrfilt only).
CLI_SRC = main.c fwdnet.c report.c ci_env.c ci_github.c ci_markdown.c ci_junit.c ci_gitlab.c ci_rdjsonl.c
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
RULES = $(shell cat rules/ORDER 2>/dev/null | sed 's,^,rules/,')

all: goerrfilt goerrfilt-repro goerrfilt-archive

asan: all

$(BUILD)/%.o: filter/%.c filter/*.h
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The first stage has no embedded rules; it compiles and checks the rule
# files into the bundle that the real binary embeds.
$(BUILD)/goerrfilt-stage0: $(ENGINE_OBJ) $(CLI_OBJ) $(BUILD)/norules.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/norules.c:
	@mkdir -p $(BUILD)
	printf 'const unsigned char default_rules[1];\nconst unsigned long default_rules_len = 0;\n' > $@

$(BUILD)/rules.bundle: $(BUILD)/goerrfilt-stage0 $(RULES) rules/ORDER
	$(BUILD)/goerrfilt-stage0 --compile-rules -o $@ $(RULES)

$(BUILD)/rules_bundle.c: $(BUILD)/rules.bundle
	{ echo 'const unsigned char default_rules[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo "const unsigned long default_rules_len = sizeof(default_rules);"; \
	} > $@

$(BUILD)/norules.o $(BUILD)/rules_bundle.o: $(BUILD)/%.o: $(BUILD)/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/goerrfilt: $(ENGINE_OBJ) $(CLI_OBJ) $(BUILD)/rules_bundle.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

goerrfilt: $(BUILD)/goerrfilt
	cp $< $@

# goerrfilt-repro: its command line (repro_main.c) and one file per part,
# from the case manifest to the sandbox (filter/repro_main.c lists them).
REPRO_SRC = repro_main.c manifest.c gover.c goenv.c casetree.c runenv.c \
	repro_run.c repro_report.c bugreport.c sandbox.c fsiso.c
$(BUILD)/goerrfilt-repro: $(ENGINE_OBJ) $(REPRO_SRC:%.c=$(BUILD)/%.o) $(BUILD)/rules_bundle.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

goerrfilt-repro: $(BUILD)/goerrfilt-repro
	cp $< $@

# The archive's format (archive.c, arc_write.c) is library code beside the
# engine; arc_main.c is its command line.
ARCHIVE_SRC = archive.c arc_write.c
ARCHIVE_OBJ = $(ARCHIVE_SRC:%.c=$(BUILD)/%.o)
$(BUILD)/goerrfilt-archive: $(ENGINE_OBJ) $(ARCHIVE_OBJ) $(BUILD)/arc_main.o $(BUILD)/rules_bundle.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

goerrfilt-archive: $(BUILD)/goerrfilt-archive
	cp $< $@

# Unit tests and fuzz targets link the engine and the default rules.
TEST_OBJ = $(ENGINE_OBJ) $(BUILD)/rules_bundle.o

$(BUILD)/unit_%: tests/unit_%.c $(TEST_OBJ)
	$(CC) $(ALL_CFLAGS) -Ifilter $(LDFLAGS) -o $@ $^ $(LDLIBS)
# The report writers' unit test links them too (main.c left out).
$(BUILD)/unit_ci: $(BUILD)/report.o $(BUILD)/ci_env.o $(BUILD)/ci_junit.o $(BUILD)/ci_rdjsonl.o $(BUILD)/ci_gitlab.o

# Without libFuzzer, a fuzz target runs over the files it is given.
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/replay.c $(TEST_OBJ)
	$(CC) $(ALL_CFLAGS) -Ifilter $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)
$(BUILD)/fuzz_archive: $(ARCHIVE_OBJ)
$(BUILD)/fuzz_manifest: $(BUILD)/manifest.o $(BUILD)/runenv.o

# libFuzzer builds (clang, ASan + UBSan) of every target, in build/fuzz.
# `make fuzz FUZZ_TARGET=engine FUZZ_SECONDS=60` runs one; `make fuzz-long`
# runs each to FUZZ_RUNS executions and prints executions, exec/s and
# coverage; `make fuzz-merge` minimises what the runs found into
# tests/fuzz/corpus (scripts/fuzz.sh says how).
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGET ?= engine
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 10000000
# Line limits small enough for fuzz inputs (8 KB: scripts/fuzz.sh) to pass.
FUZZ_LIMITS = -DIN_MAXLINE=2048 -DENG_LINE_MAX=2048
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ = $(ENGINE_SRC:%.c=build/fuzz/%.o) $(ARCHIVE_SRC:%.c=build/fuzz/%.o) \
	build/fuzz/manifest.o build/fuzz/runenv.o build/fuzz/rules_bundle.o
fuzz-objs:
	$(MAKE) BUILD=build/fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(FUZZ_LIMITS)" \
		LDFLAGS="$(FUZZ_SAN)" $(FUZZ_OBJ)
build/fuzz/lf_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h fuzz-objs
	clang -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -std=c11 -D_GNU_SOURCE \
		-Ifilter $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(LDLIBS)
fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/lf_%)
fuzz: build/fuzz/lf_$(FUZZ_TARGET)
	sh scripts/fuzz.sh run $(FUZZ_TARGET) $(FUZZ_SECONDS)
fuzz-long: fuzz-build
	sh scripts/fuzz.sh long $(FUZZ_RUNS) $(FUZZ_TARGETS)
fuzz-merge: fuzz-build
	sh scripts/fuzz.sh merge $(FUZZ_TARGETS)

install: goerrfilt goerrfilt-repro goerrfilt-archive
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 goerrfilt $(DESTDIR)$(BINDIR)/goerrfilt
	install -m 755 goerrfilt-repro $(DESTDIR)$(BINDIR)/goerrfilt-repro
	install -m 755 goerrfilt-archive $(DESTDIR)$(BINDIR)/goerrfilt-archive
	install -m 644 docs/goerrfilt.1 $(DESTDIR)$(MANDIR)/man1/goerrfilt.1

check: goerrfilt goerrfilt-archive
	BUILD=$(BUILD) ASAN=$(ASAN) sh tests/run.sh

bench: goerrfilt goerrfilt-archive
	sh scripts/bench.sh

# Real output only: the capture scripts build and run the modules under
# fixtures/*/src, and goerrfilt-repro runs the preset cases themselves.
fixtures: goerrfilt-repro
	bash scripts/capture-build-fixtures.sh
	bash scripts/capture-crash-fixtures.sh
	if [ -x /usr/lib/go-1.26/bin/go ]; then \
		GO=/usr/lib/go-1.26/bin/go OUT=fixtures/crash-go1.26 \
		bash scripts/capture-crash-fixtures.sh nil-deref recovered-repanic \
		race sigquit test-timeout index-out-of-range; fi
	if [ -x /usr/lib/go-1.27/bin/go ]; then \
		GO=/usr/lib/go-1.27/bin/go OUT=fixtures/crash-go1.27 \
		bash scripts/capture-crash-fixtures.sh nil-deref recovered-repanic \
		race sigquit test-timeout index-out-of-range; fi
	if [ -x /usr/lib/go-1.27/bin/go ]; then \
		bash scripts/capture-app-fixtures.sh; fi
	mkdir -p fixtures/cases
	./goerrfilt-repro --runs 1 --go /usr/lib/go-1.24/bin/go \
		--save-output fixtures/cases -o /dev/null cases/*/

clean:
	rm -rf build goerrfilt goerrfilt-repro goerrfilt-archive

.PHONY: all asan install check bench fixtures fuzz fuzz-objs fuzz-build fuzz-long fuzz-merge clean goerrfilt goerrfilt-repro goerrfilt-archive
