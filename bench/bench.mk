# bench.mk — `make bench`: tapegrad against libtorch (C++) and PyTorch (Python) on the same four models (bench/README.md).
# Included by the main Makefile; builds into $(B)/bench/ only when asked, never by `make all` or `make test`.
#   tapegrad side  bench/tg_{vae,mlp,gan,rbm}.cpp + libtapegrad.a, with the main CXXFLAGS; bench/gemm_threads.cpp
#                  (run by hand: OpenBLAS's threads against tapegrad's blocks on a VAE step's GEMMs) and
#                  bench/step_profile.cpp (run by hand: a VAE step's time op by op)
#   libtorch side  bench/peers/{vae,mlp,gan,rbm}.cpp against Debian's libtorch-dev, its headers as system headers
#   PyTorch side   bench/peers/{vae,mlp,gan,rbm}.py, nothing to build (python3-torch, python3-numpy)
# bench-deps installs what the peers and their configurations need if missing (as root; else the apt command
# is printed): libtorch-dev, python3-torch, python3-numpy, jemalloc, tcmalloc, the OpenMP build of OpenBLAS.
# Knobs for the run (environment, bench/README.md): BENCH_EPOCHS BENCH_REPS BENCH_MODELS BENCH_THREADS
# BENCH_RUN_LIMIT BENCH_BATCHES BENCH_PEERS BENCH_CALIB_BATCHES BENCH_CALIB_EPOCHS BENCH_DEFAULT_REPS
# BENCH_DEFAULT_BATCHES BENCH_PYTHON.

BENCH_MODELS_ALL := vae mlp gan rbm cnn cae
BENCH_TG   := $(patsubst %,$(B)/bench/tg_%,$(BENCH_MODELS_ALL))
BENCH_PEER := $(patsubst %,$(B)/bench/peer_%,$(BENCH_MODELS_ALL))
BENCH_TOOLS := gemm_threads step_profile conv_probe conv_profile
BENCH_OBJ  := $(patsubst %,$(B)/obj/bench/%.o,$(BENCH_TOOLS)) $(patsubst %,$(B)/obj/bench/tg_%.o,$(BENCH_MODELS_ALL)) $(patsubst %,$(B)/bench/peer-obj/%.o,$(BENCH_MODELS_ALL))
.SECONDARY: $(BENCH_OBJ)  # keep the objects: a peer takes a minute to compile

# libtorch 1.13 from Debian: headers under /usr/include (already a system path) and the C++ API's own
# include directory; the C++11 ABI flag TorchConfig.cmake sets; OpenBLAS for the thread setting (peer.h).
TORCH_CXXFLAGS := -std=c++17 -O2 -Wall -Wextra -Werror -MMD -MP -isystem /usr/include/torch/csrc/api/include -D_GLIBCXX_USE_CXX11_ABI=1
TORCH_LDLIBS   := -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 -Wl,--as-needed -lopenblas -lz -lpthread

.PHONY: bench bench-build bench-deps
bench: bench-deps bench-build
	python3 bench/run.py --build $(B)

bench-build: $(BENCH_TG) $(BENCH_PEER) $(patsubst %,$(B)/bench/%,$(BENCH_TOOLS))

bench-deps: deps
	@bash scripts/install-deps.sh "make bench" libtorch-dev python3-torch python3-numpy libjemalloc2 libtcmalloc-minimal4 libopenblas0-openmp

$(BENCH_TG) $(patsubst %,$(B)/bench/%,$(BENCH_TOOLS)): $(B)/bench/%: $(B)/obj/bench/%.o $(B)/libtapegrad.a
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

$(B)/bench/peer-obj/%.o: bench/peers/%.cpp | bench-deps
	@mkdir -p $(dir $@)
	$(CXX) $(TORCH_CXXFLAGS) -c $< -o $@

$(B)/bench/peer_%: $(B)/bench/peer-obj/%.o
	$(CXX) $^ -o $@ $(TORCH_LDLIBS)

-include $(BENCH_OBJ:.o=.d)
