# tapegrad — plain make. `make` builds the library and examples into build/; `make test` runs the
# suite (float build, then the double build where gradient checks are tight); `make demo` runs the tour.
# Both test and demo first make sure the Debian packages are there (scripts/install-deps.sh).

CXX      ?= g++
CXXFLAGS ?= -O2 -g
# -fno-math-errno: sqrt need not set errno; -fno-trapping-math: we never turn floating-point exceptions
# into traps (clang's default), so branch-free selects like x > 0 ? x : 0 may be computed for a whole
# vector. Neither changes a single result, unlike -ffast-math, which we do not use.
# -fvect-cost-model=dynamic: let -O2 vectorize loops with a remainder (docs/performance.md).
# ARCH: the widest vectors this machine has (tapegrad is built where it runs, as llm.c is with
# -march=native): AVX-512 (x86-64-v4, 16 floats per instruction), else AVX2 (8). `make ARCH=` for SSE2
# only. valgrind cannot run AVX-512: scripts/valgrind-check.sh builds its own copy with ARCH=-mavx2.
# -ffp-contract=off: no a*b + c fused into one FMA instruction (x86-64-v4 has them), so every lane rounds
# as the scalar loop does and every ARCH gives the same bits (docs/performance.md).
AVX512   := avx512f avx512bw avx512cd avx512dq avx512vl avx2 bmi2 fma movbe
ARCH     ?= $(shell f=" $$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) "; all=yes; \
              for x in $(AVX512); do echo "$$f" | grep -qw $$x || all=no; done; \
              if [ $$all = yes ]; then echo -march=x86-64-v4; elif echo "$$f" | grep -qw avx2; then echo -mavx2; fi)
override CXXFLAGS += -std=c++17 -Wall -Wextra -Werror -MMD -MP -I. $(ARCH) -ffp-contract=off -fno-math-errno -fno-trapping-math -fvect-cost-model=dynamic
LDLIBS   := -lopenblas -lstb -lz -lpthread
PREFIX   ?= /usr/local
B        := build

