# vigil — build, test, run. See README.md.
BUILD ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)

# Reproducible, header-tracked builds: -MMD -MP for dependencies, prefix maps for paths.
REPRO := -fdebug-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(CURDIR)=.
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers $(REPRO) -MMD -MP
CPPFLAGS += -Iinclude -Isrc -I$(BUILD) -D_GNU_SOURCE
PKGS := libbpf json-c zlib
LDLIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lbpf -ljson-c -lz) -lelf -lz
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -D__VIGIL_BPF__ \
	-Ibpf -Iinclude -Wall -Werror -Wno-unused-function $(REPRO) -MMD -MP

# maps.bpf.c defines the shared maps: libbpf's linker wants the definition before the externs
BPF_SRCS := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_OBJS := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/src/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all clean check test run deps deps-test live fuzz install vmlinux kernels
.DELETE_ON_ERROR:

all: $(BUILD)/vigil

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c | $(BUILD)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# One object, one skeleton, whatever the number of hook families.
$(BUILD)/vigil.bpf.o: $(BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(BUILD)/vigil.skel.h: $(BUILD)/vigil.bpf.o
	$(BPFTOOL) gen skeleton $< name vigil_bpf > $@

$(BUILD)/src/%.o: src/%.c | $(BUILD)/src
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The loader embeds the skeleton.
$(BUILD)/src/loader.o: $(BUILD)/vigil.skel.h

# The version is a header rewritten only when it changes, so what prints it is rebuilt then.
.PHONY: FORCE
$(BUILD)/version.h: FORCE | $(BUILD)/src
	@echo '#define VIGIL_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/src/cli.o $(BUILD)/src/run.o $(BUILD)/src/sink.o $(BUILD)/src/report.o: $(BUILD)/version.h

$(BUILD)/libvigil.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/vigil: $(BUILD)/src/main.o $(BUILD)/libvigil.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%.o: tests/unit/%.c | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests/unit -DFIXTURES='"$(CURDIR)/tests/fixtures"' $(CFLAGS) -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(BUILD)/libvigil.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(CHECK_LIBS)

$(BUILD)/bpf $(BUILD)/src $(BUILD)/tests:
	mkdir -p $@

# Unit tests: no kernel, no root.
check: $(TEST_BINS)
	@tools/run-unit-tests $(TEST_BINS)

# Live tests: root, the running kernel, real podman + runc containers.
live: $(BUILD)/vigil
	tools/run-live-tests

# Debian's 6.1 and 6.12 kernels under qemu, the live checks inside (tools/kernels/run).
kernels: $(BUILD)/vigil
	tools/kernels/run

# vigil under AddressSanitizer and UndefinedBehaviorSanitizer, in build-asan/ (make asan), and the
# commands run on bad input with it (make bad-input: tests/bad-input/run).
ASAN_BUILD ?= build-asan
ASAN_CFLAGS := -O2 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: asan bad-input
asan:
	CFLAGS="$(ASAN_CFLAGS)" $(MAKE) BUILD=$(ASAN_BUILD) $(ASAN_BUILD)/vigil

bad-input: asan
	tests/bad-input/run $(ASAN_BUILD)/vigil

deps:
	@tools/install-deps build

deps-test:
	@tools/install-deps test

# CI: two minutes of fuzzing split between the parsers, then every command on bad input under the
# sanitizers (fed from the fuzzers' corpora too), then the live tests, then other kernels (qemu).
test: deps-test
	$(MAKE) all
	$(MAKE) check
	$(MAKE) fuzz FUZZ_SECONDS=$(or $(TEST_FUZZ_SECONDS),120)
	$(MAKE) bad-input
	$(MAKE) live
	$(MAKE) kernels

# Benchmarks (root, podman): vigil against the floor, libbpf-tools and bpftrace; writes
# BENCHMARKS.md and tools/bench/results.json. BENCH_QUICK=1 for a short run; see tools/bench/run.
.PHONY: bench
bench: all
	tools/bench/run

run: deps
	$(MAKE) all
	$(BUILD)/vigil run

# Installs the agent: the program, vigil(8), the systemd unit (its ExecStart pointed at SBINDIR)
# and the default policy, which an existing /etc/vigil/policy.json keeps precedence over.
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc

install: $(BUILD)/vigil
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSCONFDIR)/vigil
	install -m 0755 $(BUILD)/vigil $(DESTDIR)$(SBINDIR)/vigil
	install -m 0644 docs/vigil.8 $(DESTDIR)$(MANDIR)/man8/vigil.8
	sed -e 's|/usr/local/sbin/vigil|$(SBINDIR)/vigil|g' -e 's|/etc/vigil/|$(SYSCONFDIR)/vigil/|g' \
		deploy/systemd/vigil.service > $(DESTDIR)$(UNITDIR)/vigil.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vigil.service
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/vigil/policy.json ]; then \
		install -m 0644 deploy/policy.json $(DESTDIR)$(SYSCONFDIR)/vigil/policy.json.new; \
		echo "install: kept $(DESTDIR)$(SYSCONFDIR)/vigil/policy.json; the default is policy.json.new"; \
	else \
		install -m 0644 deploy/policy.json $(DESTDIR)$(SYSCONFDIR)/vigil/policy.json; \
	fi

# The shipped unit, manifests, image recipe, default policy and man page, checked.
.PHONY: lint
lint: $(BUILD)/vigil
	tools/lint-deploy

# Regenerate the committed vmlinux.h from this machine's BTF (not part of the build).
vmlinux:
	tools/gen-vmlinux-h

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

include mk/fuzz.mk

-include $(wildcard $(BUILD)/*/*.d)
