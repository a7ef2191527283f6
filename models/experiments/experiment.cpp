// experiment.cpp — mean ± sd, the verdict, the results table, and the small pieces every experiment uses.
#include "models/experiments/experiment.h"

#include <algorithm>
#include <cstdio>

#include "io/atomic_file.h"
#include "models/probe.h"

namespace tg {

MeanSd mean_sd(const std::vector<double>& v) {
    MeanSd m;
    if (v.empty()) return m;
    double s = 0, ss = 0;
    for (double x : v) s += x;
    m.mean = s / v.size();
    for (double x : v) ss += (x - m.mean) * (x - m.mean);
    m.sd = v.size() > 1 ? std::sqrt(ss / (v.size() - 1)) : 0;
    return m;
}

std::string fmt(const MeanSd& m, int decimals) {
    char b[80];
    snprintf(b, sizeof b, "%.*f ± %.*f", decimals, m.mean, decimals, m.sd);
    return b;
}

std::string verdict(const MeanSd& a, const MeanSd& b, bool higher_is_better) {
    double d = a.mean - b.mean;
    if (!std::isfinite(d)) return "n/a";
    if (std::fabs(d) <= a.sd + b.sd) return "tie";
    return (d > 0) == higher_is_better ? "better" : "worse";
}

std::string num(double v, int decimals) {
    if (std::isnan(v)) return "nan";
    char b[64];
    snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

void ResultTable::add(std::vector<std::string> row) {
    if (row.size() != columns.size())
        throw Error("ResultTable: a row of " + std::to_string(row.size()) + " cells for " + std::to_string(columns.size()) + " columns");
    rows.push_back(std::move(row));
}

void ResultTable::write(const std::string& csv_path) const {
    std::vector<size_t> w(columns.size());
    for (size_t c = 0; c < columns.size(); c++) {
        w[c] = columns[c].size();
        for (auto& r : rows) w[c] = std::max(w[c], r[c].size());
    }
    auto line = [&](const std::vector<std::string>& r) {
        for (size_t c = 0; c < r.size(); c++) printf("%-*s  ", (int)w[c], r[c].c_str());
        printf("\n");
    };
    line(columns);
    for (auto& r : rows) line(r);
    std::string csv;
    auto csv_line = [&](const std::vector<std::string>& r) {
        for (size_t c = 0; c < r.size(); c++) csv += (c ? "," : "") + r[c];
        csv += "\n";
    };
    csv_line(columns);
    for (auto& r : rows) csv_line(r);
    write_file_atomically(csv_path, csv, "csv");
}

AutoencoderConfig experiment_ae(const ExperimentSetup& s, Noise noise, real level) {
    AutoencoderConfig c;
    c.input = s.train.dim();
    c.hidden = {s.hidden};
    c.code = s.code;
    c.noise = noise;
    c.noise_level = level;
    return c;
}

VAEConfig experiment_vae(const ExperimentSetup& s, real beta) {
    VAEConfig c;
    c.input = s.train.dim();
    c.hidden = s.hidden;
    c.latent = s.code;
    c.beta = beta;
    return c;
}

Tensor corrupted(const Tensor& x, Noise kind, real level, uint64_t seed) {
    AutoencoderConfig c;
    c.input = x.cols();
    c.hidden = {1};  // the layers are not used: only the corruption
    c.code = 1;
    c.noise = kind;
    c.noise_level = level;
    Autoencoder noiser(c, seed);
    Rng r(seed);
    return noiser.corrupt(x, r);
}

Dataset without_class(const Dataset& d, int label) {
    std::vector<int> keep;
    for (int i = 0; i < d.size(); i++)
        if (d.y[i] != label) keep.push_back(i);
    Dataset out = d;
    const int D = d.dim();
    out.x = Tensor(Shape{(int)keep.size(), D});
    out.y.clear();
    for (size_t j = 0; j < keep.size(); j++) {
        std::copy(d.x.ptr() + (size_t)keep[j] * D, d.x.ptr() + (size_t)(keep[j] + 1) * D, out.x.ptr() + j * D);
        out.y.push_back(d.y[keep[j]]);
    }
    return out;  // `classes` stays: the held-out label keeps its number
}

Readout read_out(const ExperimentSetup& s, const Tensor& train_codes, const Tensor& test_codes, uint64_t seed) {
    ProbeOptions po;
    po.epochs = s.probe_epochs;
    po.seed = seed;
    const int classes = s.train.classes;
    const int n_ref = std::min(s.knn_reference, train_codes.rows());
    std::vector<int> ref_y(s.train.y.begin(), s.train.y.begin() + n_ref);
    return {linear_probe(train_codes, s.train.y, test_codes, s.test.y, classes, po),
            knn_accuracy(train_codes.first_slice(0, n_ref), ref_y, test_codes, s.test.y, 5)};
}

}  // namespace tg
