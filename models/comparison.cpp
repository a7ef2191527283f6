// comparison.cpp — the comparison's method table, one measurement, and the commentary (models/comparison.h).
#include "models/comparison.h"

#include <algorithm>
#include <chrono>

#include "models/probe.h"
#include "models/registry.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// the methods

static const std::string kManifoldSkip = ": run at K = 2 and 10 only (an n x n problem on a subsample; docs/manifold-methods.md)";

const std::vector<ComparedMethod>& compared_methods() {
    static const std::vector<ComparedMethod> table = {
        {"pca", "PCA", "PCA", {2, 10, 30}, ""},
        {"lda", "LDA", "lda", {2, 9}, "LDA: at most 9 components (classes - 1)"},
        {"dct", "DCT", "DCT", {2, 10, 30}, ""},
        {"isomap", "Isomap", "isomap", {2, 10}, "isomap" + kManifoldSkip},
        {"lle", "LLE", "lle", {2, 10}, "lle" + kManifoldSkip},
        {"ae", "autoencoder", "AE", {2, 10, 30}, ""},
        {"vae", "VAE (means)", "VAE mean", {2, 10, 30}, ""},
        {"dbn", "DBN autoencoder", "DBN", {2, 10, 30}, ""},
        {"cae", "conv autoencoder", "CAE", {2, 10, 30}, ""},
    };
    return table;
}

ComparedMethod compared_method(const std::string& name) {
    for (const ComparedMethod& m : compared_methods())
        if (m.name == name) return m;
    return {name, name, name, {2, 10, 30}, ""};
}

bool runs_at(const ComparedMethod& m, int K) { return std::find(m.ks.begin(), m.ks.end(), K) != m.ks.end(); }

std::vector<int> table_ks(const ComparedMethod& m) { return {2, runs_at(m, 9) ? 9 : 10, 30}; }

// ----------------------------------------------------------------------------------------------
// one measurement

static double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Σ (a - b)^2 over all values, in double
double squared_error(const Tensor& a, const Tensor& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return s;
}

Measurement measure_reducer(Reducer& r, const Dataset& train, const Dataset& test, const Dataset& reference, int K,
                            int probe_epochs, Rng& rng) {
    Measurement m;
    ReportRow& c = m.row;
    c.method = r.name(), c.K = K;
    auto t0 = std::chrono::steady_clock::now();
    r.fit(train, K, rng);
    c.fit_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    m.test_codes = encode_rows(r, test.x);  // (N_test, K)
    c.encode_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const Tensor z_train = encode_rows(r, train.x);  // (N, K): what the probe and the 5-NN learn from
    if (r.has_decoder()) {
        const double se = squared_error(decode_rows(r, m.test_codes), test.x);
        c.se_image = se / test.size();
        c.mse_pixel = se / ((double)test.size() * test.dim());
    } else {
        c.note = "no decoder: reconstruction does not apply";
    }
    ProbeOptions po;
    po.epochs = probe_epochs;
    po.seed = rng.next_u64();
    const int classes = std::max(train.classes, test.classes);
    if (train.has_labels() && test.has_labels()) {
        c.probe = linear_probe(z_train, train.y, m.test_codes, test.y, classes, po);
        c.knn = knn_accuracy(z_train.first_slice(0, reference.size()), reference.y, m.test_codes, test.y, 5);
    } else {  // unlabelled data: the codes cannot be scored against classes
        c.note += std::string(c.note.empty() ? "" : "; ") + "no labels: the probe and 5-NN do not apply";
    }
    m.eval_s = seconds_since(t0);
    return m;
}

Tensor one_per_class(const Dataset& d, int classes) {
    const int D = d.dim();
    Tensor out(Shape{classes, D});
    for (int c = 0; c < classes; c++)
        for (int i = 0; i < d.size(); i++)
            if (d.y[(size_t)i] == c) {
                std::copy(d.x.ptr() + (size_t)i * D, d.x.ptr() + (size_t)(i + 1) * D, out.ptr() + (size_t)c * D);
                break;
            }
    return out;
}

// ----------------------------------------------------------------------------------------------
// The commentary: which method wins each metric at each K, and by how much, from the numbers alone.

struct Metric {
    const char* title;
    double ReportRow::*field;
    bool lower_better;
    bool percent;
};
static const Metric kMetrics[] = {
    {"reconstruction (squared error per image)", &ReportRow::se_image, true, false},
    {"linear probe", &ReportRow::probe, false, true},
    {"5-NN", &ReportRow::knn, false, true},
};

static std::string label(const ReportRow& c) { return c.method + (c.K != report_group(c) ? " (K = " + std::to_string(c.K) + ")" : ""); }
static std::string value(const Metric& m, double v) { return m.percent ? fmt_or_dash(100 * v, "%.1f%%") : fmt_or_dash(v, "%.2f"); }

