# tapegrad — plain make. `make` builds the library and examples into build/; `make test` runs the
# suite (float build, then the double build where gradient checks are tight); `make demo` runs the tour.
# Both test and demo first make sure the Debian packages are there (scripts/install-deps.sh).

CXX      ?= g++
CXXFLAGS ?= -O2 -g
# -fno-math-errno: sqrt/exp need not set errno, so their loops can vectorize (no result changes, unlike
# -ffast-math); -fvect-cost-model=dynamic: let -O2 vectorize loops with a remainder (docs/performance.md).
override CXXFLAGS += -std=c++17 -Wall -Wextra -Werror -MMD -MP -I. -fno-math-errno -fvect-cost-model=dynamic
LDLIBS   := -lopenblas -lstb -lz -lpthread
PREFIX   ?= /usr/local
B        := build

LIB_DIRS := autograd nn models io
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

.PHONY: all test demo clean deps sanitize install
all: $(B)/libtapegrad.a $(EXAMPLES)

$(B)/obj/%.o: %.cpp $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@
$(B)/objd/%.o: %.cpp $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -DTAPEGRAD_DOUBLE -c $< -o $@

$(B)/libtapegrad.a: $(LIB_O)
	ar rcs $@ $^
$(B)/libtapegrad_double.a: $(LIB_O_D)
	ar rcs $@ $^

$(B)/%: $(B)/obj/examples/%.o $(B)/libtapegrad.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

$(B)/tests: $(TEST_O) $(B)/libtapegrad.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)
$(B)/tests_double: $(TEST_O_D) $(B)/libtapegrad_double.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

# ---- set-up: install what is missing (as root), or print the apt command
deps:
	@bash scripts/install-deps.sh

test: deps
	@$(MAKE) --no-print-directory $(B)/tests $(B)/tests_double all
	bash scripts/run-tests.sh $(B)

demo: deps
	@$(MAKE) --no-print-directory all
	bash scripts/demo.sh $(B)

# ---- AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite in its own build folder
sanitize: deps
	@$(MAKE) --no-print-directory B=build-san CXXFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-maybe-uninitialized" build-san/tests build-san/tests_double
	SHELL_TESTS=0 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 bash scripts/run-tests.sh build-san

# ---- install: headers under include/tapegrad/, libtapegrad.a, and tapegrad.pc for pkg-config
#   make install PREFIX=/usr/local [DESTDIR=/tmp/stage]
#   g++ my.cpp $(pkg-config --cflags --libs tapegrad)
HEADERS := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.h)))
install: $(B)/libtapegrad.a
	@for h in $(HEADERS); do install -D -m 644 $$h $(DESTDIR)$(PREFIX)/include/tapegrad/$$h; done
	install -D -m 644 $(B)/libtapegrad.a $(DESTDIR)$(PREFIX)/lib/libtapegrad.a
	@mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed 's|@PREFIX@|$(PREFIX)|' scripts/tapegrad.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tapegrad.pc
	@echo "installed tapegrad under $(DESTDIR)$(PREFIX)"

clean:
	rm -rf build build-san

-include $(LIB_O:.o=.d) $(LIB_O_D:.o=.d) $(TEST_O:.o=.d) $(TEST_O_D:.o=.d) $(patsubst %.cpp,$(B)/obj/%.d,$(EX_SRC))
