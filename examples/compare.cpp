// compare.cpp — the question tapegrad exists to answer: when does a deep model beat a linear one at
// compressing images and extracting features, and by how much? Every method of models/registry.h is fitted
// on Fashion-MNIST's training images at K = 2, 10 and 30 numbers per image (LDA at 2 and 9, its maximum;
// Isomap and LLE at 2 and 10 on a subsample, the test set mapped by their out-of-sample rules) and measured
// on the TEST set: reconstruction error (where there is a decoder), a linear probe and 5-NN accuracy on the
// codes, fit and encode time. How it is measured and how to read it: docs/compare.md
//   build/compare                          # reduced: 20000 training images, short training (a few minutes)
//   build/compare --full                   # all 60000 images, the models' full training budgets
//   build/compare --methods pca,ae --out out/cmp-small
// Writes <out>/results.csv, scatter_<method>.png (K = 2), scatter_all.png, recon_k30.png, index.html.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "run/flags.h"
#include "io/figures.h"
#include "io/idx.h"
#include "run/metrics.h"
#include "io/plot.h"
#include "run/progress.h"
#include "run/training.h"
#include "models/probe.h"
#include "models/registry.h"

using namespace tg;

namespace {

const double NA = NAN;  // a cell that does not apply; the row's note says why

// One (method, K) of the table. Metrics are NaN where they do not apply.
struct Cell {
    std::string method;
    int K = 0;
    std::string note;  // why some or all metrics are missing
    double fit_s = NA, encode_s = NA, mse_pixel = NA, se_image = NA, probe = NA, knn = NA;
};

// The training budget of a mode: what --full changes.
struct Budget {
    int train;              // training images (the first N)
    std::vector<int> hidden;  // ae and dbn hidden sizes ({} = their defaults, 512,256 and 500,250)
    int ae_epochs, vae_epochs, dbn_epochs;  // Adam epochs (dbn: fine-tuning)
    int pretrain_epochs;    // dbn: CD-1 epochs per RBM
    int subsample;          // isomap, lle fit on this many
    int knn_reference;      // train codes the 5-NN vote looks among (the first N)
    int probe_epochs;
};
// The reduced budget is what `make demo` can afford (docs/compare.md, "tuning"): a narrower autoencoder and
// DBN, and most epochs for the autoencoder, the model of the bar (beat PCA at K = 30).
const Budget kReduced{20000, {256, 128}, 8, 5, 6, 3, 2000, 20000, 20};
const Budget kFull{60000, {}, 10, 10, 10, 5, 3000, 60000, 30};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A method's name in picture titles, and the shorter one of the reconstruction rows
std::string title_of(const std::string& m) {
    const std::map<std::string, std::string> t = {{"pca", "PCA"}, {"lda", "LDA"}, {"dct", "DCT"}, {"isomap", "Isomap"}, {"lle", "LLE"},
                                                  {"ae", "autoencoder"}, {"vae", "VAE (means)"}, {"dbn", "DBN autoencoder"}};
    return t.count(m) ? t.at(m) : m;
}
std::string row_label(const std::string& m) {
    const std::map<std::string, std::string> t = {{"pca", "PCA"}, {"dct", "DCT"}, {"ae", "AE"}, {"vae", "VAE mean"}, {"dbn", "DBN"}};
    return (t.count(m) ? t.at(m) : m) + " K=30";
}

// The Ks a method runs at, and for the others of {2, 10, 30} the reason it does not.
std::vector<int> ks_for(const std::string& m) {
    if (m == "lda") return {2, 9};
    if (m == "isomap" || m == "lle") return {2, 10};
    return {2, 10, 30};
}
std::string skip_reason(const std::string& m) {
    if (m == "lda") return "LDA: at most 9 components (classes - 1)";
    return m + ": run at K = 2 and 10 only (an n x n problem on a subsample; docs/manifold-methods.md)";
}

// Σ (a - b)^2 over all values, in double
double squared_error(const Tensor& a, const Tensor& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return s;
}

// The first test image of each class, in class order: the originals of the reconstruction grid
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

std::string fmt(double v, const char* f) {
    if (std::isnan(v)) return "-";
    char b[32];
    snprintf(b, sizeof b, f, v);
    return b;
}

std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) o += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    return o;
}

// ----------------------------------------------------------------------------------------------
// The commentary: which method wins each metric at each K, and by how much, from the numbers alone.

