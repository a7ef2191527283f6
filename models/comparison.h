// comparison.h — what examples/compare.cpp runs and concludes: each method's row of the comparison (its
// names, the Ks it runs at and why not the others), the measurement of one fitted method at one K on the
// test set, and the commentary (which method wins each metric at each K, and by how much) from the numbers
// alone. io/report.h writes the results down. A new method of models/registry.h runs at K = 2, 10, 30
// under its own name until it gets a row in compared_methods(). Also the whole run: every method at every K
// (run_comparison), so that the program reads as a story. N = rows, D = pixels, K = code size.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"
#include "io/report.h"
#include "models/reducer.h"

namespace tg {

struct ComparedMethod {
    std::string name;        // as in models/registry.h: "pca"
    std::string title;       // in picture titles: "PCA"
    std::string short_name;  // the row of the reconstruction grid: "PCA" (+ " K=30")
    std::vector<int> ks;     // the Ks it runs at (of 2, 10, 30; LDA's 9 stands for 10)
    std::string skip_reason; // the note of the rows it does not run
    bool stochastic = true;  // its fit draws random numbers: compare --seeds runs it once per seed (else once; t-SNE too)
};
const std::vector<ComparedMethod>& compared_methods();  // pca lda dct isomap lle ae vae dbn
ComparedMethod compared_method(const std::string& name);  // its row, or the default row for a new method
// The table's Ks for a method, in order: 2, 10 (LDA: 9), 30.
std::vector<int> table_ks(const ComparedMethod& m);
bool runs_at(const ComparedMethod& m, int K);

// Fit `r` on train at K (rng: the fit, then the probe's seed), then measure it on test: fit and encode time,
// squared error of the reconstruction per image and per pixel (when r has a decoder), a linear probe on the
// train codes and the 5-NN vote among the first reference.size() train codes, and trustworthiness and
// continuity at k = 10 of the first kNeighbourRows test codes against their inputs (docs/compare.md).
struct Measurement {
    ReportRow row;
    Tensor test_codes;   // (N_test, K)
    double eval_s = 0;   // the probe and the 5-NN, with the train codes they need
};
Measurement measure_reducer(Reducer& r, const Dataset& train, const Dataset& test, const Dataset& reference, int K,
                            int probe_epochs, Rng& rng);

// Trustworthiness (models/tsne.h) with the roles of input and codes swapped: how far the k nearest inputs of
// each row are from being its nearest codes, 1 = all of them are (Venna & Kaski 2001). x (N, D), codes (N, K).
double continuity(const Tensor& x, const Tensor& codes, int k);
// compare's T(10) and C(10) look at the first this many test rows (O(N²) distances, so a subset)
constexpr int kNeighbourRows = 1000;

// The first image of each class, in class order (classes, D): the originals of the reconstruction grid.
Tensor one_per_class(const Dataset& d, int classes);

// Σ (a - b)² over all values, in double
double squared_error(const Tensor& a, const Tensor& b);

// The numbers in words, rows sorted by report_group.
Commentary commentary(const std::vector<ReportRow>& rows);

// ----------------------------------------------------------------------------------------------
// The whole comparison, as examples/compare.cpp runs it.

// The training budget of a mode: what --full changes (docs/compare.md, "tuning").
struct CompareBudget {
    int train;                // training images (the first N)
    std::vector<int> hidden;  // ae and dbn hidden sizes ({} = their defaults, 512,256 and 500,250)
    int ae_epochs, vae_epochs, dbn_epochs;  // Adam epochs (dbn: fine-tuning)
    int pretrain_epochs;      // dbn: CD-1 epochs per RBM
    int subsample;            // isomap and lle fit on this many rows; t-SNE embeds this many test rows
    int knn_reference;        // train codes the 5-NN vote looks among (the first N)
    int probe_epochs;
};
// The reduced budget (what `make demo` can afford) or the full one; train_limit and epochs override (0 = the mode's).
CompareBudget compare_budget(bool full, int train_limit, int epochs);

struct ComparisonPlan {
    std::vector<std::string> methods;  // names of models/registry.h, in the order to run them
    std::vector<int> dims;             // the Ks: {2, 10, 30} is the table (LDA's 9 beside 10); others run as given
    CompareBudget budget;
    uint64_t seed = 1;                 // the first seed; --seeds N runs seed, seed + 1, ..., seed + N - 1
    int seeds = 1;
    bool own = false;                  // your data: a method that cannot fit it steps aside with a note
    std::string out;                   // where scatter_<method>.png go
};

struct ComparisonRun {
    std::vector<ReportRow> rows;                           // every (method, K), sorted by report_group
    std::vector<std::pair<std::string, Tensor>> scatters;  // (title, test codes (N, 2)) at K = 2
    std::vector<std::string> scatter_files;                // scatter_<method>.png, one per scatter
    std::vector<std::pair<std::string, Tensor>> recon;     // {"original", shown}, then each decoder's at the largest K
};
// Every method of p at every K of its row, fitted on train and measured on test (measure_reducer; t-SNE on
// the first test rows), once per seed for the stochastic methods and once for the others; each row holds the
// mean and sd over its runs (mean_and_sd). Prints a line per cell; the first seed's codes make the pictures
// (scatter_<method>.png at K = 2 written here). `shown` (n, D): the originals of the reconstruction picture.
ComparisonRun run_comparison(const ComparisonPlan& p, const Dataset& train, const Dataset& test, const Tensor& shown);

// One row from the same (method, K) over several seeds: each metric's mean and sample sd (NaN if any run lacks it).
ReportRow mean_and_sd(const std::vector<ReportRow>& runs);

// The setup in one paragraph (stdout and index.html): sizes, architectures, epochs, seed, threads.
std::string describe_comparison(const ComparisonPlan& p, const Dataset& train, const Dataset& test, bool full,
                                const std::string& train_path, int threads);

// The rows shown reconstructed: the first test row of each class; your data (own): up to 10 images or 3
// feature rows, one per class when there are labels, else the first rows.
Tensor reconstruction_originals(const Dataset& train, const Dataset& test, bool own);

}  // namespace tg
