// peer.h — what the four libtorch peers share: the flags of the tapegrad bench programs (--epochs
// --threads --batches --seed --data) plus --blas-threads, the thread settings, the machine-readable line
// per epoch that bench/run.py reads ("epoch 3 seconds 1.234567 loss 245.678901 minflt 812 [key value]...")
// and the lines at the end saying which OpenBLAS build ran with how many threads (bench/README.md).
// Threads: torch::set_num_threads(N) sets ATen's intra-op (OpenMP) pool, set_num_interop_threads(1)
// the inter-op pool; Debian's libtorch does its GEMMs in OpenBLAS (libblas.so.3 wraps libopenblas.so.0),
// whose thread count torch::set_num_threads does not reach, so OpenBLAS is set apart (--blas-threads).
#pragma once
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../epoch_line.h"

extern "C" void openblas_set_num_threads(int);
extern "C" int openblas_get_num_threads();
extern "C" char* openblas_get_config();

namespace peer {

struct Flags {
    int epochs = 5, threads = 1, blas_threads = 0, batches = 0;  // blas_threads 0: = threads; batches 0: the whole set
    long seed = 1;
    std::string data;
};

// Parses the flags and sets the threads; exits 0 after --help, 2 on a bad flag (naming it).
// OpenBLAS first, ATen second: the OpenMP build of OpenBLAS sets OpenMP's thread count when told its own,
// and ATen must have the last word on that.
inline Flags parse_flags(int argc, char** argv, const char* about) {
    Flags f;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            printf("%s\n  --epochs N (5)  --threads N (1: ATen's threads)  --blas-threads N (= --threads: OpenBLAS's)\n"
                   "  --batches N (0 = all; else the first N*batch images)  --seed N (1)\n"
                   "  --data DIR ($TAPEGRAD_DATA or /usr/share/datasets/fashion-mnist)\n", about);
            std::exit(0);
        }
        if (i + 1 >= argc) { fprintf(stderr, "error: %s needs a value\n", a.c_str()); std::exit(2); }
        std::string v = argv[++i];
        char* end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        bool number = *end == '\0' && !v.empty();
        if (a == "--data") f.data = v;
        else if (!number || n < 0) { fprintf(stderr, "error: %s: '%s' is not a number >= 0\n", a.c_str(), v.c_str()); std::exit(2); }
        else if (a == "--epochs" && n >= 1) f.epochs = (int)n;
        else if (a == "--threads" && n >= 1) f.threads = (int)n;
        else if (a == "--blas-threads" && n >= 1) f.blas_threads = (int)n;
        else if (a == "--batches") f.batches = (int)n;
        else if (a == "--seed") f.seed = n;
        else { fprintf(stderr, "error: unknown flag or bad value: %s %s (see --help)\n", a.c_str(), v.c_str()); std::exit(2); }
    }
    if (f.blas_threads == 0) f.blas_threads = f.threads;
    at::set_num_interop_threads(1);  // before any parallel work, or ATen refuses
    openblas_set_num_threads(f.blas_threads);
    torch::set_num_threads(f.threads);
    torch::manual_seed((uint64_t)f.seed);
    return f;
}

// After training: which OpenBLAS build ran (pthread or openmp, as LD_LIBRARY_PATH chose) and the thread
// counts in force. The OpenMP build ignores its own count and follows OpenMP's, which is ATen's, so there
// the BLAS threads are ATen's whatever --blas-threads said; bench/run.py checks these against what it asked.
inline void report_threads() {
    bool openmp = std::strstr(openblas_get_config(), "USE_OPENMP") != nullptr;
    printf("blas_build %s\n", openmp ? "openmp" : "pthread");
    printf("torch_threads %d\n", torch::get_num_threads());
    printf("blas_threads %d\n", openmp ? torch::get_num_threads() : openblas_get_num_threads());
    fflush(stdout);
}

using bench::now;          // the epoch line every side prints (bench/epoch_line.h)
using bench::print_epoch;
using bench::EpochMeter;

}  // namespace peer