// The K a row is compared at: LDA's 9 stands beside the others' 10.
int group_of(const Cell& c) { return c.K == 9 ? 10 : c.K; }

struct Metric {
    const char* title;
    double Cell::*field;
    bool lower_better;
    bool percent;
};
const Metric kMetrics[] = {
    {"reconstruction (squared error per image)", &Cell::se_image, true, false},
    {"linear probe", &Cell::probe, false, true},
    {"5-NN", &Cell::knn, false, true},
};

std::string label(const Cell& c) { return c.method + (c.K != group_of(c) ? " (K = " + std::to_string(c.K) + ")" : ""); }
std::string value(const Metric& m, double v) { return m.percent ? fmt(100 * v, "%.1f%%") : fmt(v, "%.2f"); }

// "a beats b": by a factor for errors, by points for accuracies
std::string margin(const Metric& m, const Cell& a, const Cell& b) {
    const double x = a.*m.field, y = b.*m.field;
    const bool level = m.percent ? fmt(100 * (x - y), "%.1f") == "0.0" : fmt(y / x, "%.2f") == "1.00";
    if (level) return "level with " + label(b) + " (" + value(m, y) + ")";
    return (m.percent ? fmt(100 * (x - y), "%.1f") + " points above " : fmt(y / x, "%.2f") + "x lower than ") + label(b) + " (" + value(m, y) + ")";
}

struct Commentary {
    std::string bar;                                                      // the AE/PCA sentence at K = 30
    std::vector<std::pair<std::string, std::vector<std::string>>> by_k;   // "K = 2" -> one sentence per metric
    std::vector<std::string> cost;                                        // fit and encode times
};

Commentary commentary(const std::vector<Cell>& cells) {
    Commentary out;
    for (int group : {2, 10, 30}) {
        std::vector<std::string> lines;
        for (const Metric& m : kMetrics) {
            std::vector<const Cell*> v;  // the cells of this K with the metric, best first
            for (const Cell& c : cells)
                if (group_of(c) == group && !std::isnan(c.*m.field)) v.push_back(&c);
            if (v.size() < 2) continue;
            std::stable_sort(v.begin(), v.end(), [&m](const Cell* a, const Cell* b) {
                return m.lower_better ? a->*m.field < b->*m.field : a->*m.field > b->*m.field;
            });
            std::string s = std::string(m.title) + ": " + label(*v[0]) + " wins with " + value(m, v[0]->*m.field) + ", " + margin(m, *v[0], *v[1]);
            if (margin(m, *v[0], *v[1]).rfind("level", 0) == 0)  // no winner at this precision
                s = std::string(m.title) + ": " + label(*v[0]) + " (" + value(m, v[0]->*m.field) + ") is " + margin(m, *v[0], *v[1]);
            for (const Cell* c : v)  // the deep-vs-linear question: always say where PCA stands
                if (c->method == "pca" && c != v[0] && c != v[1]) s += " and " + margin(m, *v[0], *c);
            s += "; last " + label(*v.back()) + " (" + value(m, v.back()->*m.field) + ").";
            lines.push_back(s);
        }
        if (!lines.empty()) out.by_k.push_back({"K = " + std::to_string(group), lines});
    }
    const Cell *ae = nullptr, *pca = nullptr;
    for (const Cell& c : cells)
        if (c.K == 30 && !std::isnan(c.se_image)) {
            if (c.method == "ae") ae = &c;
            if (c.method == "pca") pca = &c;
        }
    if (ae && pca)
        out.bar = "The bar: at K = 30 the autoencoder's test squared error per image is " + fmt(ae->se_image, "%.2f") + " against PCA's " +
                  fmt(pca->se_image, "%.2f") + ": PCA's error is " + fmt(pca->se_image / ae->se_image, "%.2f") + " times the autoencoder's" +
                  (ae->se_image < pca->se_image ? ", so the autoencoder wins." : ", so PCA wins at this budget; try --full.") +
                  " (Hinton & Salakhutdinov 2006 saw 4.6x on MNIST, with a deeper net trained much longer.)";
    std::vector<std::string> seen;  // per method: the range of its fit and encode times over its Ks
    for (const Cell& c : cells) {
        if (std::isnan(c.fit_s) || std::find(seen.begin(), seen.end(), c.method) != seen.end()) continue;
        seen.push_back(c.method);
        double f0 = 1e300, f1 = 0, e0 = 1e300, e1 = 0;
        for (const Cell& d : cells)
            if (d.method == c.method && !std::isnan(d.fit_s))
                f0 = std::min(f0, d.fit_s), f1 = std::max(f1, d.fit_s), e0 = std::min(e0, d.encode_s), e1 = std::max(e1, d.encode_s);
        auto range = [](double lo, double hi, const char* f) { return fmt(lo, f) + (fmt(hi, f) != fmt(lo, f) ? "-" + fmt(hi, f) : ""); };
        out.cost.push_back(c.method + " fits in " + range(f0, f1, f0 < 1 ? "%.2f" : "%.1f") + " s and encodes the test set in " + range(e0, e1, "%.2f") + " s");
    }
    return out;
}

