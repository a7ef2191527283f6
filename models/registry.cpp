// registry.cpp — make_reducer and the checks, files and CSV around it (see registry.h).
// N = rows, D = input dimension, K = code dimension, C = classes.
#include "models/registry.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>

#include "io/atomic_file.h"
#include "io/checkpoint.h"
#include "models/autoencoder.h"
#include "models/conv_autoencoder.h"
#include "models/dbn.h"
#include "models/dct.h"
#include "models/isomap.h"
#include "models/lda.h"
#include "models/lle.h"
#include "models/pca.h"
#include "models/tsne.h"
#include "models/vae.h"

namespace tg {

const std::vector<std::string>& reducer_names() {
    static const std::vector<std::string> names = {"pca", "lda", "dct", "isomap", "lle", "ae", "vae", "dbn", "cae"};
    return names;
}

const std::vector<std::string>& all_method_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n = reducer_names();
        n.push_back("tsne");
        return n;
    }();
    return names;
}

std::string reducer_names_text() {
    std::string s;
    for (const std::string& n : all_method_names()) s += (s.empty() ? "" : "|") + n;
    return s;
}

bool is_deep(const std::string& name) { return name == "ae" || name == "vae" || name == "dbn" || name == "cae"; }
bool encodes_new_rows(const std::string& name) { return name != "tsne"; }

static bool known(const std::string& name) {
    const auto& n = all_method_names();
    return std::find(n.begin(), n.end(), name) != n.end();
}

static Error unknown_method(const std::string& name, const std::string& what = "--method") {
    return input_error(what + ": unknown method '" + name + "'; choose one of " + reducer_names_text() +
                       " (pca/lda/dct linear, isomap/lle manifold, ae/vae/dbn/cae deep)");
}

std::vector<std::string> parse_reducer_names(const std::string& text, const std::string& what) {
    std::vector<std::string> names;
    for (size_t p = 0; p <= text.size();) {
        size_t q = std::min(text.find(',', p), text.size());
        names.push_back(text.substr(p, q - p));
        if (!known(names.back())) throw unknown_method(names.back(), what);
        p = q + 1;
    }
    return names;
}