// "a beats b": by a factor for errors, by points for accuracies
static std::string margin(const Metric& m, const ReportRow& a, const ReportRow& b) {
    const double x = a.*m.field, y = b.*m.field;
    const bool level = m.percent ? fmt_or_dash(100 * (x - y), "%.1f") == "0.0" : fmt_or_dash(y / x, "%.2f") == "1.00";
    if (level) return "level with " + label(b) + " (" + value(m, y) + ")";
    return (m.percent ? fmt_or_dash(100 * (x - y), "%.1f") + " points above " : fmt_or_dash(y / x, "%.2f") + "x lower than ") + label(b) + " (" + value(m, y) + ")";
}

Commentary commentary(const std::vector<ReportRow>& cells) {
    Commentary out;
    std::vector<int> groups;  // the Ks of the table, in order (2, 10, 30 by default)
    for (const ReportRow& c : cells)
        if (std::find(groups.begin(), groups.end(), report_group(c)) == groups.end()) groups.push_back(report_group(c));
    std::sort(groups.begin(), groups.end());
    for (int group : groups) {
        std::vector<std::string> lines;
        for (const Metric& m : kMetrics) {
            std::vector<const ReportRow*> v;  // the cells of this K with the metric, best first
            for (const ReportRow& c : cells)
                if (report_group(c) == group && !std::isnan(c.*m.field)) v.push_back(&c);
            if (v.size() < 2) continue;
            std::stable_sort(v.begin(), v.end(), [&m](const ReportRow* a, const ReportRow* b) {
                return m.lower_better ? a->*m.field < b->*m.field : a->*m.field > b->*m.field;
            });
            std::string s = std::string(m.title) + ": " + label(*v[0]) + " wins with " + value(m, v[0]->*m.field) + ", " + margin(m, *v[0], *v[1]);
            if (margin(m, *v[0], *v[1]).rfind("level", 0) == 0)  // no winner at this precision
                s = std::string(m.title) + ": " + label(*v[0]) + " (" + value(m, v[0]->*m.field) + ") is " + margin(m, *v[0], *v[1]);
            for (const ReportRow* c : v)  // the deep-vs-linear question: always say where PCA stands
                if (c->method == "pca" && c != v[0] && c != v[1]) s += " and " + margin(m, *v[0], *c);
            s += "; last " + label(*v.back()) + " (" + value(m, v.back()->*m.field) + ").";
            lines.push_back(s);
        }
        if (!lines.empty()) out.by_k.push_back({"K = " + std::to_string(group), lines});
    }
    const ReportRow *ae = nullptr, *pca = nullptr;
    for (const ReportRow& c : cells)
        if (c.K == 30 && !std::isnan(c.se_image)) {
            if (c.method == "ae") ae = &c;
            if (c.method == "pca") pca = &c;
        }
    if (ae && pca)
        out.bar = "The bar: at K = 30 the autoencoder's test squared error per image is " + fmt_or_dash(ae->se_image, "%.2f") + " against PCA's " +
                  fmt_or_dash(pca->se_image, "%.2f") + ": PCA's error is " + fmt_or_dash(pca->se_image / ae->se_image, "%.2f") + " times the autoencoder's" +
                  (ae->se_image < pca->se_image ? ", so the autoencoder wins." : ", so PCA wins at this budget; try --full.") +
                  " (Hinton & Salakhutdinov 2006 saw 4.6x on MNIST, with a deeper net trained much longer.)";
    std::vector<std::string> seen;  // per method: the range of its fit and encode times over its Ks
    for (const ReportRow& c : cells) {
        if (std::isnan(c.fit_s) || std::find(seen.begin(), seen.end(), c.method) != seen.end()) continue;
        seen.push_back(c.method);
        double f0 = 1e300, f1 = 0, e0 = 1e300, e1 = 0;
        for (const ReportRow& d : cells)
            if (d.method == c.method && !std::isnan(d.fit_s))
                f0 = std::min(f0, d.fit_s), f1 = std::max(f1, d.fit_s), e0 = std::min(e0, d.encode_s), e1 = std::max(e1, d.encode_s);
        auto range = [](double lo, double hi, const char* f) { return fmt_or_dash(lo, f) + (fmt_or_dash(hi, f) != fmt_or_dash(lo, f) ? "-" + fmt_or_dash(hi, f) : ""); };
        out.cost.push_back(c.method + " fits in " + range(f0, f1, f0 < 1 ? "%.2f" : "%.1f") + " s and encodes the test set in " + range(e0, e1, "%.2f") + " s");
    }
    return out;
}

}  // namespace tg