// ----------------------------------------------------------------------------------------------
// Output: the printed table and commentary, results.csv, index.html

void print_report(const std::vector<Cell>& cells, const Commentary& com) {
    printf("\n%-7s %3s %9s %9s %10s %9s %7s %7s  %s\n", "method", "K", "fit s", "encode s", "mse/pixel", "se/image", "probe", "5-NN", "note");
    for (size_t i = 0; i < cells.size(); i++) {
        const Cell& c = cells[i];
        if (i && group_of(c) != group_of(cells[i - 1])) printf("\n");
        printf("%-7s %3d %9s %9s %10s %9s %7s %7s  %s\n", c.method.c_str(), c.K, fmt(c.fit_s, "%.2f").c_str(), fmt(c.encode_s, "%.3f").c_str(),
               fmt(c.mse_pixel, "%.5f").c_str(), fmt(c.se_image, "%.2f").c_str(), fmt(100 * c.probe, "%.1f%%").c_str(),
               fmt(100 * c.knn, "%.1f%%").c_str(), c.note.c_str());
    }
    for (const auto& k : com.by_k) {
        printf("\n%s\n", k.first.c_str());
        for (const std::string& l : k.second) printf("  - %s\n", l.c_str());
    }
    if (!com.bar.empty()) printf("\n%s\n", com.bar.c_str());
}

void write_csv(const std::string& path, const std::vector<Cell>& cells) {
    std::string s = "method,K,fit_seconds,encode_seconds,mse_per_pixel,squared_error_per_image,probe_accuracy,knn5_accuracy,note\n";
    auto num = [](double v) { return std::isnan(v) ? std::string() : fmt(v, "%.6g"); };
    for (const Cell& c : cells)
        s += c.method + "," + std::to_string(c.K) + "," + num(c.fit_s) + "," + num(c.encode_s) + "," + num(c.mse_pixel) + "," +
             num(c.se_image) + "," + num(c.probe) + "," + num(c.knn) + ",\"" + c.note + "\"\n";
    write_file_atomic(path, s);
}