// ----------------------------------------------------------------------------------------------
std::unique_ptr<Reducer> make_reducer(const std::string& name, const ReducerOptions& o) {
    if (!known(name)) throw unknown_method(name);
    if (is_deep(name) && (o.epochs < 0 || o.batch < 1 || !(o.lr > 0)))
        throw input_error(name + ": needs --epochs >= 0, --batch >= 1 and --lr > 0 (got " + std::to_string(o.epochs) + ", " +
                          std::to_string(o.batch) + ", " + std::to_string(o.lr) + ")");
    for (int h : o.hidden)
        if (h <= 0) throw input_error("--hidden: layer sizes must be positive, got " + std::to_string(h));

    if (name == "pca") return std::make_unique<PCA>();
    if (name == "dct") return std::make_unique<DCT>();
    if (name == "lda") {
        if (!(o.shrinkage >= 0)) throw input_error("--shrinkage: must be >= 0, got " + std::to_string(o.shrinkage));
        auto m = std::make_unique<LDA>();
        m->shrinkage = o.shrinkage;
        return m;
    }
    if (name == "isomap" || name == "lle") {
        if (o.neighbours < 1) throw input_error("--neighbours: must be at least 1, got " + std::to_string(o.neighbours));
        if (o.subsample < 2) throw input_error("--subsample: must be at least 2, got " + std::to_string(o.subsample));
        if (name == "isomap") {
            auto m = std::make_unique<Isomap>();
            m->k = o.neighbours, m->max_fit = o.subsample;
            return m;
        }
        auto m = std::make_unique<LLE>();
        m->k = o.neighbours, m->max_fit = o.subsample;
        return m;
    }
    if (name == "tsne") {
        if (!(o.perplexity > 0)) throw input_error("--perplexity: must be > 0 (5-50 is usual), got " + std::to_string(o.perplexity));
        if (o.exact_below < 0) throw input_error("--exact-below: must be >= 0, got " + std::to_string(o.exact_below));
        auto m = std::make_unique<TSNE>();
        m->perplexity = o.perplexity, m->exact_below = o.exact_below;
        return m;
    }
    if (name == "ae") {
        AutoencoderConfig c;  // 784-512-256-K, BCE: the autoencoder example's defaults
        if (!o.hidden.empty()) c.hidden = o.hidden;
        c.epochs = o.epochs, c.batch = o.batch, c.lr = o.lr;
        return std::make_unique<Autoencoder>(c, 0);  // fit() rebuilds it from its Rng
    }
    if (name == "vae") {
        VAEConfig c;  // 784-400-K
        if (o.hidden.size() > 1) throw input_error("--hidden: the VAE has one hidden layer; pass one size, like 400");
        if (!o.hidden.empty()) c.hidden = o.hidden[0];
        c.epochs = o.epochs, c.batch = o.batch, c.lr = o.lr;
        return std::make_unique<VAE>(c, 0);
    }
    if (name == "cae") {
        ConvAutoencoderConfig c;  // conv 1->32 s2, conv 32->64 s2, linear to K, mirrored: the conv_autoencoder example's
        if (o.hidden.size() > 2) throw input_error("--hidden: cae takes its two convolutions' filter counts, like 32,64");
        if (!o.hidden.empty()) c.body.conv1 = o.hidden[0], c.body.conv2 = o.hidden.size() == 2 ? o.hidden[1] : 2 * o.hidden[0];
        c.epochs = o.epochs, c.batch = o.batch, c.lr = o.lr;
        return std::make_unique<ConvAutoencoder>(c, 0);  // fit() rebuilds it for the data's image size
    }
    DBNConfig c;  // dbn: 784-500-250-K with a linear top, 5 CD-1 epochs per RBM, then Adam fine-tuning
    if (!o.hidden.empty()) {
        c.sizes = {c.sizes.front()};
        c.sizes.insert(c.sizes.end(), o.hidden.begin(), o.hidden.end());
        c.sizes.push_back(30);  // the code size; fit() sets it to --dim
    }
    if (o.pretrain_epochs < 0) throw input_error("--pretrain-epochs: must be >= 0, got " + std::to_string(o.pretrain_epochs));
    c.pretrain_epochs = o.pretrain_epochs;
    c.finetune_epochs = o.epochs, c.finetune_batch = o.batch, c.finetune_lr = o.lr;
    return std::make_unique<DBNAutoencoder>(c, 0);
}

// ----------------------------------------------------------------------------------------------
// Distinct labels present (LDA's C counts only the classes that occur).
static int classes_present(const Dataset& d) {
    std::vector<char> seen;
    int n = 0;
    for (int y : d.y) {
        if (y < 0) continue;
        if ((int)seen.size() <= y) seen.resize((size_t)y + 1, 0);
        n += !seen[(size_t)y];
        seen[(size_t)y] = 1;
    }
    return n;
}

int max_code_dim(const std::string& name, const Dataset& train, const ReducerOptions& opt, std::string* why) {
    if (!known(name)) throw unknown_method(name);
    const int D = train.dim(), N = train.size();
    int k = D;
    std::string w = "K <= D = " + std::to_string(D) + ", the input dimension";
    if (name == "lda") {
        const int C = classes_present(train);
        if (C - 1 < D) k = C - 1, w = "LDA: at most classes - 1 = " + std::to_string(C - 1) + " components";
    } else if (name == "isomap" || name == "lle") {
        const int n = std::min(N, opt.subsample);
        if (n - 1 < D) k = n - 1, w = name + ": at most n - 1 = " + std::to_string(n - 1) + " for the n = " + std::to_string(n) + " points it fits on";
    } else if (name == "tsne" && D > 3) {
        k = 3, w = "t-SNE draws pictures: K = 2 (or 3 with the exact method)";
    }
    if (why) *why = w;
    return std::max(k, 0);
}

