// comparison.cpp — the comparison's method table, one measurement, the commentary, and the whole run
// (models/comparison.h).
#include "models/comparison.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "io/figures.h"
#include "models/probe.h"
#include "models/registry.h"
#include "models/tsne.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// the methods

static const std::string kManifoldSkip = ": run at K = 2 and 10 only (an n x n problem on a subsample; docs/manifold-methods.md)";

const std::vector<ComparedMethod>& compared_methods() {
    static const std::vector<ComparedMethod> table = {
        {"pca", "PCA", "PCA", {2, 10, 30}, "", false},
        {"lda", "LDA", "lda", {2, 9}, "LDA: at most 9 components (classes - 1)", false},
        {"dct", "DCT", "DCT", {2, 10, 30}, "", false},
        {"isomap", "Isomap", "isomap", {2, 10}, "isomap" + kManifoldSkip, false},
        {"lle", "LLE", "lle", {2, 10}, "lle" + kManifoldSkip, false},
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

double continuity(const Tensor& x, const Tensor& codes, int k) { return trustworthiness(codes, x, k); }

// T(10) and C(10) of the first kNeighbourRows rows of x (N, D) and their codes (N, K); NaN below 21 rows
static void measure_neighbours(ReportRow& c, const Tensor& x, const Tensor& codes) {
    const int n = std::min(kNeighbourRows, x.rows()), k = 10;
    if (2 * k >= n) return;
    const Tensor xs = x.first_slice(0, n), zs = codes.first_slice(0, n);
    c.trust = trustworthiness(xs, zs, k);
    c.cont = continuity(xs, zs, k);
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
    measure_neighbours(c, test.x, m.test_codes);
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
            if (d.method == c.method && !std::isnan(d.fit_s)) {
                f0 = std::min(f0, d.fit_s), f1 = std::max(f1, d.fit_s);
                if (!std::isnan(d.encode_s)) e0 = std::min(e0, d.encode_s), e1 = std::max(e1, d.encode_s);
            }
        auto range = [](double lo, double hi, const char* f) { return fmt_or_dash(lo, f) + (fmt_or_dash(hi, f) != fmt_or_dash(lo, f) ? "-" + fmt_or_dash(hi, f) : ""); };
        out.cost.push_back(c.method + " fits in " + range(f0, f1, f0 < 1 ? "%.2f" : "%.1f") + " s" +
                           (e0 < 1e300 ? " and encodes the test set in " + range(e0, e1, "%.2f") + " s" : " (no map for new rows: nothing to encode)"));
    }
    return out;
}

// ----------------------------------------------------------------------------------------------
// the whole comparison

CompareBudget compare_budget(bool full, int train_limit, int epochs) {
    // The reduced budget is what `make demo` can afford (docs/compare.md, "tuning"): a narrower autoencoder and
    // DBN, and most epochs for the autoencoder, the model of the bar (beat PCA at K = 30).
    static const CompareBudget kReduced{20000, {256, 128}, 8, 5, 6, 3, 2000, 20000, 20};
    static const CompareBudget kFull{60000, {}, 10, 10, 10, 5, 3000, 60000, 30};
    CompareBudget b = full ? kFull : kReduced;
    if (train_limit) b.train = train_limit;
    if (epochs) b.ae_epochs = b.vae_epochs = b.dbn_epochs = epochs;
    return b;
}

Tensor reconstruction_originals(const Dataset& train, const Dataset& test, bool own) {
    if (!own) return one_per_class(test, std::max(train.classes, test.classes));
    const int n = test.is_image() ? 10 : 3;
    if (test.has_labels()) return one_per_class(test, std::min(n, std::max(1, test.classes)));
    return test.x.first_slice(0, std::min(n, test.size()));
}

std::string describe_comparison(const ComparisonPlan& p, const Dataset& train, const Dataset& test, bool full,
                                const std::string& train_path, int threads) {
    const CompareBudget& b = p.budget;
    auto arch = [&b, &train](const char* def) {  // "784-256-128-K"
        std::string a = std::to_string(train.dim());
        if (b.hidden.empty()) return a + "-" + def + "-K";
        for (int h : b.hidden) a += "-" + std::to_string(h);
        return a + "-K";
    };
    auto n = [](int v) { return std::to_string(v); };
    return std::string(full ? "Full size" : "Reduced size (build/compare --full for full size)") + ": " + n(train.size()) +
           (p.own ? " training rows of " + train_path + ", " + n(test.size()) + " test rows" : " training images") + "; autoencoder " + arch("512-256") +
           " (ReLU, BCE, Adam 2e-3, batch 64, " + n(b.ae_epochs) + " epochs), VAE " + n(train.dim()) + "-400-K (Adam 1e-3, batch 128, " +
           n(b.vae_epochs) + " epochs), DBN autoencoder " + arch("500-250") + " (" + n(b.pretrain_epochs) + " CD-1 epochs per RBM, then " +
           n(b.dbn_epochs) + " epochs of Adam 1e-3, batch 128); " + "Isomap/LLE fitted on " + n(std::min(b.subsample, train.size())) +
           " rows; t-SNE on " + n(std::min(b.subsample, test.size())) + " test rows; 5-NN among " + n(std::min(b.knn_reference, train.size())) +
           " train codes; " +
           (p.seeds > 1 ? "seeds " + std::to_string(p.seed) + ".." + std::to_string(p.seed + p.seeds - 1) + " (mean ± sd)" : "seed " + std::to_string(p.seed)) +
           ", " + n(threads) + " thread(s).";
}

// t-SNE at K = 2 on the first `n` test rows (it has no map for new rows); the probe and the 5-NN learn on the
// even rows of the picture and are scored on the odd rows.
static Measurement measure_tsne(const Dataset& test, int n, const ReducerOptions& o, int probe_epochs, Rng& rng) {
    const Dataset part = test.subset(n);
    Measurement m;
    m.row = {"tsne", 2, "embeds the first " + std::to_string(part.size()) + " test rows (no map for new rows); probe and 5-NN: even rows -> odd rows"};
    std::unique_ptr<Reducer> r = make_reducer("tsne", o);
    check_fit("tsne", part, 2, o);
    const auto t0 = std::chrono::steady_clock::now();
    r->fit(part, 2, rng);
    m.row.fit_s = seconds_since(t0);
    m.test_codes = r->encode(part.x);  // (n, 2)
    measure_neighbours(m.row, part.x, m.test_codes);
    if (part.has_labels() && part.size() >= 10) {  // even rows learn, odd rows are scored (files are often sorted by class)
        std::vector<int> even, odd;
        for (int i = 0; i < part.size(); i++) (i % 2 ? odd : even).push_back(i);
        Dataset codes = part;
        codes.x = m.test_codes;
        const Dataset a = codes.rows(even), b = codes.rows(odd);
        ProbeOptions po;
        po.epochs = probe_epochs;
        po.seed = rng.next_u64();
        m.row.probe = linear_probe(a.x, a.y, b.x, b.y, std::max(1, test.classes), po);
        m.row.knn = knn_accuracy(a.x, a.y, b.x, b.y, 5);
    }
    return m;
}

ReportRow mean_and_sd(const std::vector<ReportRow>& runs) {
    ReportRow r = runs.at(0);
    const double n = (double)runs.size();
    r.seeds = (int)runs.size();
    r.sds.clear();
    if (runs.size() < 2) return r;
    for (const ReportMetric& m : report_metrics()) {
        double sum = 0, ss = 0;
        for (const ReportRow& x : runs) sum += x.*m.field;  // NaN if any run lacks the metric
        const double mean = sum / n;
        for (const ReportRow& x : runs) ss += (x.*m.field - mean) * (x.*m.field - mean);
        r.*m.field = mean;
        r.sds.push_back({m.field, std::sqrt(ss / (n - 1))});
    }
    return r;
}

// One seed of the comparison: every method at every K (first: all of them, and their pictures into `run`;
// later seeds: the stochastic methods only). Returns the rows in the order they ran.
static std::vector<ReportRow> run_seed(const ComparisonPlan& p, uint64_t seed, bool first, const Dataset& train, const Dataset& test,
                                       const Tensor& shown, ComparisonRun& run) {
    const CompareBudget& budget = p.budget;
    const bool default_dims = p.dims == std::vector<int>{2, 10, 30};
    const int recon_K = *std::max_element(p.dims.begin(), p.dims.end());
    const Dataset reference = train.subset(budget.knn_reference);
    const std::vector<std::string> names = class_names_for(test);
    // The deep methods' settings, the same at every K. Adam 2e-3 with batch 64 for the autoencoder: in the
    // reduced budget it needs the extra steps to get past PCA (docs/compare.md, "tuning").
    ReducerOptions opt;
    opt.pretrain_epochs = budget.pretrain_epochs;
    opt.subsample = budget.subsample;
    std::vector<ReportRow> rows;
    for (const std::string& m : p.methods) {
        const ComparedMethod method = compared_method(m);
        if (!first && !method.stochastic) continue;  // deterministic: its first run stands for every seed
        if (m == "tsne") {  // a picture of the test rows at K = 2 (no map for new rows)
            if (!first || std::find(p.dims.begin(), p.dims.end(), 2) == p.dims.end()) continue;  // it starts from PCA: nothing random
            printf("tsne at K = 2: fitting...\n");
            fflush(stdout);
            Rng rng(seed * 1000003 + 8 * 101 + 2);
            Measurement got = measure_tsne(test, std::min(budget.subsample, test.size()), opt, budget.probe_epochs, rng);
            if (first) {
                write_latent_scatter(p.out + "/scatter_tsne.png", got.test_codes, test.subset(got.test_codes.rows()).y, names, "t-SNE: test rows at K = 2");
                run.scatters.push_back({"t-SNE", got.test_codes});
                run.scatter_files.push_back("scatter_tsne.png");
            }
            printf("    fit %.2f s, probe %s, 5-NN %s\n", got.row.fit_s, fmt_or_dash(100 * got.row.probe, "%.1f%%").c_str(),
                   fmt_or_dash(100 * got.row.knn, "%.1f%%").c_str());
            rows.push_back(got.row);
            continue;
        }
        if (m == "lda" && !train.has_labels()) {  // supervised: steps aside on unlabelled data
            rows.push_back({m, p.dims[0], "LDA needs labels and " + train.source + " has none (class folders or a label column)"});
            continue;
        }
        const int mi = (int)(std::find(reducer_names().begin(), reducer_names().end(), m) - reducer_names().begin());
        ReducerOptions o = opt;
        if (m == "ae" || m == "dbn") o.hidden = budget.hidden;
        if (m == "ae") o.lr = 2e-3, o.batch = 64;
        o.epochs = m == "ae" ? budget.ae_epochs : m == "vae" ? budget.vae_epochs : budget.dbn_epochs;
        std::vector<int> lda_done;  // custom --dims: the Ks run so far; LDA runs at its maximum once, beside the first K above it
        for (int K : default_dims ? table_ks(method) : p.dims) {
            int group = 0;
            if (default_dims && !runs_at(method, K)) {
                rows.push_back({m, K, method.skip_reason});
                continue;
            }
            if (!default_dims) {  // your --dims: each K up to the method's maximum on this data
                std::string why;
                const int top = max_code_dim(m, train, o, &why);
                if (K > top && m == "lda" && top >= 1 && std::find(lda_done.begin(), lda_done.end(), top) == lda_done.end()) group = K, K = top;
                else if (K > top) {
                    rows.push_back({m, K, why});
                    continue;
                }
                lda_done.push_back(K);
            }
            printf("%s at K = %d: fitting...\n", m.c_str(), K);
            fflush(stdout);
            Rng rng(seed * 1000003 + (uint64_t)mi * 101 + (uint64_t)K);  // per cell: a subset of methods gives the same numbers
            std::unique_ptr<Reducer> r = make_reducer(m, o);
            try {
                check_fit(m, train, K, o);
            } catch (const Error& e) {  // e.g. a deep method on values outside [0, 1]: this row steps aside, the others run
                if (!p.own) throw;
                rows.push_back({m, K, e.what()});
                printf("    skipped: %s\n", e.what());
                continue;
            }
            Measurement got = measure_reducer(*r, train, test, reference, K, budget.probe_epochs, rng);
            ReportRow& c = got.row;
            if (K == 9 && default_dims) c.note = "LDA: at most 9 components (classes - 1), so 9 for 10; " + c.note;
            if (group) c.group = group, c.note = "LDA: at most classes - 1 = " + std::to_string(K) + " components, so " + std::to_string(K) +
                                                 " for " + std::to_string(group) + "; " + c.note;
            if (first && K == recon_K && r->has_decoder()) run.recon.push_back({method.short_name + " K=" + std::to_string(K), r->decode(r->encode(shown))});
            if (first && K == 2) {
                write_latent_scatter(p.out + "/scatter_" + m + ".png", got.test_codes, test.y, names, method.title + ": test codes at K = 2");
                run.scatters.push_back({method.title, got.test_codes});
                run.scatter_files.push_back("scatter_" + m + ".png");
            }
            printf("    fit %.2f s, encode %.3f s, se/image %s, probe %s, 5-NN %s (probe and 5-NN %.1f s)\n", c.fit_s, c.encode_s,
                   fmt_or_dash(c.se_image, "%.2f").c_str(), fmt_or_dash(100 * c.probe, "%.1f%%").c_str(),
                   fmt_or_dash(100 * c.knn, "%.1f%%").c_str(), got.eval_s);
            rows.push_back(c);
        }
    }
    return rows;
}

ComparisonRun run_comparison(const ComparisonPlan& p, const Dataset& train, const Dataset& test, const Tensor& shown) {
    ComparisonRun run;
    run.recon = {{"original", shown}};
    std::vector<std::vector<ReportRow>> seeds;  // seeds[s]: the rows of seed p.seed + s
    for (int s = 0; s < p.seeds; s++) {
        if (p.seeds > 1) printf("---- seed %llu (%d of %d)%s\n", (unsigned long long)(p.seed + s), s + 1, p.seeds, s ? ": the stochastic methods" : "");
        seeds.push_back(run_seed(p, p.seed + (uint64_t)s, s == 0, train, test, shown, run));
    }
    for (const ReportRow& first : seeds[0]) {  // each (method, K) over the seeds it ran with
        std::vector<ReportRow> runs = {first};
        for (size_t s = 1; s < seeds.size(); s++)
            for (const ReportRow& c : seeds[s])
                if (c.method == first.method && c.K == first.K) runs.push_back(c);
        run.rows.push_back(mean_and_sd(runs));
    }
    // the report by K: the question is "which method wins at which K", methods in their usual order within each
    std::stable_sort(run.rows.begin(), run.rows.end(), [](const ReportRow& a, const ReportRow& b) { return report_group(a) < report_group(b); });
    return run;
}

}  // namespace tg