void write_html(const std::string& path, const std::vector<Cell>& cells, const Commentary& com,
                const std::vector<std::string>& scatters, bool have_recon, const std::string& setup) {
    // the best value of a metric among the rows compared at the same K, shown in bold
    auto best = [&cells](const Cell& c, double Cell::*f, bool lower) {
        for (const Cell& o : cells)
            if (group_of(o) == group_of(c) && !std::isnan(o.*f) && (lower ? o.*f < c.*f : o.*f > c.*f)) return false;
        return true;
    };
    std::string h =
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>tapegrad: deep vs linear dimensionality reduction</title>\n"
        "<style>body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222;line-height:1.4}table{border-collapse:collapse}"
        "td,th{padding:3px 9px;border-bottom:1px solid #ddd;text-align:right}td.l,th.l{text-align:left}td.n{text-align:left;color:#777;font-size:90%}"
        "tr.sep td{border-top:2px solid #888}img{max-width:100%;border:1px solid #ccc}li{margin:.25em 0}p.bar{font-size:110%;background:#f3f3f3;padding:.6em}"
        "</style></head><body>\n<h1>Deep vs linear dimensionality reduction on Fashion-MNIST</h1>\n<p>Each method compresses every "
        "28 x 28 image to K numbers. Everything below is measured on the 10000 test images; the methods were fitted on the training "
        "images only. " + html_escape(setup) + " How it is measured and how to read it: <code>docs/compare.md</code>. The numbers: "
        "<a href=\"results.csv\">results.csv</a>.</p>\n";
    if (!com.bar.empty()) h += "<p class=bar>" + html_escape(com.bar) + "</p>\n";
    h += "<h2>What the numbers say</h2>\n";
    for (const auto& k : com.by_k) {
        h += "<h3>" + k.first + "</h3>\n<ul>\n";
        for (const std::string& l : k.second) h += "<li>" + html_escape(l) + "</li>\n";
        h += "</ul>\n";
    }
    if (!com.cost.empty()) {
        h += "<h3>Cost</h3>\n<p>";
        for (size_t i = 0; i < com.cost.size(); i++) h += html_escape(com.cost[i]) + (i + 1 < com.cost.size() ? "; " : ".");
        h += " Deep models pay for training once and then encode as fast as the linear maps; Isomap and LLE compare every new "
             "image with the images they were fitted on.</p>\n";
    }
    h += "<h2>The table</h2>\n<p><b>sq. error / image</b> = Σ over the 784 pixels of (x − x̂)², pixels in [0, 1]; <b>mse / pixel</b> = the "
         "same divided by 784; <b>linear probe</b> = softmax regression trained on the training codes, accuracy on the test codes; "
         "<b>5-NN</b> = the majority class of the 5 nearest training codes. <b>Bold</b>: the best at that K. A dash: does not apply "
         "(the note says why).</p>\n<table>\n"
         "<tr><th class=l>method</th><th>K</th><th>fit (s)</th><th>encode test (s)</th><th>mse / pixel</th><th>sq. error / image</th>"
         "<th>linear probe</th><th>5-NN</th><th class=l>note</th></tr>\n";
    for (size_t i = 0; i < cells.size(); i++) {
        const Cell& c = cells[i];
        auto td = [&](double v, const std::string& text, double Cell::*f, bool lower) {
            const bool b = f && !std::isnan(v) && best(c, f, lower);
            return "<td>" + std::string(b ? "<b>" : "") + text + (b ? "</b>" : "") + "</td>";
        };
        h += std::string(i == 0 || group_of(c) != group_of(cells[i - 1]) ? "<tr class=sep>" : "<tr>") + "<td class=l>" + c.method +
             "</td><td>" + std::to_string(c.K) + "</td>" + td(c.fit_s, fmt(c.fit_s, "%.2f"), nullptr, true) +
             td(c.encode_s, fmt(c.encode_s, "%.3f"), nullptr, true) + td(c.mse_pixel, fmt(c.mse_pixel, "%.5f"), &Cell::mse_pixel, true) +
             td(c.se_image, fmt(c.se_image, "%.2f"), &Cell::se_image, true) + td(c.probe, fmt(100 * c.probe, "%.1f%%"), &Cell::probe, false) +
             td(c.knn, fmt(100 * c.knn, "%.1f%%"), &Cell::knn, false) + "<td class=n>" + html_escape(c.note) + "</td></tr>\n";
    }
    h += "</table>\n";
    if (!scatters.empty()) {
        h += "<h2>Two numbers per image (K = 2)</h2>\n<p>The test images' codes, coloured by class. Classes that form separate clouds "
             "are what the 5-NN column rewards; overlapping clouds are what it punishes.</p>\n<img src=\"scatter_all.png\">\n<p>One "
             "method per picture: ";
        for (const std::string& s : scatters) h += "<a href=\"" + s + "\">" + s + "</a> ";
        h += "</p>\n";
    }
    if (have_recon)
        h += "<h2>Reconstructions at K = 30</h2>\n<p>Top row: the first test image of each class. Below it, each method's "
             "reconstruction from 30 numbers (the methods with a decoder).</p>\n<img src=\"recon_k30.png\">\n";
    h += "</body></html>\n";
    write_file_atomic(path, h);
}

}  // namespace

