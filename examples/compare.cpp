// compare.cpp — the question tapegrad exists to answer: when does a deep model beat a linear one at
// compressing images and extracting features, and by how much? Every method of models/registry.h is fitted
// on Fashion-MNIST's training images at K = 2, 10 and 30 numbers per image (LDA at 2 and 9, its maximum;
// Isomap and LLE at 2 and 10 on a subsample, the test set mapped by their out-of-sample rules) and measured
// on the TEST set: reconstruction error (where there is a decoder), a linear probe and 5-NN accuracy on the
// codes, fit and encode time. How it is measured and how to read it: docs/compare.md
//   build/compare                          # reduced: 20000 training images, short training (a few minutes)
//   build/compare --full                   # all 60000 images, the models' full training budgets
//   build/compare --methods pca,ae --out out/cmp-small
//   build/compare --train my_images/ --test-split 0.2 --dims 2,10   # your own data: image folder, CSV or idx directory
// Writes <out>/results.csv, scatter_<method>.png (K = 2), scatter_all.png, recon_k<K>.png (the largest K), index.html.
// t-SNE (K = 2 only) has no map for new rows: it embeds the first test rows themselves, and its probe and 5-NN
// learn on the even rows of that picture and are scored on the odd ones.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "data/labels.h"
#include "io/feature_plot.h"
#include "io/figures.h"
#include "io/load_any.h"
#include "io/png.h"
#include "io/report.h"
#include "models/probe.h"
#include "models/sizes.h"
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

// --train/--test (your own data): the test set is --test, an idx directory's t10k split, or a seeded share of --train
TrainTest load_own(const std::string& train_path, const std::string& test_path, double test_split, DataOptions o, uint64_t seed) {
    Dataset all = load_any(train_path, o, "--train");
    if (all.class_names.empty()) check_label_gaps(all.y, train_path);  // data/labels.h
    o.test_split = true;  // an idx directory: its t10k split
    TrainTest d;
    if (!test_path.empty()) d = {all, load_any(test_path, o, "--test")};
    else if (is_idx_dir(train_path)) d = {all, load_any(train_path, o, "--train")};
    else {
        Split s = train_test_split(all, test_split, seed);
        d = {s.train, s.test};
    }
    if (!test_path.empty()) check_labels_seen(d.test.y, test_path, d.train.y, train_path);
    if (d.test.dim() != d.train.dim())
        throw input_error("--test: " + test_path + " has " + std::to_string(d.test.dim()) + " values per row, --train " + std::to_string(d.train.dim()) +
                          "; pass test rows with the same columns (or images of the same size: --size HxW)");
    return d;
}

// Up to n rows to show reconstructed: the first test row of each class when there are labels, else the first rows
Tensor shown_rows(const Dataset& test, int n) {
    if (test.has_labels()) return one_per_class(test, std::min(n, std::max(1, test.classes)));
    return test.x.first_slice(0, std::min(n, test.size()));
}

// The reconstruction picture: image rows (grey or RGB) when the rows are images, feature by feature otherwise
void write_recon(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, const Dataset& test) {
    if (!test.is_image()) return write_feature_rows(path, rows);
    if (test.channels == 1) return write_image_rows(path, rows, test.height, test.width, false, test.height <= 32 ? 3 : 1);
    const int n = rows[0].second.rows(), D = test.dim();
    Tensor all(Shape{(int)rows.size() * n, D});
    GridOptions g;
    g.cols = n;
    g.scale = test.height <= 32 ? 3 : 1;
    for (size_t r = 0; r < rows.size(); r++) {
        std::copy(rows[r].second.data.begin(), rows[r].second.data.end(), all.data.begin() + (ptrdiff_t)(r * n * D));
        g.row_labels.push_back(rows[r].first);
    }
    write_image_grid(path, all, test.height, test.width, test.channels, g);
}

