// reduce.cpp — feature extraction for your own data: fit a dimensionality-reduction method on an idx
// directory, an image folder or a CSV, write every row's K-number code (CSV or NumPy .npy), and save the
// fitted method so new rows can be encoded the same way later. Methods: models/registry.h; how they compare
// on images: docs/compare.md
//   build/reduce --method pca --dim 10 --train data.csv --out codes.csv            # fit, codes of the train rows
//   build/reduce --method lda --dim 9 --train /usr/share/datasets/fashion-mnist --model lda.ckpt --out train.csv
//   build/reduce --model lda.ckpt --apply new.csv --out new_codes.csv              # encode with a saved model
//   build/reduce --method tsne --train my_images/ --size 28x28 --out picture.csv   # a 2-D picture (no --apply)
// Readers: io/load_any.h (an idx directory is read as its train split, t10k for --apply; a CSV's labels are
// the column named label/class/target, or --label N). Codes: z1..zK, then train_error_percentile on --apply
// (where the row's reconstruction error falls among the training rows'), then label.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "run/codes.h"
#include "run/data_arg.h"
#include "run/flags.h"
#include "data/labels.h"
#include "io/load_any.h"
#include "run/training.h"
#include "models/sizes.h"
#include "models/registry.h"

using namespace tg;

static double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int main(int argc, char** argv) try {
    std::string method = "pca", train_path, apply_path, out = "codes.csv", model_path, scale = "none", hidden, format = "csv";
    DataFlags data;  // --label, --channels, --size, --skip-bad (run/data_arg.h)
    int dim = 2, threads = 1, train_limit = 0;
    int64_t seed = 1;
    ReducerOptions opt;
    Cli cli("reduce", "Fit a dimensionality-reduction method on your data and write each row's code as CSV; or encode new rows "
                      "with a saved model (--model M --apply FILE).");
    cli.add("method", &method, "the method: " + reducer_names_text());
    cli.add("dim", &dim, "K, numbers per row in the code (lda: at most classes - 1)", 1, 1 << 20);
    cli.add("train", &train_path, "the data to fit on: an idx directory (its train split), an image folder (DIR/<class>/*.png) or a CSV file");
    cli.add("apply", &apply_path, "encode this file instead of the training rows (idx directory: its t10k split)");
    cli.add("out", &out, "where to write the codes (CSV: z1..zK, then label when the input has labels; or --format npy)");
    cli.add("model", &model_path, "the fitted model: written after --train (default: --out with .ckpt), read without --train");
    cli.add("scale", &scale, "none, or minmax: rescale each column to [0, 1] (stored in the model; ae/vae/dbn need values in [0, 1])");
    cli.add("train-limit", &train_limit, "fit on the first N rows only (0 = all)", 0, 1 << 30);
    cli.add("epochs", &opt.epochs, "ae/vae/dbn: passes of Adam over the data (dbn: fine-tuning)", 0, 100000);
    cli.add("batch", &opt.batch, "ae/vae/dbn: rows per mini-batch", 1, 1 << 20);
    cli.add("lr", &opt.lr, "ae/vae/dbn: Adam learning rate", 0, 10);
    cli.add("hidden", &hidden, "ae/vae/dbn: hidden sizes, comma-separated (default: ae 512,256; vae 400; dbn 500,250)");
    cli.add("pretrain-epochs", &opt.pretrain_epochs, "dbn: CD-1 epochs per RBM before fine-tuning", 0, 100000);
    cli.add("neighbours", &opt.neighbours, "isomap/lle: k of the nearest-neighbour graph", 1, 1 << 20);
    cli.add("subsample", &opt.subsample, "isomap/lle: fit on the first N rows (memory O(N^2), time O(N^3))", 2, 1 << 20);
    cli.add("shrinkage", &opt.shrinkage, "lda: regularisation of the within-class scatter", 0, 1e6);
    cli.add("perplexity", &opt.perplexity, "tsne: effective neighbours per row (5-50 is usual)", 1e-3, 1e6);
    cli.add("exact-below", &opt.exact_below, "tsne: the exact gradient up to this many rows, Barnes-Hut (K = 2) above", 0, 1 << 30);
    cli.add("format", &format, "csv, or npy: the codes as a NumPy .npy (float32 N x K; labels to <out>_labels.npy)");
    add_data_flags(cli, data);
    cli.add("seed", &seed, "random seed: same seed and threads give the same codes", 0, (int64_t)1 << 53);
    cli.add("threads", &threads, "threads: the matrix products, the optimizer and the largest elementwise loops are split over them", 1, 256);
    if (!cli.parse(argc, argv)) return 0;
    if (scale != "none" && scale != "minmax") throw input_error("--scale: '" + scale + "' is not none or minmax");
    if (format != "csv" && format != "npy") throw input_error("--format: '" + format + "' is not csv or npy");
    if (!apply_path.empty() && !train_path.empty() && !encodes_new_rows(method))
        throw input_error("--apply: " + method + " has no map for new rows (t-SNE places only the rows it is fitted on); fit it on all the "
                          "rows you want in one picture (--train), or use pca, ae or vae to encode new rows");
    if (!hidden.empty()) opt.hidden = parse_sizes(hidden, "--hidden");
    if (train_path.empty() && (model_path.empty() || apply_path.empty()))
        throw input_error("nothing to do: pass --train FILE_OR_DIR to fit (see reduce --help), or --model M --apply FILE to encode with a saved model");
    start_run(threads);  // tapegrad's threads, denormals flushed (run/training.h)

    LoadedReducer fitted;  // the model, the D it expects and its scaling
    Dataset train;
    if (!train_path.empty()) {
        make_reducer(method, opt);  // an unknown method or bad options fail before any data is read
        train = load_any(train_path, data.opt, "--train");
        check_label_gaps(train.y, train_path);  // a stray label must not make a class (data/labels.h)
        if (train_limit > 0) train = train.subset(train_limit);
        if (scale == "minmax") {
            fitted.scale.fit(train.x);
            fitted.scale.apply(train.x);
        }
        check_fit(method, train, dim, opt);
        fitted.model = make_reducer(method, opt);
        fitted.input_dim = train.dim();
        printf("fitting %s (K = %d) on %d rows x %d values from %s%s...\n", method.c_str(), dim, train.size(), train.dim(), train_path.c_str(),
               train.has_labels() ? (" (with " + std::to_string(train.classes) + " classes)").c_str() : "");
        fflush(stdout);
        Rng rng((uint64_t)seed);
        const auto t0 = std::chrono::steady_clock::now();
        fitted.model->fit(train, dim, rng);
        const double fit_s = seconds_since(t0);
        if (model_path.empty()) model_path = codes_stem(out) + ".ckpt";
        // the training rows' reconstruction errors, so that --apply can say how far new rows are from them
        if (fitted.model->has_decoder()) fitted.train_error = error_profile(row_errors(*fitted.model, train.x));
        save_reducer(model_path, *fitted.model, fitted.input_dim, fitted.scale, fitted.train_error);
        printf("fitted in %.2f s; saved the model to %s\n", fit_s, model_path.c_str());
    } else {
        fitted = load_reducer(model_path);
        if (!encodes_new_rows(fitted.model->name()))
            throw input_error("--apply: " + model_path + " holds a " + fitted.model->name() + " picture, which has no map for new rows (t-SNE places "
                              "only the rows it was fitted on); refit it on all the rows together with --train");
        printf("loaded %s (%d values per row%s) from %s\n", fitted.model->name().c_str(), fitted.input_dim,
               fitted.scale.active() ? ", min-max scaled" : "", model_path.c_str());
    }

    Dataset rows = train;  // what to encode: the training rows, or --apply's
    std::string from = train_path;
    if (!apply_path.empty()) {
        DataOptions o = data.opt;
        o.test_split = true;  // an idx directory: its t10k split
        rows = load_any(apply_path, o, "--apply");
        if (!train_path.empty()) check_labels_seen(rows.y, apply_path, train.y, train_path);
        from = apply_path;
        if (rows.dim() != fitted.input_dim)
            throw input_error("--apply: " + apply_path + " has " + std::to_string(rows.dim()) + " values per row, but the model was fitted on " +
                              std::to_string(fitted.input_dim) + "; pass rows with the same columns (and the same label column) as the training data");
        fitted.scale.apply(rows.x);
    }
    const auto t0 = std::chrono::steady_clock::now();
    const Tensor codes = encode_rows(*fitted.model, rows.x);  // (N, K)
    const double enc = seconds_since(t0);
    std::vector<double> pct;  // --apply: each row's reconstruction error as a percentile of the training rows'
    if (!apply_path.empty() && fitted.train_error.size()) {
        pct = error_percentiles(fitted.train_error, row_errors(*fitted.model, rows.x));
        std::vector<double> sorted = pct;
        std::sort(sorted.begin(), sorted.end());
        int above = 0;
        for (double p : pct) above += p >= 99;
        printf("how far from the training data: the median row is at percentile %.0f of the training rows' reconstruction errors; "
               "%d of %d rows above the 99th (their codes describe them poorly)\n", sorted[sorted.size() / 2], above, rows.size());
    }
    const std::string what = write_codes(out, format, codes, rows.y, pct);  // run/codes.h
    printf("encoded %d rows of %s in %.2f s; wrote %s (%s)\n", rows.size(), from.c_str(), enc, out.c_str(), what.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