void check_fit(const std::string& name, const Dataset& train, int dim, const ReducerOptions& opt) {
    if (!known(name)) throw unknown_method(name);
    const std::string src = train.source.empty() ? "the training set" : train.source;
    if (train.size() == 0 || train.dim() == 0) throw input_error(name + ": " + src + " has no rows; pass a non-empty --train");
    if (name == "lda") {
        if (!train.has_labels())
            throw input_error("lda: LDA is supervised and " + src +
                              " has no labels; give it a label column (--label) or an idx directory with labels, or use pca");
        if (classes_present(train) < 2)
            throw input_error("lda: " + src + " has only one class; LDA separates classes and needs at least 2");
    }
    if (name == "cae") conv_body_for(train, "cae");  // rows that are not images: an input_error naming the fix
    if (name == "tsne" && !(opt.perplexity < train.size()))
        throw input_error("tsne: --perplexity " + std::to_string(opt.perplexity) + " needs more rows than that; " + src + " has " +
                          std::to_string(train.size()) + " (pass a smaller --perplexity, 5-50 is usual, or more rows)");
    std::string why;
    const int top = max_code_dim(name, train, opt, &why);
    if (dim < 1 || dim > top)
        throw input_error("--dim: " + std::to_string(dim) + " is out of range for " + name + " on " + src + ": 1 <= K <= " +
                          std::to_string(top) + " (" + why + ")");
    if (is_deep(name)) {
        const auto mm = std::minmax_element(train.x.data.begin(), train.x.data.end());
        if (*mm.first < 0 || *mm.second > 1)
            throw input_error(name + ": " + src + " has values in [" + std::to_string(*mm.first) + ", " + std::to_string(*mm.second) +
                              "], but " + name + " reconstructs values in [0, 1] (its decoder ends in a sigmoid); rescale each column "
                              "to [0, 1] (reduce --scale minmax) or use a linear method (pca)");
    }
}

// ----------------------------------------------------------------------------------------------
// f applied to blocks of rows of x, the outputs stacked in order
static Tensor by_blocks(const Tensor& x, int block, const std::function<Tensor(const Tensor&)>& f) {
    const int N = x.rows();
    if (N <= block) return f(x);
    Tensor out;
    for (int i = 0; i < N; i += block) {
        const Tensor part = f(x.first_slice(i, std::min(N, i + block)));  // (b, width)
        if (i == 0) out = Tensor(Shape{N, part.cols()});
        std::copy(part.data.begin(), part.data.end(), out.data.begin() + (ptrdiff_t)i * part.cols());
    }
    return out;
}

Tensor encode_rows(Reducer& r, const Tensor& x, int block) {
    return by_blocks(x, block, [&r](const Tensor& b) { return r.encode(b); });
}
Tensor decode_rows(Reducer& r, const Tensor& z, int block) {
    return by_blocks(z, block, [&r](const Tensor& b) { return r.decode(b); });
}

// ----------------------------------------------------------------------------------------------
void MinMax::fit(const Tensor& x) {
    const int N = x.rows(), D = x.cols();
    lo = Tensor(Shape{D});
    range = Tensor(Shape{D});
    for (int j = 0; j < D; j++) {
        real a = x.at(0, j), b = a;
        for (int i = 1; i < N; i++) a = std::min(a, x.at(i, j)), b = std::max(b, x.at(i, j));
        lo[j] = a;
        range[j] = b > a ? b - a : real(1);  // a constant column maps to 0
    }
}

// x' = (x - lo) / range
void MinMax::apply(Tensor& x) const {
    if (!active()) return;
    const int N = x.rows(), D = x.cols();
    if (D != (int)lo.size())
        throw input_error("scaling: rows have " + std::to_string(D) + " values but the scaling was fitted on " + std::to_string(lo.size()));
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) x.at(i, j) = (x.at(i, j) - lo[j]) / range[j];
}

// ----------------------------------------------------------------------------------------------
Tensor row_errors(Reducer& r, const Tensor& x) {
    const Tensor back = decode_rows(r, encode_rows(r, x));  // (N, D)
    const int N = x.rows(), D = x.cols();
    Tensor e(Shape{N});
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < D; j++) s += ((double)x.at(i, j) - back.at(i, j)) * ((double)x.at(i, j) - back.at(i, j));
        e[(size_t)i] = (real)s;
    }
    return e;
}

Tensor error_profile(const Tensor& errors, int keep) {
    std::vector<real> v(errors.data);
    std::sort(v.begin(), v.end());
    const int n = (int)v.size(), m = std::min(n, keep);
    Tensor p(Shape{m});
    for (int i = 0; i < m; i++) p[(size_t)i] = v[(size_t)(m == 1 ? 0 : (long)i * (n - 1) / (m - 1))];  // order statistics, min and max kept
    return p;
}