LIB_DIRS := autograd autograd/fast nn data io models models/experiments run
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.cpp)))
EX_SRC   := $(sort $(wildcard examples/*.cpp))
TEST_SRC := $(sort $(wildcard tests/*.cpp))
EXAMPLES := $(patsubst examples/%.cpp,$(B)/%,$(EX_SRC))

# the float build (what users run) and the double build (-DTAPEGRAD_DOUBLE, for tight gradient checks)
LIB_O    := $(patsubst %.cpp,$(B)/obj/%.o,$(LIB_SRC))
LIB_O_D  := $(patsubst %.cpp,$(B)/objd/%.o,$(LIB_SRC))
TEST_O   := $(patsubst %.cpp,$(B)/obj/%.o,$(TEST_SRC))
TEST_O_D := $(patsubst %.cpp,$(B)/objd/%.o,$(TEST_SRC))

# objects depend on the flags they were built with: changing CXXFLAGS rebuilds them
FLAGS_FILE := $(B)/.cxxflags
$(shell mkdir -p $(B) && (echo '$(CXXFLAGS)' | cmp -s - $(FLAGS_FILE) || echo '$(CXXFLAGS)' > $(FLAGS_FILE)))

.PHONY: all test demo clean deps sanitize tsan install fuzz fuzz-build pictures
all: $(B)/libtapegrad.a $(EXAMPLES)

$(B)/obj/%.o: %.cpp $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@
$(B)/objd/%.o: %.cpp $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -DTAPEGRAD_DOUBLE -c $< -o $@

$(B)/libtapegrad.a: $(LIB_O)
	rm -f $@ && ar rcs $@ $^
$(B)/libtapegrad_double.a: $(LIB_O_D)
	rm -f $@ && ar rcs $@ $^

$(B)/%: $(B)/obj/examples/%.o $(B)/libtapegrad.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

$(B)/tests: $(TEST_O) $(B)/libtapegrad.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)
$(B)/tests_double: $(TEST_O_D) $(B)/libtapegrad_double.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

# ---- data-parallel programs (docs/distributed.md): the same example objects linked with dist/mpi_comm.cpp
#   by Open MPI's mpicxx into $(B)/mpi/, when mpicxx is there (scripts/install-deps.sh installs it); without
#   it `make` builds everything else. Run: mpirun -np 2 build/mpi/vae --distributed
MPICXX       ?= $(shell command -v mpicxx 2>/dev/null)
DIST_EXAMPLES := vae mlp_classifier autoencoder gan cnn_classifier conv_autoencoder conv_vae dcgan cvae
ifneq ($(MPICXX),)
all: $(addprefix $(B)/mpi/,$(DIST_EXAMPLES))
endif
$(B)/obj/dist/%.o: dist/%.cpp $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(MPICXX) $(CXXFLAGS) -c $< -o $@
$(B)/mpi/%: $(B)/obj/examples/%.o $(B)/obj/dist/mpi_comm.o $(B)/libtapegrad.a
	@mkdir -p $(dir $@)
	$(MPICXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

# ---- exercises (docs/exercises.md): the check of exercise NAME is exercises/check_NAME.cpp, built in double.
#   make exercise-NAME     checks your answer: exercises/NAME.cpp if you wrote one, else what you added to the library
#   $(B)/exercises/NAME    the same check against the reference solution, exercises/solutions/NAME.cpp (make test)
EX_NAMES      := $(patsubst exercises/check_%.cpp,%,$(wildcard exercises/check_*.cpp))
EXERCISE_BINS := $(addprefix $(B)/exercises/,$(EX_NAMES))
EX_FLAGS       = $(filter-out -MMD -MP,$(CXXFLAGS)) -DTAPEGRAD_DOUBLE
$(B)/exercises/%: exercises/check_%.cpp exercises/solutions/%.cpp exercises/check.h $(B)/libtapegrad_double.a
	@mkdir -p $(dir $@)
	$(CXX) $(EX_FLAGS) exercises/check_$*.cpp exercises/solutions/$*.cpp $(B)/libtapegrad_double.a -o $@ $(LDLIBS)
exercise-%: $(B)/libtapegrad_double.a
	@mkdir -p $(B)/exercises
	$(CXX) $(EX_FLAGS) exercises/check_$*.cpp $(wildcard exercises/$*.cpp) $(B)/libtapegrad_double.a -o $(B)/exercises/yours_$* $(LDLIBS)
	$(B)/exercises/yours_$*

# ---- the pictures the docs embed, regenerated from fixed seeds into docs/img/ (scripts/pictures.sh; ~10 min
#      of CPU plus the default GAN (~16 min) and DCGAN (~17+ min) runs; PICTURES_QUICK=1 skips those two)
pictures: all
	bash scripts/pictures.sh $(B)

# ---- set-up: install what is missing (as root), or print the apt command
deps:
	@bash scripts/install-deps.sh

test: deps
	@$(MAKE) --no-print-directory $(B)/tests $(B)/tests_double all $(EXERCISE_BINS)
	bash scripts/run-tests.sh $(B)

demo: deps
	@$(MAKE) --no-print-directory all
	bash scripts/demo.sh $(B)

# ---- AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer at exit), in their own build folder
#   (build-san, or $(B)-san): the Catch2 suites, then one short training run of each model example with
#   --resume (scripts/test-examples.sh). SAN_SUITES=tests runs the float suite only (what CI does).
#   SAN_OPT=-O0 compiles about 3x faster (CI: the build is most of the time) and runs about 2x slower.
SAN_B      := $(B)-san
SAN_SUITES ?= tests tests_double
SAN_OPT    ?= -O1
SAN_FLAGS  := $(SAN_OPT) -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-maybe-uninitialized
sanitize: deps
	@$(MAKE) --no-print-directory B=$(SAN_B) CXXFLAGS="$(SAN_FLAGS)" $(addprefix $(SAN_B)/,$(SAN_SUITES)) all
	SUITES="$(SAN_SUITES)" SHELL_TESTS=test-examples ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		bash scripts/run-tests.sh $(SAN_B)

# ---- ThreadSanitizer on tapegrad's threads (autograd/fast/threads.cpp), in $(B)-tsan: the float suite's thread
#   tests ([parallel], [optim], [blas]) and a short VAE training at 2 and 3 threads. OpenBLAS is not
#   instrumented (TSan sees its threads, not its memory): gemm()'s blocks write disjoint parts of C.
#   die_after_fork=0: the fork test's child starts threads of its own, which TSan refuses by default.
TSAN_B := $(B)-tsan
tsan: deps
	@$(MAKE) --no-print-directory B=$(TSAN_B) CXXFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" $(TSAN_B)/tests $(TSAN_B)/bench/tg_vae
	TSAN_OPTIONS="die_after_fork=0 halt_on_error=1" $(TSAN_B)/tests "[parallel],[optim],[blas]"
	for t in 2 3; do TSAN_OPTIONS=halt_on_error=1 $(TSAN_B)/bench/tg_vae --epochs 2 --threads $$t --batches 20 || exit 1; done
	@echo "tsan: no data race reported"

# ---- install: headers under include/tapegrad/, libtapegrad.a, and tapegrad.pc for pkg-config
#   make install PREFIX=/usr/local [DESTDIR=/tmp/stage]
#   export PKG_CONFIG_PATH=PREFIX/lib/pkgconfig; g++ my.cpp $(pkg-config --cflags --libs tapegrad)
# autograd/ops_impl.h is private to the ops' .cpp files and is not installed.
HEADERS := $(filter-out autograd/ops_impl.h,$(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.h))))
#   The double build is installed beside it, to gradcheck your own ops at 1e-5 (docs/gradcheck.md):
#   g++ my_op.cpp $(pkg-config --cflags --libs tapegrad-double)      (defines TAPEGRAD_DOUBLE: real = double)
install: $(B)/libtapegrad.a $(B)/libtapegrad_double.a
	@for h in $(HEADERS); do install -D -m 644 $$h $(DESTDIR)$(PREFIX)/include/tapegrad/$$h; done
	install -D -m 644 $(B)/libtapegrad.a $(DESTDIR)$(PREFIX)/lib/libtapegrad.a
	install -D -m 644 $(B)/libtapegrad_double.a $(DESTDIR)$(PREFIX)/lib/libtapegrad_double.a
	@mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed 's|@PREFIX@|$(PREFIX)|' scripts/tapegrad.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tapegrad.pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|^Name: tapegrad|Name: tapegrad-double|' -e 's|-ltapegrad |-ltapegrad_double |' \
	    -e 's|^Cflags: \(.*\)|Cflags: \1 -DTAPEGRAD_DOUBLE|' -e 's|^Description: |Description: (double build) |' \
	    scripts/tapegrad.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tapegrad-double.pc
	@echo "installed tapegrad under $(DESTDIR)$(PREFIX)"

# ---- fuzzing: libFuzzer targets for the idx, CSV and checkpoint readers (fuzz/*.cpp), built with clang,
#   ASan and UBSan into $(B)/fuzz/, then each run for FUZZ_SECONDS from seed corpora (fuzz/run.sh).
#   make fuzz [FUZZ_SECONDS=60]   (installs clang and libFuzzer's runtime first if they are missing)
FUZZ_B        := $(B)/fuzz
FUZZ_SECONDS  ?= 60
FUZZ_CXX      := clang++
FUZZ_CXXFLAGS := -std=c++17 -O1 -g -I. -Wall -Wextra -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_O    := $(patsubst %.cpp,$(FUZZ_B)/obj/%.o,$(LIB_SRC))
FUZZ_BINS     := $(patsubst fuzz/%.cpp,$(FUZZ_B)/%,$(wildcard fuzz/fuzz_*.cpp))

$(FUZZ_B)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FUZZ_B)/libtapegrad.a: $(FUZZ_LIB_O)
	rm -f $@ && ar rcs $@ $^
$(FUZZ_BINS): $(FUZZ_B)/%: fuzz/%.cpp $(FUZZ_B)/libtapegrad.a
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer -MMD -MP $< $(FUZZ_B)/libtapegrad.a -o $@ $(LDLIBS)
$(FUZZ_B)/make_seeds: fuzz/make_seeds.cpp $(FUZZ_B)/libtapegrad.a
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -MMD -MP $< $(FUZZ_B)/libtapegrad.a -o $@ $(LDLIBS)

fuzz-build: $(FUZZ_BINS) $(FUZZ_B)/make_seeds
fuzz: deps
	@bash fuzz/deps.sh
	@$(MAKE) --no-print-directory fuzz-build
	bash fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS)

# ---- make bench: tapegrad against libtorch on the same models (bench/README.md, docs/performance.md)
include bench/bench.mk

clean:
	rm -rf build build-san build-tsan build-valgrind

-include $(wildcard $(B)/obj/dist/*.d)
-include $(LIB_O:.o=.d) $(LIB_O_D:.o=.d) $(TEST_O:.o=.d) $(TEST_O_D:.o=.d) $(patsubst %.cpp,$(B)/obj/%.d,$(EX_SRC))
-include $(FUZZ_LIB_O:.o=.d) $(wildcard $(FUZZ_B)/*.d)