// t-SNE at K = 2 on the first `n` test rows (it has no map for new rows); the probe and the 5-NN learn on the
// even rows of the picture and are scored on the odd rows.
Measurement measure_tsne(const Dataset& test, int n, const ReducerOptions& o, int probe_epochs, Rng& rng) {
    const Dataset part = test.subset(n);
    Measurement m;
    m.row = {"tsne", 2, "embeds the first " + std::to_string(part.size()) + " test rows (no map for new rows); probe and 5-NN: even rows -> odd rows"};
    std::unique_ptr<Reducer> r = make_reducer("tsne", o);
    check_fit("tsne", part, 2, o);
    const auto t0 = std::chrono::steady_clock::now();
    r->fit(part, 2, rng);
    m.row.fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.test_codes = r->encode(part.x);  // (n, 2)
    if (part.has_labels() && part.size() >= 10) {  // even rows learn, odd rows are scored (files are often sorted by class)
        std::vector<int> even, odd;
        for (int i = 0; i < part.size(); i++) (i % 2 ? odd : even).push_back(i);
        Dataset codes = part;
        codes.x = m.test_codes;
        const Dataset da = codes.rows(even), db = codes.rows(odd);
        const Tensor &a = da.x, &b = db.x;
        const std::vector<int> &ya = da.y, &yb = db.y;
        ProbeOptions po;
        po.epochs = probe_epochs;
        po.seed = rng.next_u64();
        m.row.probe = linear_probe(a, ya, b, yb, std::max(1, test.classes), po);
        m.row.knn = knn_accuracy(a, ya, b, yb, 5);
    }
    return m;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
int main(int argc, char** argv) try {
    std::string data, out = "out/compare", methods_flag, train_path, test_path, dims_flag = "2,10,30", label = "auto", size;
    double test_split = 0.2;
    DataOptions data_opt;
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
    cli.add("train", &train_path, "your own data instead of --data: an image folder (DIR/<class>/*.png), a CSV or an idx directory");
    cli.add("test", &test_path, "the rows to measure on (default: a seeded --test-split share of --train; an idx directory: its t10k)");
    cli.add("test-split", &test_split, "the share of --train held out for measuring when there is no --test", 0.01, 0.99);
    cli.add("dims", &dims_flag, "the code sizes K to compare, comma-separated (t-SNE runs at 2 only)");
    cli.add("label", &label, "CSV label column: auto (a header cell named label/class/target), none, first, last, or a 0-based index");
    cli.add("channels", &data_opt.image.channels, "image folders: 1 (grayscale) or 3 (RGB)", 1, 3);
    cli.add("size", &size, "image folders: resize every image to HxW, e.g. 28x28 (default: the first image's size)");
    cli.add("skip-bad", &data_opt.image.skip_bad, "image folders: skip unreadable or odd-sized images (counted) instead of stopping");
    if (!cli.parse(argc, argv)) return 0;

    Budget budget = full ? kFull : kReduced;
    if (train_limit) budget.train = train_limit;
    if (epochs) budget.ae_epochs = budget.vae_epochs = budget.dbn_epochs = epochs;
    std::vector<std::string> methods = methods_flag.empty() ? all_method_names() : parse_reducer_names(methods_flag, "--methods");
    const std::vector<int> dims = parse_sizes(dims_flag, "--dims");
    const bool default_dims = dims == std::vector<int>{2, 10, 30};
    const int recon_K = *std::max_element(dims.begin(), dims.end());
    data_opt.label_column = parse_label_flag(label);
    if (data_opt.image.channels == 2) throw input_error("--channels: 2 is not 1 (grayscale) or 3 (RGB)");
    if (!size.empty()) parse_size(size, data_opt.image.height, data_opt.image.width);
    const bool own = !train_path.empty();
    if (own && !data.empty()) throw input_error("--data and --train: pass one (--train FILE_OR_DIR is your own data, --data the idx directory)");
    start_run(threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(out);

    CommonFlags f;
    f.data = data;
    f.train_limit = budget.train;
    TrainTest d = own ? load_own(train_path, test_path, test_split, data_opt, (uint64_t)seed) : load_train_test(f);
    if (own) {
        d.train = d.train.subset(budget.train);
        printf("data: %d train, %d test rows of %d values%s from %s%s\n", d.train.size(), d.test.size(), d.train.dim(),
               d.train.is_image() ? (" (" + std::to_string(d.train.height) + "x" + std::to_string(d.train.width) + " images)").c_str() : "",
               train_path.c_str(), d.train.has_labels() ? (", " + std::to_string(d.train.classes) + " classes").c_str() : ", no labels");
    }
    const Dataset &train = d.train, &test = d.test;
    const Dataset reference = train.subset(budget.knn_reference);
    const Tensor shown = own ? shown_rows(test, test.is_image() ? 10 : 3) : one_per_class(test, std::max(train.classes, test.classes));  // the reconstructions' originals
    const std::vector<std::string> names = class_names_for(test);

    // The deep methods' settings, the same at every K. Adam 2e-3 with batch 64 for the autoencoder: in the
    // reduced budget it needs the extra steps to get past PCA (docs/compare.md, "tuning").
    ReducerOptions opt;
    opt.pretrain_epochs = budget.pretrain_epochs;
    opt.subsample = budget.subsample;
    auto arch = [&budget, &train](const char* def) {  // "784-256-128-K"
        std::string a = std::to_string(train.dim());
        if (budget.hidden.empty()) return a + "-" + def + "-K";
        for (int h : budget.hidden) a += "-" + std::to_string(h);
        return a + "-K";
    };
    auto n = [](int v) { return std::to_string(v); };
    const std::string setup =
        std::string(full ? "Full size" : "Reduced size (build/compare --full for full size)") + ": " + n(train.size()) +
        (own ? " training rows of " + train_path + ", " + n(test.size()) + " test rows" : " training images") + "; autoencoder " + arch("512-256") + " (ReLU, BCE, Adam 2e-3, batch 64, " + n(budget.ae_epochs) +
        " epochs), VAE " + n(train.dim()) + "-400-K (Adam 1e-3, batch 128, " + n(budget.vae_epochs) + " epochs), DBN autoencoder " + arch("500-250") +
        " (" + n(budget.pretrain_epochs) + " CD-1 epochs per RBM, then " + n(budget.dbn_epochs) + " epochs of Adam 1e-3, batch 128); " +
        "Isomap/LLE fitted on " + n(std::min(budget.subsample, train.size())) + " rows; t-SNE on " + n(std::min(budget.subsample, test.size())) +
        " test rows; 5-NN among " + n(reference.size()) +
        " train codes; seed " + std::to_string(seed) + ", " + n(threads) + " thread(s).";
    printf("%s\n", setup.c_str());

    // Every method at every K of its row (models/comparison.h), measured on the test set
    std::vector<ReportRow> rows;
    std::vector<std::pair<std::string, Tensor>> scatters, recon_rows = {{"original", shown}};
    std::vector<std::string> scatter_files;
    const auto t_all = std::chrono::steady_clock::now();
    for (const std::string& m : methods) {
        const ComparedMethod method = compared_method(m);
        if (m == "tsne") {  // a picture of the test rows at K = 2 (no map for new rows)
            if (std::find(dims.begin(), dims.end(), 2) == dims.end()) continue;
            printf("tsne at K = 2: fitting...\n");
            fflush(stdout);
            Rng rng((uint64_t)seed * 1000003 + 8 * 101 + 2);
            Measurement got = measure_tsne(test, std::min(budget.subsample, test.size()), opt, budget.probe_epochs, rng);
            write_latent_scatter(out + "/scatter_tsne.png", got.test_codes, test.subset(got.test_codes.rows()).y, names, "t-SNE: test rows at K = 2");
            scatters.push_back({"t-SNE", got.test_codes});
            scatter_files.push_back("scatter_tsne.png");
            printf("    fit %.2f s, probe %s, 5-NN %s\n", got.row.fit_s, fmt_or_dash(100 * got.row.probe, "%.1f%%").c_str(),
                   fmt_or_dash(100 * got.row.knn, "%.1f%%").c_str());
            rows.push_back(got.row);
            continue;
        }
        if (m == "lda" && !train.has_labels()) {  // supervised: steps aside on unlabelled data
            rows.push_back({m, dims[0], "LDA needs labels and " + train.source + " has none (class folders or a label column)"});
            continue;
        }
        const int mi = (int)(std::find(reducer_names().begin(), reducer_names().end(), m) - reducer_names().begin());
        ReducerOptions o = opt;
        if (m == "ae" || m == "dbn") o.hidden = budget.hidden;
        if (m == "ae") o.lr = 2e-3, o.batch = 64;
        o.epochs = m == "ae" ? budget.ae_epochs : m == "vae" ? budget.vae_epochs : budget.dbn_epochs;
        std::vector<int> lda_done;  // custom --dims: the Ks run so far; LDA runs at its maximum once, beside the first K above it
        for (int K : default_dims ? table_ks(method) : dims) {
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
            Rng rng((uint64_t)seed * 1000003 + (uint64_t)mi * 101 + (uint64_t)K);  // per cell: a subset of methods gives the same numbers
            std::unique_ptr<Reducer> r = make_reducer(m, o);
            try {
                check_fit(m, train, K, o);
            } catch (const Error& e) {  // e.g. a deep method on values outside [0, 1]: this row steps aside, the others run
                if (!own) throw;
                rows.push_back({m, K, e.what()});
                printf("    skipped: %s\n", e.what());
                continue;
            }
            Measurement got = measure_reducer(*r, train, test, reference, K, budget.probe_epochs, rng);
            ReportRow& c = got.row;
            if (K == 9 && default_dims) c.note = "LDA: at most 9 components (classes - 1), so 9 for 10; " + c.note;
            if (group) c.group = group, c.note = "LDA: at most classes - 1 = " + std::to_string(K) + " components, so " + std::to_string(K) +
                                                 " for " + std::to_string(group) + "; " + c.note;
            if (K == recon_K && r->has_decoder()) recon_rows.push_back({method.short_name + " K=" + std::to_string(K), r->decode(r->encode(shown))});
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
    const std::string recon_file = "recon_k" + std::to_string(recon_K) + ".png";
    if (!scatters.empty())
        write_scatter_panels(out + "/scatter_all.png", (own ? train_path : std::string("Fashion-MNIST")) + " test set at K = 2, by method", scatters, test.y, names);
    if (recon_rows.size() > 1) write_recon(out + "/" + recon_file, recon_rows, test);
    std::stable_sort(rows.begin(), rows.end(), [](const ReportRow& a, const ReportRow& b) { return report_group(a) < report_group(b); });
    const Commentary com = commentary(rows);
    print_report(rows, com);
    write_results_csv(out + "/results.csv", rows);
    write_report_html(out + "/index.html", rows, com, scatter_files, recon_rows.size() > 1, setup, own ? "your data (" + train_path + ")" : "", recon_file);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
    printf("\ncompare took %s; wrote %s/{results.csv,index.html%s%s}\n", format_duration(took).c_str(), out.c_str(),
           scatter_files.empty() ? "" : ",scatter_all.png,scatter_<method>.png", recon_rows.size() > 1 ? ("," + recon_file).c_str() : "");
    printf("report: %s/index.html\n", out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
