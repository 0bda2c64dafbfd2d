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
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))

OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = $(WARN) $(CFLAGS) $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS)

# `make asan check` builds everything with AddressSanitizer and UBSan.
ifneq ($(filter asan,$(MAKECMDGOALS)),)
CC = clang
CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BUILD = build/asan
else
BUILD = build/rel
endif

ENGINE_SRC = util.c event.c vocab.c match.c prefilter.c rules.c mpk.c json.c \
	text.c engine.c gojson.c stack.c input.c output.c
ENGINE_OBJ = $(ENGINE_SRC:%.c=$(BUILD)/%.o)
RULES = $(shell cat rules/ORDER 2>/dev/null | sed 's,^,rules/,')

all: goerrfilt

asan: all

$(BUILD)/%.o: filter/%.c filter/*.h
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The first stage has no embedded rules; it compiles and checks the rule
# files into the bundle that the real binary embeds.
$(BUILD)/goerrfilt-stage0: $(ENGINE_OBJ) $(BUILD)/main.o $(BUILD)/norules.o
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

$(BUILD)/goerrfilt: $(ENGINE_OBJ) $(BUILD)/main.o $(BUILD)/rules_bundle.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

goerrfilt: $(BUILD)/goerrfilt
	cp $< $@

install: goerrfilt
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 goerrfilt $(DESTDIR)$(BINDIR)/goerrfilt
	install -m 644 doc/goerrfilt.1 $(DESTDIR)$(MANDIR)/man1/goerrfilt.1

check: goerrfilt
	BUILD=$(BUILD) CC="$(CC)" sh tests/run.sh

bench: goerrfilt
	sh scripts/bench.sh

fixtures:
	bash scripts/capture-build-fixtures.sh
	bash scripts/capture-crash-fixtures.sh

clean:
	rm -rf build goerrfilt goerrfilt-repro

.PHONY: all asan install check bench fixtures clean goerrfilt