std::vector<double> error_percentiles(const Tensor& profile, const Tensor& errors) {
    std::vector<double> out;
    const auto b = profile.data.begin(), e = profile.data.end();
    for (size_t i = 0; i < errors.size(); i++) {
        const auto lo = std::lower_bound(b, e, errors[i]), hi = std::upper_bound(b, e, errors[i]);
        out.push_back(100.0 * ((double)(lo - b) + 0.5 * (double)(hi - lo)) / std::max<size_t>(1, profile.size()));
    }
    return out;
}

void save_reducer(const std::string& path, const Reducer& r, int input_dim, const MinMax& scale, const Tensor& train_error) {
    Checkpoint ck;
    r.save(ck);
    ck.set("input_dim", std::to_string(input_dim));  // the same value PCA/LDA already write
    if (scale.active()) {
        ck.put("reduce.scale.lo", scale.lo);
        ck.put("reduce.scale.range", scale.range);
    }
    if (train_error.size()) ck.put("reduce.train_error", train_error);
    save_checkpoint(path, ck);
}

LoadedReducer load_reducer(const std::string& path) {
    Checkpoint ck = load_checkpoint(path);
    const std::string model = ck.has("model") ? ck.get("model") : "";
    if (!known(model))
        throw input_error(path + ": holds " + (model.empty() ? "no model name" : "a '" + model + "' model") +
                          ", not one of " + reducer_names_text() + "; pass a --model written by reduce (or compare)");
    if (!ck.has("input_dim"))
        throw input_error(path + ": has no input_dim entry; it was not written by reduce: refit with reduce --train");
    LoadedReducer l;
    l.input_dim = std::atoi(ck.get("input_dim").c_str());
    if (l.input_dim <= 0) throw input_error(path + ": input_dim '" + ck.get("input_dim") + "' is not a positive number");
    l.model = make_reducer(model);
    l.model->load(ck);
    if (ck.has_tensor("reduce.scale.lo")) {
        l.scale.lo = l.scale.range = Tensor(Shape{l.input_dim});
        restore_tensor(ck, "reduce.scale.lo", l.scale.lo);
        restore_tensor(ck, "reduce.scale.range", l.scale.range);
    }
    if (ck.has_tensor("reduce.train_error")) l.train_error = ck.tensor("reduce.train_error");
    return l;
}

// ----------------------------------------------------------------------------------------------
void save_codes_csv(const std::string& path, const Tensor& codes, const std::vector<int>& labels, const std::vector<double>& percentiles) {
    const int N = codes.rows(), K = codes.cols();
    if (codes.ndim() != 2 || K < 1) throw Error("save_codes_csv: " + path + ": codes must be (N, K) with K >= 1, got " + codes.shape.str());
    if (!percentiles.empty() && (int)percentiles.size() != N)
        throw Error("save_codes_csv: " + path + ": " + std::to_string(percentiles.size()) + " percentiles for " + std::to_string(N) + " rows");
    if (!labels.empty() && (int)labels.size() != N)
        throw Error("save_codes_csv: " + path + ": " + std::to_string(labels.size()) + " labels for " + std::to_string(N) + " rows");
    std::string text;  // built in memory, then written atomically (io/atomic_file.h)
    char cell[64];
    for (int k = 0; k < K; k++) text += (k ? ",z" : "z") + std::to_string(k + 1);
    if (!percentiles.empty()) text += ",train_error_percentile";
    if (!labels.empty()) text += ",label";
    text += '\n';
    const int digits = std::numeric_limits<real>::max_digits10;  // reads back to the same value
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < K; k++) {
            snprintf(cell, sizeof cell, "%s%.*g", k ? "," : "", digits, (double)codes.at(i, k));
            text += cell;
        }
        if (!percentiles.empty()) {
            snprintf(cell, sizeof cell, ",%.1f", percentiles[(size_t)i]);
            text += cell;
        }
        if (!labels.empty()) text += "," + std::to_string(labels[(size_t)i]);
        text += '\n';
    }
    write_file_atomically(path, text, "codes");
}

}  // namespace tg
