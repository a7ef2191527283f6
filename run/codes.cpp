// codes.cpp — codes as CSV or .npy (run/codes.h).
#include "run/codes.h"

#include "io/npy.h"
#include "models/registry.h"

namespace tg {

std::string codes_stem(const std::string& out) {
    const size_t n = out.size();
    return n > 4 && (out.substr(n - 4) == ".csv" || out.substr(n - 4) == ".npy") ? out.substr(0, n - 4) : out;
}

std::string write_codes(const std::string& out, const std::string& format, const Tensor& codes, const std::vector<int>& labels,
                        const std::vector<double>& pct) {
    const int N = codes.rows();
    if (format == "npy") {
        save_npy(out, codes);
        if (!labels.empty()) {
            Tensor y(Shape{N});
            for (int i = 0; i < N; i++) y[(size_t)i] = (real)labels[(size_t)i];
            save_npy(codes_stem(out) + "_labels.npy", y);
        }
        if (!pct.empty()) save_npy(codes_stem(out) + "_percentiles.npy", Tensor(Shape{N}, std::vector<real>(pct.begin(), pct.end())));
    } else {
        save_codes_csv(out, codes, labels, pct);
    }
    std::string what = format == "npy" ? "float32 (N, " + std::to_string(codes.cols()) + ")" : "z1..z" + std::to_string(codes.cols());
    if (!pct.empty()) what += format == "npy" ? "; percentiles in " + codes_stem(out) + "_percentiles.npy" : ", train_error_percentile";
    if (!labels.empty()) what += format == "npy" ? "; labels in " + codes_stem(out) + "_labels.npy" : ", label";
    return what;
}

}  // namespace tg
