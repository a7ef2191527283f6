// metrics.h — <out>/metrics.csv and <out>/curves.png for a training run.
// metrics.csv: a header `epoch,seconds,<metric>,...` and one row per epoch; a metric not measured that
// epoch is an empty cell. On --resume the rows up to the checkpoint's epoch are kept and later rows are
// dropped, so the file always matches the model. Every value except `seconds` (wall-clock time) is
// bit-identical between runs with the same seed and thread count (docs/errors.md, "Determinism").
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tg {

struct MetricsLog {
    std::string path;                  // <out>/metrics.csv
    std::vector<std::string> columns;  // after epoch and seconds
    std::vector<std::vector<double>> rows;  // epoch, seconds, metrics... (NaN = not measured)

    MetricsLog(const std::string& out_dir, std::vector<std::string> columns);
    // Keep the rows of an existing metrics.csv with epoch <= last_epoch (same header), for --resume.
    void resume(int last_epoch);
    // Append a row and rewrite the file (atomically: a crash never leaves half a file).
    void add(int epoch, double seconds, const std::vector<double>& values);
    // The same by column name, {{"test_loss", 0.31}, ...}: a column not named stays empty; a name that is not
    // a column is an error (a typo cannot land a value in the wrong column).
    void add_named(int epoch, double seconds, const std::vector<std::pair<std::string, double>>& cells);
    // The latest value of a column (NaN if never measured).
    double last(const std::string& column) const;

    // curves.png: one panel per group, each group's columns as lines against epoch.
    struct Panel { std::string title; std::vector<std::string> columns; bool log_y = false; };
    void plot(const std::string& png_path, const std::vector<Panel>& panels) const;
};

// Write `text` to `path` through io/atomic_file.h (temporary beside it, fsync, rename); the file's extension
// starts a failure's message ("csv: cannot write out/results.csv: ...", exit code 1 for a full disk).
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace tg
