// peer.h — what the four libtorch peers share: the flags of the tapegrad bench programs (--epochs
// --threads --batches --seed --data), the thread settings, and the machine-readable line per epoch
// that bench/run.py reads ("epoch 3 seconds 1.234567 loss 245.678901 [key value]...").
// Threads: torch::set_num_threads(N) sets ATen's intra-op (OpenMP) pool, set_num_interop_threads(1)
// the inter-op pool; Debian's libtorch does its GEMMs in OpenBLAS (libblas.so.3 wraps libopenblas.so.0),
// whose thread count torch::set_num_threads does not reach, so OpenBLAS is set to N too (bench/README.md).
#pragma once
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../epoch_line.h"

extern "C" void openblas_set_num_threads(int);

namespace peer {

struct Flags {
    int epochs = 5, threads = 1, batches = 0;  // batches: 0 = the whole training set each epoch
    long seed = 1;
    std::string data;
};

// Parses the flags; exits 0 after --help, 2 on a bad flag (naming it).
inline Flags parse_flags(int argc, char** argv, const char* about) {
    Flags f;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            printf("%s\n  --epochs N (5)  --threads N (1)  --batches N (0 = all; else the first N*batch images)\n"
                   "  --seed N (1)  --data DIR ($TAPEGRAD_DATA or /usr/share/datasets/fashion-mnist)\n", about);
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
        else if (a == "--batches") f.batches = (int)n;
        else if (a == "--seed") f.seed = n;
        else { fprintf(stderr, "error: unknown flag or bad value: %s %s (see --help)\n", a.c_str(), v.c_str()); std::exit(2); }
    }
    at::set_num_interop_threads(1);  // before any parallel work, or ATen refuses
    torch::set_num_threads(f.threads);
    openblas_set_num_threads(f.threads);
    torch::manual_seed((uint64_t)f.seed);
    return f;
}

using bench::now;          // the epoch line both sides print (bench/epoch_line.h)
using bench::print_epoch;

}  // namespace peer
