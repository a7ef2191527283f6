// registry.h — every dimensionality-reduction method by name, and what the `reduce` tool and the comparison
// (examples/reduce.cpp, examples/compare.cpp) need around the Reducer interface: per-method options with
// sensible defaults, the checks to run before a fit (so a bad --dim fails at once, not after training), the
// largest code each method allows, a fitted method as one file, and codes as CSV (z1..zK[,label]).
// N = rows, D = input dimension, K = code dimension, C = classes.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "models/reducer.h"

namespace tg {

// The names make_reducer knows, in the order tools list them: pca lda dct isomap lle ae vae dbn cae.
const std::vector<std::string>& reducer_names();
std::string reducer_names_text();  // "pca|lda|dct|isomap|lle|ae|vae|dbn|cae", for help and error texts
bool is_deep(const std::string& name);  // ae, vae, dbn, cae: trained by gradient steps, decoders end in a sigmoid
// "pca,ae" -> {"pca", "ae"}; an unknown name is an input_error naming `what` and listing the valid ones.
std::vector<std::string> parse_reducer_names(const std::string& text, const std::string& what);

// What a user may want to set per method. The defaults are each model's own defaults.
struct ReducerOptions {
    // ae, vae, dbn: Adam on the reconstruction loss (for dbn: the fine-tuning after pretraining)
    int epochs = 10, batch = 128;
    double lr = 1e-3;
    // hidden sizes between the input and the code: ae "512,256" (the decoder mirrors them), vae "400"
    // (one layer), dbn "500,250" (one RBM per size, plus the top one to K), cae "32,64" (the two stride-2
    // convolutions' filters, one size = "n,2n"; models/conv_autoencoder.h). Empty = the default.
    std::vector<int> hidden;
    int pretrain_epochs = 5;  // dbn: CD-1 epochs per RBM
    // isomap, lle
    int neighbours = 10;      // k of the kNN graph (raised, with a note, until the graph is connected)
    int subsample = 2000;     // they fit on the first this-many rows: O(n^2) memory, O(n^3) time
    // lda
    double shrinkage = 1e-3;  // S_w + shrinkage * tr(S_w)/D * I, so a singular within-class scatter works
    // tsne
    double perplexity = 30;   // effective neighbours per row (must be below the number of rows)
    int exact_below = 1000;   // the exact O(N^2) gradient up to this many rows, Barnes-Hut above
};

// A fresh, unfitted method. An unknown name, or options the method cannot take, is an input_error that
// lists the valid names / says what is wrong.
std::unique_ptr<Reducer> make_reducer(const std::string& name, const ReducerOptions& opt = {});

// The largest code size `name` can fit on `train`: C - 1 for LDA (the rank of the between-class scatter),
// min(D, n - 1) for Isomap and LLE (n = min(N, subsample) points), min(D, 3) for t-SNE, D for the others. `why` (if given) gets
// the reason in words, for messages ("LDA: at most classes - 1 = 9 components").
int max_code_dim(const std::string& name, const Dataset& train, const ReducerOptions& opt, std::string* why = nullptr);

// Everything that can be checked before fitting, each an input_error naming the flag and the fix: a known
// name, a non-empty set, labels with at least 2 classes for lda, 1 <= dim <= max_code_dim, and for the
// deep methods values in [0, 1] (their decoders end in a sigmoid).
void check_fit(const std::string& name, const Dataset& train, int dim, const ReducerOptions& opt);

// Reducer::encode / decode of x (N, D) or z (N, K) `block` rows at a time, the results stacked: memory stays
// bounded for any N (a deep model's encode holds every layer's output for its whole input; Isomap and LLE
// hold an (N, n) distance matrix).
Tensor encode_rows(Reducer& r, const Tensor& x, int block = 4096);
Tensor decode_rows(Reducer& r, const Tensor& z, int block = 4096);

// t-SNE (models/tsne.h) is known to make_reducer, load_reducer and the help texts (reducer_names_text ends
// with it) but is not among reducer_names(), the methods that map new rows and that compare runs by default:
// it embeds only the rows it is fitted on (no --apply).
const std::vector<std::string>& all_method_names();  // reducer_names(), then tsne
bool encodes_new_rows(const std::string& name);      // false for tsne

// ----------------------------------------------------------------------------------------------
// Per-column min-max scaling to [0, 1], x' = (x - lo) / range with range = max - min (1 for a constant
// column): how data that are not pixels become something the deep methods can reconstruct.
struct MinMax {
    Tensor lo, range;  // (D) each; empty = no scaling
    bool active() const { return lo.size() > 0; }
    void fit(const Tensor& x);       // x (N, D)
    void apply(Tensor& x) const;     // in place; values outside the fitted range map outside [0, 1]
};

// ----------------------------------------------------------------------------------------------
// "How far from the training data": each row's squared reconstruction error Σ_d (x - decode(encode(x)))²
// (for PCA its residual), and where it falls among the training rows' errors. A row whose error is above
// most training rows' is one the codes describe poorly (another kind of data than the model was fitted on).
Tensor row_errors(Reducer& r, const Tensor& x);  // x (N, D) -> (N); needs r.has_decoder()
// The training rows' errors kept as a sorted profile of at most `keep` evenly spaced order statistics (N).
Tensor error_profile(const Tensor& errors, int keep = 1001);
// For each error, the percentage of the profile strictly below it, plus half of the ties: 0..100.
std::vector<double> error_percentiles(const Tensor& profile, const Tensor& errors);

// A fitted method as a file: Reducer::save's entries, plus "input_dim" (D, checked by load_reducer's
// caller against new data), the scaling when it is active (tensors reduce.scale.lo / .range) and the
// training rows' error profile when given (tensor reduce.train_error).
void save_reducer(const std::string& path, const Reducer& r, int input_dim, const MinMax& scale = {}, const Tensor& train_error = {});

struct LoadedReducer {
    std::unique_ptr<Reducer> model;  // made by make_reducer(meta "model"), then load()ed
    int input_dim = 0;               // D the model was fitted on
    MinMax scale;                    // to apply to new rows before encode (inactive when not stored)
    Tensor train_error;              // the training rows' error profile, sorted (empty when not stored)
};
// Reads a file written by save_reducer; input_error naming the file for anything else.
LoadedReducer load_reducer(const std::string& path);

// ----------------------------------------------------------------------------------------------
// codes (N, K) as CSV: header z1,...,zK (then `label` when labels are given, one per row), one row per
// item, values with enough digits to read back exactly. Atomic (PATH.tmp, then renamed). Read it back
// with load_csv (io/csv.h) and label_column = -1.
// `percentiles` (one per row, optional) adds a column train_error_percentile after the codes.
void save_codes_csv(const std::string& path, const Tensor& codes, const std::vector<int>& labels = {},
                    const std::vector<double>& percentiles = {});

}  // namespace tg
