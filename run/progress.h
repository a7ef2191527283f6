// progress.h — what a training run tells the person watching it.
// On a terminal: one line rewritten in place (epoch, batch, running loss, samples/s, ETA), at most ~5 times
// a second. Not on a terminal (a log file, CI): only the per-epoch summary lines, so logs stay short.
#pragma once
#include <chrono>
#include <string>

namespace tg {

struct Progress {
    Progress(int epoch, int epochs, int batches);
    void step(int batch, double loss, int samples);  // after each batch (batch counts from 1)
    void done(const std::string& summary);           // the epoch's one summary line
    double seconds() const;                          // since construction
    double mean_loss() const { return n ? loss_sum / n : 0; }

  private:
    int epoch, epochs, batches, n = 0;
    long samples = 0;
    double loss_sum = 0, last_print = -1;
    bool tty;
    std::chrono::steady_clock::time_point start;
};

// Create the output directory (and parents) and check it is writable, or throw an input_error that
// names it and says how to fix it.
void prepare_out_dir(const std::string& dir);

// "1:05" / "1:02:03"
std::string format_duration(double seconds);

}  // namespace tg
