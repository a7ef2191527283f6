// epoch_line.h — the one line per epoch that every bench program prints and bench/run.py reads, shared by
// the tapegrad programs (tg_common.h) and their libtorch peers (peers/peer.h), so both sides speak the same
// format: "epoch 3 seconds 1.234567 loss 245.678901" + " key value" for each extra. Standard C++ only.
#pragma once
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

namespace bench {

inline double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

inline void print_epoch(int epoch, double seconds, double loss, const std::vector<std::pair<const char*, double>>& extra = {}) {
    printf("epoch %d seconds %.6f loss %.6f", epoch, seconds, loss);
    for (auto& kv : extra) printf(" %s %.6f", kv.first, kv.second);
    printf("\n");
    fflush(stdout);
}

}  // namespace bench