// ----------------------------------------------------------------------------------------------
int main(int argc, char** argv) try {
    std::string data, out = "out/compare", methods_flag;
    int64_t seed = 1;
    int threads = 1, train_limit = 0, epochs = 0;
    bool full = false;
    Cli cli("compare", "Fit every dimensionality-reduction method on Fashion-MNIST at K = 2, 10, 30 and compare them on the test set.");
    cli.add("data", &data, "directory of idx files (default: $TAPEGRAD_DATA, else /usr/share/datasets/fashion-mnist)");
    cli.add("full", &full, "full size: all 60000 training images and full training (reduced: 20000 images, short training)");
    cli.add("methods", &methods_flag, "comma-separated subset of " + reducer_names_text() + " (default: all)");
    cli.add("seed", &seed, "random seed of every fit and probe: same seed and threads give the same table", 0, (int64_t)1 << 53);
    cli.add("threads", &threads, "threads: the matrix products, the optimizer and the largest elementwise loops are split over them", 1, 256);
    cli.add("out", &out, "output directory for results.csv, the PNGs and index.html");
    cli.add("train-limit", &train_limit, "override the number of training images (0 = the mode's: 20000 reduced, 60000 full)", 0, 1 << 30);
    cli.add("epochs", &epochs, "override the deep methods' epochs (0 = the mode's: ae 8, vae 5, dbn 6 reduced; 10 full)", 0, 100000);
    if (!cli.parse(argc, argv)) return 0;

    Budget budget = full ? kFull : kReduced;
    if (train_limit) budget.train = train_limit;
    if (epochs) budget.ae_epochs = budget.vae_epochs = budget.dbn_epochs = epochs;
    std::vector<std::string> methods;
    for (size_t p = 0; p <= methods_flag.size() && !methods_flag.empty();) {
        size_t q = methods_flag.find(',', p);
        if (q == std::string::npos) q = methods_flag.size();
        methods.push_back(methods_flag.substr(p, q - p));
        make_reducer(methods.back());  // an unknown name fails here, listing the valid ones
        p = q + 1;
    }
    if (methods.empty()) methods = reducer_names();
    start_run(threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(out);

    CommonFlags f;
    f.data = data;
    f.train_limit = budget.train;
    TrainTest d = load_train_test(f);
    const Dataset &train = d.train, &test = d.test;
    const int H = test.height, W = test.width, C = std::max(train.classes, test.classes);
    const Dataset reference = train.subset(budget.knn_reference);
    const Tensor shown = one_per_class(test, C);
    const std::vector<std::string> names = class_names_for(test);

    // The deep methods' settings, the same at every K. Adam 2e-3 with batch 64 for the autoencoder: in the
    // reduced budget it needs the extra steps to get past PCA (docs/compare.md, "tuning").
    ReducerOptions opt;
    opt.pretrain_epochs = budget.pretrain_epochs;
    opt.subsample = budget.subsample;
    auto arch = [&budget](const char* def) {  // "784-256-128-K"
        std::string a = "784";
        if (budget.hidden.empty()) return a + "-" + def + "-K";
        for (int h : budget.hidden) a += "-" + std::to_string(h);
        return a + "-K";
    };
    const std::string setup =
        std::string(full ? "Full size" : "Reduced size (build/compare --full for full size)") + ": " + std::to_string(train.size()) +
        " training images; autoencoder " + arch("512-256") + " (ReLU, BCE, Adam 2e-3, batch 64, " + std::to_string(budget.ae_epochs) +
        " epochs), VAE 784-400-K (Adam 1e-3, batch 128, " + std::to_string(budget.vae_epochs) + " epochs), DBN autoencoder " +
        arch("500-250") + " (" + std::to_string(budget.pretrain_epochs) + " CD-1 epochs per RBM, then " + std::to_string(budget.dbn_epochs) +
        " epochs of Adam 1e-3, batch 128); Isomap/LLE fitted on " + std::to_string(std::min(budget.subsample, train.size())) +
        " images; 5-NN among " + std::to_string(reference.size()) + " train codes; seed " + std::to_string(seed) + ", " +
        std::to_string(threads) + " thread(s).";
    printf("%s\n", setup.c_str());

    std::vector<Cell> cells;
    std::vector<std::pair<std::string, Tensor>> scatter_codes, recon_rows = {{"original", shown}};
    const auto t_all = std::chrono::steady_clock::now();
    for (const std::string& m : methods) {
        const int mi = (int)(std::find(reducer_names().begin(), reducer_names().end(), m) - reducer_names().begin());
        ReducerOptions o = opt;
        if (m == "ae" || m == "dbn") o.hidden = budget.hidden;
        if (m == "ae") o.lr = 2e-3, o.batch = 64;
        o.epochs = m == "ae" ? budget.ae_epochs : m == "vae" ? budget.vae_epochs : budget.dbn_epochs;
        for (int K : {2, 9, 10, 30}) {
            const std::vector<int> ks = ks_for(m);
            const bool runs = std::find(ks.begin(), ks.end(), K) != ks.end();
            if (!runs && (K == 9 || (K == 10 && m == "lda"))) continue;  // LDA's K = 9 row stands in for 10
            Cell c;
            c.method = m, c.K = K;
            if (!runs) {
                c.note = skip_reason(m);
                cells.push_back(c);
                continue;
            }
            printf("%s at K = %d: fitting...\n", m.c_str(), K);
            fflush(stdout);
            Rng rng((uint64_t)seed * 1000003 + (uint64_t)mi * 101 + (uint64_t)K);  // per cell: a subset of methods gives the same numbers
            std::unique_ptr<Reducer> r = make_reducer(m, o);
            check_fit(m, train, K, o);
            auto t0 = std::chrono::steady_clock::now();
            r->fit(train, K, rng);
            c.fit_s = seconds_since(t0);
            t0 = std::chrono::steady_clock::now();
            const Tensor z_test = encode_rows(*r, test.x);  // (10000, K)
            c.encode_s = seconds_since(t0);
            t0 = std::chrono::steady_clock::now();
            const Tensor z_train = encode_rows(*r, train.x);  // (N, K): what the probe and the 5-NN learn from
            if (r->has_decoder()) {
                const double se = squared_error(decode_rows(*r, z_test), test.x);
                c.se_image = se / test.size();
                c.mse_pixel = se / ((double)test.size() * test.dim());
                if (K == 30) recon_rows.push_back({row_label(m), r->decode(r->encode(shown))});
            } else {
                c.note = "no decoder: reconstruction does not apply";
            }
            if (K == 9) c.note = "LDA: at most 9 components (classes - 1), so 9 for 10; " + c.note;
            ProbeOptions po;
            po.epochs = budget.probe_epochs;
            po.seed = rng.next_u64();
            c.probe = linear_probe(z_train, train.y, z_test, test.y, C, po);
            c.knn = knn_accuracy(z_train.first_slice(0, reference.size()), reference.y, z_test, test.y, 5);
            const double eval_s = seconds_since(t0);
            if (K == 2) {
                write_latent_scatter(out + "/scatter_" + m + ".png", z_test, test.y, names, title_of(m) + ": test codes at K = 2");
                scatter_codes.push_back({m, z_test});
            }
            printf("    fit %.2f s, encode %.3f s, se/image %s, probe %s, 5-NN %s (probe and 5-NN %.1f s)\n", c.fit_s, c.encode_s,
                   fmt(c.se_image, "%.2f").c_str(), fmt(100 * c.probe, "%.1f%%").c_str(), fmt(100 * c.knn, "%.1f%%").c_str(), eval_s);
            cells.push_back(c);
        }
    }

    // the pictures: one panel per method at K = 2, and the reconstruction grid at K = 30
    std::vector<std::string> scatter_files;
    if (!scatter_codes.empty()) {
        Figure fig;
        fig.title = "Fashion-MNIST test set at K = 2, by method";
        fig.cols = std::min(4, (int)scatter_codes.size());
        for (const auto& sc : scatter_codes) {
            ScatterPlot p;
            p.title = title_of(sc.first);
            p.class_names = names;
            p.add(sc.second, test.y);
            fig.add(p.render(560, 420));
            scatter_files.push_back("scatter_" + sc.first + ".png");
        }
        fig.write(out + "/scatter_all.png");
    }
    if (recon_rows.size() > 1) write_image_rows(out + "/recon_k30.png", recon_rows, H, W, false, 3);

    // the table by K (the question is "which method wins at which K"), methods in their usual order within each
    std::stable_sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return group_of(a) < group_of(b); });
    const Commentary com = commentary(cells);
    print_report(cells, com);
    write_csv(out + "/results.csv", cells);
    write_html(out + "/index.html", cells, com, scatter_files, recon_rows.size() > 1, setup);
    printf("\ncompare took %s; wrote %s/{results.csv,index.html%s%s}\n", format_duration(seconds_since(t_all)).c_str(), out.c_str(),
           scatter_files.empty() ? "" : ",scatter_all.png,scatter_<method>.png", recon_rows.size() > 1 ? ",recon_k30.png" : "");
    printf("report: %s/index.html\n", out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
