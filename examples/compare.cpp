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
#include <cstdio>

#include "io/figures.h"
#include "io/report.h"
#include "models/comparison.h"
#include "models/registry.h"
#include "run/flags.h"
#include "run/progress.h"
#include "run/training.h"

using namespace tg;

namespace {

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
    std::vector<std::string> methods = methods_flag.empty() ? reducer_names() : parse_reducer_names(methods_flag, "--methods");
    start_run(threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(out);

    CommonFlags f;
    f.data = data;
    f.train_limit = budget.train;
    TrainTest d = load_train_test(f);
    const Dataset &train = d.train, &test = d.test;
    const Dataset reference = train.subset(budget.knn_reference);
    const Tensor shown = one_per_class(test, std::max(train.classes, test.classes));  // the reconstruction grid's originals
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
    auto n = [](int v) { return std::to_string(v); };
    const std::string setup =
        std::string(full ? "Full size" : "Reduced size (build/compare --full for full size)") + ": " + n(train.size()) +
        " training images; autoencoder " + arch("512-256") + " (ReLU, BCE, Adam 2e-3, batch 64, " + n(budget.ae_epochs) +
        " epochs), VAE 784-400-K (Adam 1e-3, batch 128, " + n(budget.vae_epochs) + " epochs), DBN autoencoder " + arch("500-250") +
        " (" + n(budget.pretrain_epochs) + " CD-1 epochs per RBM, then " + n(budget.dbn_epochs) + " epochs of Adam 1e-3, batch 128); " +
        "Isomap/LLE fitted on " + n(std::min(budget.subsample, train.size())) + " images; 5-NN among " + n(reference.size()) +
        " train codes; seed " + std::to_string(seed) + ", " + n(threads) + " thread(s).";
    printf("%s\n", setup.c_str());

    // Every method at every K of its row (models/comparison.h), measured on the test set
    std::vector<ReportRow> rows;
    std::vector<std::pair<std::string, Tensor>> scatters, recon_rows = {{"original", shown}};
    std::vector<std::string> scatter_files;
    const auto t_all = std::chrono::steady_clock::now();
    for (const std::string& m : methods) {
        const ComparedMethod method = compared_method(m);
        const int mi = (int)(std::find(reducer_names().begin(), reducer_names().end(), m) - reducer_names().begin());
        ReducerOptions o = opt;
        if (m == "ae" || m == "dbn") o.hidden = budget.hidden;
        if (m == "ae") o.lr = 2e-3, o.batch = 64;
        o.epochs = m == "ae" ? budget.ae_epochs : m == "vae" ? budget.vae_epochs : budget.dbn_epochs;
        for (int K : table_ks(method)) {
            if (!runs_at(method, K)) {
                rows.push_back({m, K, method.skip_reason});
                continue;
            }
            printf("%s at K = %d: fitting...\n", m.c_str(), K);
            fflush(stdout);
            Rng rng((uint64_t)seed * 1000003 + (uint64_t)mi * 101 + (uint64_t)K);  // per cell: a subset of methods gives the same numbers
            std::unique_ptr<Reducer> r = make_reducer(m, o);
            check_fit(m, train, K, o);
            Measurement got = measure_reducer(*r, train, test, reference, K, budget.probe_epochs, rng);
            ReportRow& c = got.row;
            if (K == 9) c.note = "LDA: at most 9 components (classes - 1), so 9 for 10; " + c.note;
            if (K == 30 && r->has_decoder()) recon_rows.push_back({method.short_name + " K=30", r->decode(r->encode(shown))});
            if (K == 2) {
                write_latent_scatter(out + "/scatter_" + m + ".png", got.test_codes, test.y, names, method.title + ": test codes at K = 2");
                scatters.push_back({method.title, got.test_codes});
                scatter_files.push_back("scatter_" + m + ".png");
            }
            printf("    fit %.2f s, encode %.3f s, se/image %s, probe %s, 5-NN %s (probe and 5-NN %.1f s)\n", c.fit_s, c.encode_s,
                   fmt_or_dash(c.se_image, "%.2f").c_str(), fmt_or_dash(100 * c.probe, "%.1f%%").c_str(),
                   fmt_or_dash(100 * c.knn, "%.1f%%").c_str(), got.eval_s);
            rows.push_back(c);
        }
    }

    // the pictures (one panel per method at K = 2, the reconstruction grid at K = 30), then the report by K:
    // the question is "which method wins at which K", methods in their usual order within each
    if (!scatters.empty()) write_scatter_panels(out + "/scatter_all.png", "Fashion-MNIST test set at K = 2, by method", scatters, test.y, names);
    if (recon_rows.size() > 1) write_image_rows(out + "/recon_k30.png", recon_rows, test.height, test.width, false, 3);
    std::stable_sort(rows.begin(), rows.end(), [](const ReportRow& a, const ReportRow& b) { return report_group(a) < report_group(b); });
    const Commentary com = commentary(rows);
    print_report(rows, com);
    write_results_csv(out + "/results.csv", rows);
    write_report_html(out + "/index.html", rows, com, scatter_files, recon_rows.size() > 1, setup);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
    printf("\ncompare took %s; wrote %s/{results.csv,index.html%s%s}\n", format_duration(took).c_str(), out.c_str(),
           scatter_files.empty() ? "" : ",scatter_all.png,scatter_<method>.png", recon_rows.size() > 1 ? ",recon_k30.png" : "");
    printf("report: %s/index.html\n", out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
