// report.h — the comparison's report (examples/compare.cpp): the table and commentary printed, results.csv
// and index.html, and the K = 2 picture of every method side by side. One ReportRow per (method, K); a
// metric that does not apply is NaN, a dash in the table and an empty cell in the CSV. With several seeds a
// row holds the means and the sds (index.html: mean ± sd). What the rows say in
// words (the Commentary) is worked out in models/comparison.h; this file only writes it down.
#pragma once
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

// One (method, K) of the table.
struct ReportRow {
    std::string method;
    int K = 0;
    std::string note;  // why some or all metrics are missing
    double fit_s = NAN, encode_s = NAN, mse_pixel = NAN, se_image = NAN, probe = NAN, knn = NAN;
    double trust = NAN, cont = NAN;  // trustworthiness and continuity at k = 10 of the test codes (models/comparison.h)
    int group = 0;     // the K it stands beside when it ran at a smaller one (LDA at its maximum); 0 = K
    int seeds = 1;     // the runs the numbers are the mean of (compare --seeds; deterministic methods: 1)
    std::vector<std::pair<double ReportRow::*, double>> sds = {};  // the sample sd of a metric over the runs (none: 1 run)
    // the sd of metric m: NaN where m is NaN (does not apply), 0 after a single run
    double sd(double ReportRow::*m) const {
        for (const auto& p : sds)
            if (p.first == m) return p.second;
        return std::isnan(this->*m) ? NAN : 0;
    }
};
// The numbers of a row by their results.csv names, in the table's order (each followed by <name>_sd in the CSV).
struct ReportMetric {
    const char* csv;
    double ReportRow::*field;
};
const std::vector<ReportMetric>& report_metrics();
// The K a row is compared at: LDA's 9 stands beside the others' 10.
inline int report_group(const ReportRow& r) { return r.group ? r.group : r.K == 9 ? 10 : r.K; }

// The numbers in words: the AE/PCA sentence at K = 30, per K one sentence per metric, fit and encode costs.
struct Commentary {
    std::string bar;
    std::vector<std::pair<std::string, std::vector<std::string>>> by_k;  // "K = 2" -> its sentences
    std::vector<std::string> cost;
};

// printf-formatted, "-" for NaN
std::string fmt_or_dash(double v, const char* format);

// The table by K, then the commentary, on stdout.
void print_report(const std::vector<ReportRow>& rows, const Commentary& com);
// results.csv: method,K,seeds, then per metric of report_metrics() its mean and <name>_sd (fit_seconds, fit_seconds_sd,
// encode_seconds, ..., knn5_accuracy, knn5_accuracy_sd, trustworthiness10, trustworthiness10_sd, continuity10, ...), note
void write_results_csv(const std::string& path, const std::vector<ReportRow>& rows);
// index.html: `setup` (what was trained, how long), the commentary, the table (the best per K in bold), the
// pictures: scatter_all.png and `scatters` (file names) when given, recon_k30.png when have_recon.
// `data` (optional) replaces the opening sentence about Fashion-MNIST when the data are the user's own, and
// `recon_file` names the reconstruction picture (recon_k30.png by default).
void write_report_html(const std::string& path, const std::vector<ReportRow>& rows, const Commentary& com,
                       const std::vector<std::string>& scatters, bool have_recon, const std::string& setup,
                       const std::string& data = "", const std::string& recon_file = "recon_k30.png");
// scatter_all.png: one panel per (title, codes (N, 2)), points coloured by `labels`, four panels a row.
void write_scatter_panels(const std::string& path, const std::string& title, const std::vector<std::pair<std::string, Tensor>>& panels,
                          const std::vector<int>& labels, const std::vector<std::string>& class_names);

}  // namespace tg
