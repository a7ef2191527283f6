// comparison.h — what examples/compare.cpp runs and concludes: each method's row of the comparison (its
// names, the Ks it runs at and why not the others), the measurement of one fitted method at one K on the
// test set, and the commentary (which method wins each metric at each K, and by how much) from the numbers
// alone. io/report.h writes the results down. A new method of models/registry.h runs at K = 2, 10, 30
// under its own name until it gets a row in compared_methods(). N = rows, D = pixels, K = code size.
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
};
const std::vector<ComparedMethod>& compared_methods();  // pca lda dct isomap lle ae vae dbn
ComparedMethod compared_method(const std::string& name);  // its row, or the default row for a new method
// The table's Ks for a method, in order: 2, 10 (LDA: 9), 30.
std::vector<int> table_ks(const ComparedMethod& m);
bool runs_at(const ComparedMethod& m, int K);

// Fit `r` on train at K (rng: the fit, then the probe's seed), then measure it on test: fit and encode time,
// squared error of the reconstruction per image and per pixel (when r has a decoder), a linear probe on the
// train codes and the 5-NN vote among the first reference.size() train codes (docs/compare.md).
struct Measurement {
    ReportRow row;
    Tensor test_codes;   // (N_test, K)
    double eval_s = 0;   // the probe and the 5-NN, with the train codes they need
};
Measurement measure_reducer(Reducer& r, const Dataset& train, const Dataset& test, const Dataset& reference, int K,
                            int probe_epochs, Rng& rng);

// The first image of each class, in class order (classes, D): the originals of the reconstruction grid.
Tensor one_per_class(const Dataset& d, int classes);

// Σ (a - b)² over all values, in double
double squared_error(const Tensor& a, const Tensor& b);

// The numbers in words, rows sorted by report_group.
Commentary commentary(const std::vector<ReportRow>& rows);

}  // namespace tg
