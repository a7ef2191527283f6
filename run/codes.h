// codes.h — writing a program's codes (examples/reduce.cpp): as CSV (models/registry.h's save_codes_csv: z1..zK,
// train_error_percentile, label) or as NumPy .npy files (the codes, and beside them <stem>_labels.npy and
// <stem>_percentiles.npy), every file atomically. N = rows, K = code size.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

// out without its .csv or .npy extension: codes.csv -> codes (the model goes to codes.ckpt)
std::string codes_stem(const std::string& out);

// codes (N, K) to `out` in `format` ("csv" or "npy"), with labels and percentiles (each empty or one per row);
// returns what was written, for the log line: "z1..z5, label" or "float32 (N, 5); labels in codes_labels.npy".
std::string write_codes(const std::string& out, const std::string& format, const Tensor& codes, const std::vector<int>& labels,
                        const std::vector<double>& percentiles);

}  // namespace tg
