// epoch_line.h — the one line per epoch that every bench program prints and bench/run.py reads, shared by
// the tapegrad programs (tg_common.h) and their libtorch peers (peers/peer.h; the Python peers print the
// same in peers/peer.py), so every side speaks the same format:
//   "epoch 3 seconds 1.234567 loss 245.678901 minflt 1234" + " key value" for each further key.
// EpochMeter times an epoch's training loop and counts its minor page faults (getrusage). POSIX C++ only.
#pragma once
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace bench {

inline double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// The process's minor page faults so far (every thread's): pages the kernel had to map in, e.g. memory
// that malloc gave back to the kernel and asked for again.
inline long minor_faults() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
}

// Start it right before an epoch's training loop and stop() it right after: seconds and minor faults
// of the loop alone.
struct EpochMeter {
    double t0 = now(), seconds = 0;
    long faults0 = minor_faults(), faults = 0;
    void stop() {
        seconds = now() - t0;
        faults = minor_faults() - faults0;
    }
};

// Whole numbers (counts) print without decimals, everything else with six.
inline void print_epoch(int epoch, const EpochMeter& m, double loss, const std::vector<std::pair<const char*, double>>& extra = {}) {
    printf("epoch %d seconds %.6f loss %.6f minflt %ld", epoch, m.seconds, loss, m.faults);
    for (auto& kv : extra) printf(kv.second == std::floor(kv.second) ? " %s %.0f" : " %s %.6f", kv.first, kv.second);
    printf("\n");
    fflush(stdout);
}

}  // namespace bench
