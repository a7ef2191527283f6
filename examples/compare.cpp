// compare.cpp — the question tapegrad exists to answer: when does a deep model beat a linear one at
// compressing images and extracting features, and by how much? Every method of models/registry.h is fitted
// on Fashion-MNIST's training images at K = 2, 10 and 30 numbers per image (LDA at 2 and 9, its maximum;
// Isomap and LLE at 2 and 10 on a subsample, the test set mapped by their out-of-sample rules) and measured
// on the TEST set: reconstruction error (where there is a decoder), a linear probe and 5-NN accuracy on the
// codes, trustworthiness and continuity at k = 10 (do neighbours stay neighbours?), fit and encode time; with
// --seeds N the mean and sd over N seeds. How it is measured and how to read it: docs/compare.md
//   build/compare                          # reduced: 20000 training images, short training (a few minutes)
//   build/compare --full                   # all 60000 images, the models' full training budgets
//   build/compare --methods pca,ae --out out/cmp-small
//   build/compare --seeds 3                # mean ± sd over seeds 1, 2, 3 (PCA, LDA, DCT, Isomap, LLE, t-SNE run once)
//   build/compare --train my_images/ --test-split 0.2 --dims 2,10   # your own data: image folder, CSV or idx directory
// Writes <out>/results.csv, scatter_<method>.png (K = 2), scatter_all.png, recon_k<K>.png (the largest K), index.html.
// t-SNE (K = 2 only) has no map for new rows: it embeds the first test rows themselves, and its probe and 5-NN
// learn on the even rows of that picture and are scored on the odd ones.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "io/figures.h"
#include "io/report.h"
#include "models/comparison.h"
#include "models/registry.h"
#include "models/sizes.h"
#include "run/data_arg.h"
#include "run/flags.h"
#include "run/progress.h"
#include "run/training.h"

using namespace tg;

int main(int argc, char** argv) try {
    std::string data, out = "out/compare", methods_flag, train_path, test_path, dims_flag = "2,10,30";
    double test_split = 0.2;
    DataFlags own_data;  // --label, --channels, --size, --skip-bad (run/data_arg.h)
    int64_t seed = 1;
    int threads = 1, train_limit = 0, epochs = 0, seeds = 1;
    bool full = false;
    Cli cli("compare", "Fit every dimensionality-reduction method on Fashion-MNIST at K = 2, 10, 30 and compare them on the test set.");
    cli.add("data", &data, "directory of idx files (default: $TAPEGRAD_DATA, else /usr/share/datasets/fashion-mnist)");
    cli.add("full", &full, "full size: all 60000 training images and full training (reduced: 20000 images, short training)");
    cli.add("methods", &methods_flag, "comma-separated subset of " + reducer_names_text() + " (default: all)");
    cli.add("seed", &seed, "random seed of every fit and probe: same seed and threads give the same table", 0, (int64_t)1 << 53);
    cli.add("seeds", &seeds, "run the stochastic methods (ae, vae, dbn, cae) with seeds --seed .. --seed + N - 1: mean and sd in every cell", 1, 100);
    cli.add("threads", &threads, "threads: the matrix products, the optimizer and the largest elementwise loops are split over them", 1, 256);
    cli.add("out", &out, "output directory for results.csv, the PNGs and index.html");
    cli.add("train-limit", &train_limit, "override the number of training images (0 = the mode's: 20000 reduced, 60000 full)", 0, 1 << 30);
    cli.add("epochs", &epochs, "override the deep methods' epochs (0 = the mode's: ae 8, vae 5, dbn 6 reduced; 10 full)", 0, 100000);
    cli.add("train", &train_path, "your own data instead of --data: an image folder (DIR/<class>/*.png), a CSV or an idx directory");
    cli.add("test", &test_path, "the rows to measure on (default: a seeded --test-split share of --train; an idx directory: its t10k)");
    cli.add("test-split", &test_split, "the share of --train held out for measuring when there is no --test", 0.01, 0.99);
    cli.add("dims", &dims_flag, "the code sizes K to compare, comma-separated (t-SNE runs at 2 only)");
    add_data_flags(cli, own_data);
    if (!cli.parse(argc, argv)) return 0;

    ComparisonPlan plan;  // what runs: the methods, the Ks, the budget of the mode (models/comparison.h)
    plan.budget = compare_budget(full, train_limit, epochs);
    plan.methods = methods_flag.empty() ? all_method_names() : parse_reducer_names(methods_flag, "--methods");
    plan.dims = parse_sizes(dims_flag, "--dims");
    plan.seed = (uint64_t)seed;
    plan.seeds = seeds;
    plan.own = !train_path.empty();
    plan.out = out;
    if (plan.own && !data.empty()) throw input_error("--data and --train: pass one (--train FILE_OR_DIR is your own data, --data the idx directory)");
    start_run(threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(out);

    // the data: Fashion-MNIST's train and t10k splits, or your own rows and a held-out share of them
    CommonFlags f;
    f.data = data;
    f.train_limit = plan.budget.train;
    const TrainTest d = plan.own ? load_own_train_test(train_path, test_path, test_split, own_data.opt, plan.seed, plan.budget.train)
                                 : load_train_test(f);
    const Dataset &train = d.train, &test = d.test;
    const Tensor shown = reconstruction_originals(train, test, plan.own);  // the reconstructions' originals
    const std::string setup = describe_comparison(plan, train, test, full, train_path, threads);
    printf("%s\n", setup.c_str());

    // every method at every K of its row, measured on the test set (models/comparison.h)
    const auto t_all = std::chrono::steady_clock::now();
    const ComparisonRun run = run_comparison(plan, train, test, shown);

    // the pictures (one panel per method at K = 2, the reconstruction grid at the largest K), then the report
    const std::string recon_file = "recon_k" + std::to_string(*std::max_element(plan.dims.begin(), plan.dims.end())) + ".png";
    const bool have_recon = run.recon.size() > 1;
    if (!run.scatters.empty())
        write_scatter_panels(out + "/scatter_all.png", (plan.own ? train_path : std::string("Fashion-MNIST")) + " test set at K = 2, by method",
                             run.scatters, test.y, class_names_for(test));
    if (have_recon) write_reconstruction_rows(out + "/" + recon_file, run.recon, test);
    const Commentary com = commentary(run.rows);
    print_report(run.rows, com);
    write_results_csv(out + "/results.csv", run.rows);
    write_report_html(out + "/index.html", run.rows, com, run.scatter_files, have_recon, setup, plan.own ? "your data (" + train_path + ")" : "", recon_file);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
    printf("\ncompare took %s; wrote %s/{results.csv,index.html%s%s}\n", format_duration(took).c_str(), out.c_str(),
           run.scatter_files.empty() ? "" : ",scatter_all.png,scatter_<method>.png", have_recon ? ("," + recon_file).c_str() : "");
    printf("report: %s/index.html\n", out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
