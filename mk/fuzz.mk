# Fuzzing of the parsers that read what users and containers control (libFuzzer + ASan + UBSan).
# Included by the Makefile.
#
# make fuzz [FUZZ_SECONDS=N]: builds $(BUILD)/fuzz/fuzz_<target> for every target below and runs
# each over a copy of its seed corpus, FUZZ_SECONDS split evenly between them (at least
# FUZZ_MIN_SECONDS each); any crash, sanitizer report, leak or allocation over FUZZ_MALLOC_MB
# fails the target, leaving the input as $(BUILD)/fuzz/<target>/crash-*.
# make fuzz-<target> FUZZ_SECONDS=N: one target for N seconds (the long runs of README.md).
# Wherever this is included, the Makefile's default goal stays what it was (restored below).
fuzz_saved_default_goal := $(.DEFAULT_GOAL)

FUZZ_TARGETS := capture policy runtime_state cgroup mountinfo event
FUZZ_SECONDS ?= 120
FUZZ_MIN_SECONDS ?= 10
FUZZ_MALLOC_MB ?= 16
FUZZ_DIR := $(BUILD)/fuzz
# Lets the capture target switch the reader's checksum checks off (see fuzz_capture.c).
FUZZ_DEFS := -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -D_GNU_SOURCE
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_CFLAGS := -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(FUZZ_DEFS) -Iinclude -Isrc -I$(BUILD)
FUZZ_CFLAGS := -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_DEFS) -Iinclude -Isrc -Itests/unit
# Every module but the ones that need the BPF skeleton or a kernel: an archive, so that each
# target links only what it uses.
FUZZ_LIB_SRCS := $(filter-out src/main.c src/loader.c src/run.c src/rings.c,$(wildcard src/*.c))
FUZZ_LIB_OBJS := $(FUZZ_LIB_SRCS:src/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LIBS := $(shell $(PKG_CONFIG) --libs json-c zlib 2>/dev/null || echo -ljson-c -lz) -lm

$(FUZZ_DIR)/obj/%.o: src/%.c | $(FUZZ_DIR)/obj $(BUILD)/version.h
	$(CLANG) $(FUZZ_LIB_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/libvigil-fuzz.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libvigil-fuzz.a | $(FUZZ_DIR)
	$(CLANG) $(FUZZ_CFLAGS) -MMD -MP $< $(FUZZ_DIR)/libvigil-fuzz.a $(FUZZ_LIBS) -o $@

# fuzz_event's seeds are records built by tests/unit/records.h.
$(FUZZ_DIR)/seed_event: tests/fuzz/seed_event.c tests/unit/records.h include/vigil/events.h | $(FUZZ_DIR)
	$(CC) -O1 -g -Wall -Wextra -Werror -Iinclude -Itests/unit $< -o $@
$(FUZZ_DIR)/fuzz_event: | $(FUZZ_DIR)/seed_event

$(FUZZ_DIR) $(FUZZ_DIR)/obj:
	mkdir -p $@

# Seeds: tests/fuzz/corpus/<target>/, plus what tests/fuzz/seeds makes from the fixtures.
fuzz_seconds_each = $(shell n=$$(( $(FUZZ_SECONDS) / $(words $(FUZZ_TARGETS)) )); \
	[ $$n -lt $(FUZZ_MIN_SECONDS) ] && n=$(FUZZ_MIN_SECONDS); echo $$n)

.PHONY: fuzz fuzz-build $(FUZZ_TARGETS:%=fuzz-%)
fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory fuzz-$$t FUZZ_SECONDS=$(fuzz_seconds_each); \
	done

$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/fuzz_%
	rm -rf $(FUZZ_DIR)/$*
	mkdir -p $(FUZZ_DIR)/$*/corpus
	tests/fuzz/seeds $* $(FUZZ_DIR)/$*/corpus
	if [ -x $(FUZZ_DIR)/seed_$* ]; then $(FUZZ_DIR)/seed_$* $(FUZZ_DIR)/$*/corpus; fi
	@echo "fuzz_$*: $(FUZZ_SECONDS) s, log in $(FUZZ_DIR)/$*/log"
	@$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-malloc_limit_mb=$(FUZZ_MALLOC_MB) -artifact_prefix=$(FUZZ_DIR)/$*/ \
		-print_final_stats=1 $(FUZZ_DIR)/$*/corpus >$(FUZZ_DIR)/$*/log 2>&1 || \
		{ tail -n 40 $(FUZZ_DIR)/$*/log; echo "fuzz_$*: FAILED"; exit 1; }
	@grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_DIR)/$*/log

-include $(wildcard $(FUZZ_DIR)/*.d $(FUZZ_DIR)/obj/*.d)

.DEFAULT_GOAL := $(fuzz_saved_default_goal)
