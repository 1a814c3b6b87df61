# orgfig - plots inside Emacs.  `make demo` and `make test` are the two
# commands a user needs; both install missing Debian packages first.

EMACS    ?= emacs
CC       ?= cc
PKGS      = cairo libpng zlib
BUILD     = build
MODULE    = lisp/orgfig-module.so

# One compile command for the module, used by `M-x orgfig-build-module' too.
WARN      = -Wall -Wextra -Wshadow -Wvla -Wformat=2
CSTD      = -std=c11 -D_GNU_SOURCE
OPT      ?= -O2 -g
CFLAGS_PKG = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS_PKG   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
CORE_SRC  = $(sort $(wildcard module/core/*.c))
CORE_HDR  = $(wildcard module/core/*.h)
ADAPTER   = module/orgfig-module.c

EMACS_BATCH = $(EMACS) -Q --batch -L lisp -L tests/lisp

.PHONY: all module deps deps-test deps-dev demo test test-c test-lisp test-gui \
        check-valgrind check-asan check-tsan fuzz fuzz-regress bench bench-peers gallery gallery-readme test-lint format clean

all: module

deps:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test
deps-dev:
	@sh tools/deps.sh dev

module: $(MODULE)

$(MODULE): $(CORE_SRC) $(CORE_HDR) $(ADAPTER)
	$(CC) $(CSTD) $(OPT) $(WARN) -fPIC -shared -fvisibility=hidden \
	  $(CFLAGS_PKG) -o $@.tmp $(ADAPTER) $(CORE_SRC) $(LIBS_PKG) -Wl,--no-undefined
	@mv -f $@.tmp $@

# ---- the core's C tests (no Emacs) ----
C_TEST_SRC = $(sort $(wildcard tests/c/*.c))
$(BUILD)/test-core: $(CORE_SRC) $(CORE_HDR) $(C_TEST_SRC) tests/c/harness.h
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(OPT) $(WARN) $(CFLAGS_PKG) -o $@ $(C_TEST_SRC) $(CORE_SRC) $(LIBS_PKG)

# Each suite writes "NAME: N passed, N failed" to $(BUILD)/results/NAME;
# tools/summary.sh sums them into the last line of `make test'.
RESULTS = $(BUILD)/results

test-c: $(BUILD)/test-core
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh core $(RESULTS) $(BUILD)/test-core

test-lisp: module
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh ert $(RESULTS) $(EMACS_BATCH) -l tests/run-tests.el \
	  -f orgfig-test-run-batch tests/lisp

test-gui: module
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh gui $(RESULTS) sh tests/gui/run.sh $(EMACS)

test-lint:
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh lint $(RESULTS) $(EMACS_BATCH) -l tools/lint.el \
	  -f orgfig-lint-batch $(wildcard lisp/*.el)
	@sh tools/run-suite.sh format $(RESULTS) sh tools/format-check.sh

# ---- robustness (issue 6): valgrind, sanitizers, fuzzing ----
# The C tests under memcheck: zero errors and zero definite/indirect leaks
# (fontconfig's and cairo's process-lifetime caches are suppressed in
# tools/valgrind.supp).  Fault injection samples every FAULT_STRIDE-th
# allocation here; ASan runs all of them.
VALGRIND_FAULT_STRIDE ?= 7
check-valgrind: $(BUILD)/test-core
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh valgrind $(RESULTS) env ORGFIG_FAULT_STRIDE=$(VALGRIND_FAULT_STRIDE) \
	  valgrind -q --leak-check=full --suppressions=tools/valgrind.supp \
	  --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	  --error-exitcode=99 $(BUILD)/test-core

# The C tests and the whole ERT suite with the core and the module built
# with -fsanitize=address,undefined (into build/asan/); see tools/asan.sh.
# The C tests that run worker threads (names containing "threads"),
# built with -fsanitize=thread: data races fail the suite.
check-tsan:
	@mkdir -p $(RESULTS) $(BUILD)/tsan
	@sh tools/run-suite.sh tsan $(RESULTS) sh -c '$(CC) $(CSTD) -O1 -g -fsanitize=thread $(WARN) \
	  $(CFLAGS_PKG) -o $(BUILD)/tsan/test-core $(C_TEST_SRC) $(CORE_SRC) $(LIBS_PKG) && \
	  TSAN_OPTIONS=halt_on_error=1:exitcode=66 $(BUILD)/tsan/test-core threads'

check-asan:
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh asan-core $(RESULTS) env ORGFIG_PKGS="$(PKGS)" sh tools/asan.sh core; c=$$?; \
	  sh tools/run-suite.sh asan-ert $(RESULTS) env ORGFIG_PKGS="$(PKGS)" sh tools/asan.sh ert; e=$$?; \
	  [ $$c = 0 ] && [ $$e = 0 ]

# libFuzzer (clang) over every tests/fuzz/fuzz_*.c for FUZZ_SECONDS each,
# from the seed corpus tests/fuzz/corpus/NAME/; a crash is copied into
# that corpus so `fuzz-regress' replays it from then on (see tools/fuzz.sh).
FUZZ_SECONDS ?= 30
fuzz: deps-dev
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh fuzz $(RESULTS) env ORGFIG_PKGS="$(PKGS)" \
	  sh tools/fuzz.sh run $(FUZZ_SECONDS)

# Every fuzz target over its committed corpus, without fuzzing (gcc with
# ASan and UBSan; no clang needed): part of `make test'.
fuzz-regress:
	@mkdir -p $(RESULTS)
	@sh tools/run-suite.sh fuzz-regress $(RESULTS) env ORGFIG_PKGS="$(PKGS)" \
	  sh tools/fuzz.sh regress

# Benchmarks (never part of `make test'): the standard workloads in one
# batch Emacs, tables printed and written to build/bench.md; bench-peers
# also runs matplotlib and gnuplot on the same data (installing them).
bench: module
	@mkdir -p $(BUILD)
	$(EMACS) -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-batch

bench-peers: module
	@mkdir -p $(BUILD)
	@sh bench/peers-deps.sh
	$(EMACS) -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-peers-batch

# The plot gallery (issue 3): one PNG per plot type and feature in
# GALLERY_DIR with an index.org showing each next to its snippet;
# `make gallery-readme' redraws the few committed docs/images/.
GALLERY_DIR ?= gallery
gallery: module
	$(EMACS) -Q --batch -L lisp -l examples/gallery.el -f orgfig-gallery-batch $(GALLERY_DIR)

gallery-readme: module
	$(EMACS) -Q --batch -L lisp -l examples/gallery.el -f orgfig-gallery-batch --readme

test: deps-test
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory module $(BUILD)/test-core
	@$(MAKE) --no-print-directory -k test-c test-lisp test-gui test-lint check-valgrind \
	  check-asan check-tsan fuzz-regress || true
	@sh tools/summary.sh $(RESULTS)

demo: deps module
	@$(EMACS_BATCH) -l examples/demo.el

format:
	clang-format -i $(wildcard module/*.c module/core/*.[ch] tests/c/*.[ch] tests/fuzz/*.c bench/*.c)

clean:
	rm -rf $(BUILD) $(MODULE) lisp/*.elc
