// dataset.cpp — Dataset::subset and rows, train_test_split, argmax and accuracy, the data-directory rule (see dataset.h).
#include "data/dataset.h"

#include <algorithm>

#include <cmath>
#include <cstdlib>
#include <numeric>

namespace tg {

const char* const DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist";

Dataset Dataset::subset(int n) const {
    if (n < 0) throw input_error("subset: asked for " + std::to_string(n) + " items of " + source + "; pass a count >= 0 (e.g. --train-limit 1000)");
    if (n > size()) n = size();
    Dataset out;
    if (x.ndim()) out.x = x.first_slice(0, n);
    out.bytes = bytes;
    out.streamed = bytes ? n : 0;
    if (!y.empty()) out.y.assign(y.begin(), y.begin() + n);
    out.height = height;
    out.width = width;
    out.channels = channels;
    out.classes = classes;  // kept from the full set, so a subset's one-hot width matches the model's
    out.class_names = class_names;
    out.source = source;
    return out;
}

Dataset Dataset::rows(const std::vector<int>& index) const {
    const int N = size(), D = dim();
    Dataset out;
    out.x = Tensor(Shape{(int)index.size(), D});  // (n, D)
    for (size_t r = 0; r < index.size(); r++) {
        const int i = index[r];
        if (i < 0 || i >= N) throw input_error("rows: index " + std::to_string(i) + " is outside the " + std::to_string(N) + " items of " + source);
        std::copy(x.ptr() + (size_t)i * D, x.ptr() + (size_t)(i + 1) * D, out.x.ptr() + r * D);
        if (!y.empty()) out.y.push_back(y[(size_t)i]);
    }
    out.height = height, out.width = width, out.channels = channels;
    out.classes = classes, out.class_names = class_names;
    out.source = source;
    return out;
}

Split train_test_split(const Dataset& d, double test_fraction, uint64_t seed) {
    const int N = d.size();
    if (!(test_fraction > 0 && test_fraction < 1))
        throw input_error("test split: the fraction " + std::to_string(test_fraction) + " must be between 0 and 1 (e.g. 0.2)");
    if (N < 2) throw input_error("test split: " + d.source + " has " + std::to_string(N) + " item(s); a split needs at least 2");
    const int n_test = std::min(N - 1, std::max(1, (int)std::lround(test_fraction * N)));
    std::vector<int> perm((size_t)N);
    std::iota(perm.begin(), perm.end(), 0);
    Rng rng(seed);
    for (int i = N - 1; i > 0; i--) std::swap(perm[(size_t)i], perm[rng.below((uint64_t)i + 1)]);  // Fisher-Yates
    std::vector<int> test(perm.begin(), perm.begin() + n_test), train(perm.begin() + n_test, perm.end());
    std::sort(test.begin(), test.end());
    std::sort(train.begin(), train.end());
    return {d.rows(train), d.rows(test)};
}

// ----------------------------------------------------------------------------------------------
std::vector<int> argmax_rows(const Tensor& scores) {
    const int N = scores.rows(), C = scores.cols();
    std::vector<int> out((size_t)N);
    for (int i = 0; i < N; i++) {
        int best = 0;
        for (int j = 1; j < C; j++) best = scores.at(i, j) > scores.at(i, best) ? j : best;
        out[(size_t)i] = best;
    }
    return out;
}

double accuracy(const Tensor& scores, const std::vector<int>& labels) {
    if ((int)labels.size() != scores.rows())
        throw Error("accuracy: " + std::to_string(labels.size()) + " labels for " + std::to_string(scores.rows()) + " rows of scores");
    const std::vector<int> pred = argmax_rows(scores);
    long correct = 0;
    for (size_t i = 0; i < pred.size(); i++) correct += pred[i] == labels[i];
    return pred.empty() ? 0.0 : (double)correct / (double)pred.size();
}

std::string resolve_data_dir(const std::string& flag_value) {
    if (!flag_value.empty()) return flag_value;
    const char* env = std::getenv("TAPEGRAD_DATA");
    if (env && *env) return env;
    return DEFAULT_DATA_DIR;
}

}  // namespace tg
