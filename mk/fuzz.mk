# Fuzzing of the capture reader (libFuzzer + ASan + UBSan). Included by the Makefile.
# make fuzz [FUZZ_SECONDS=N]: builds $(BUILD)/fuzz/fuzz_capture and runs it for N seconds
# over a copy of the seed corpus; any crash, sanitizer report, leak or allocation over
# FUZZ_MALLOC_MB fails the target, leaving the input as $(BUILD)/fuzz/crash-*.
# Wherever this is included, the Makefile's default goal stays what it was (restored below).
fuzz_saved_default_goal := $(.DEFAULT_GOAL)

FUZZ_SECONDS ?= 60
FUZZ_MALLOC_MB ?= 16
FUZZ_DIR := $(BUILD)/fuzz
# Lets the target switch the reader's checksum checks off (see fuzz_capture.c).
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

$(FUZZ_DIR)/fuzz_capture: src/capture.c src/capture.h include/vigil/events.h \
		tests/fuzz/fuzz_capture.c | $(FUZZ_DIR)
	$(CLANG) $(FUZZ_CFLAGS) -Iinclude -Isrc src/capture.c tests/fuzz/fuzz_capture.c -lz -o $@

$(FUZZ_DIR):
	mkdir -p $@

.PHONY: fuzz
fuzz: $(FUZZ_DIR)/fuzz_capture
	rm -rf $(FUZZ_DIR)/corpus
	mkdir -p $(FUZZ_DIR)/corpus
	cp tests/fuzz/corpus/* $(FUZZ_DIR)/corpus/
	$(FUZZ_DIR)/fuzz_capture -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-malloc_limit_mb=$(FUZZ_MALLOC_MB) -artifact_prefix=$(FUZZ_DIR)/ \
		$(FUZZ_DIR)/corpus

.DEFAULT_GOAL := $(fuzz_saved_default_goal)
