// dataset.cpp — Dataset::subset and the data-directory rule (see dataset.h).
#include "data/dataset.h"

#include <cstdlib>

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
    out.classes = classes;  // kept from the full set, so a subset's one-hot width matches the model's
    out.source = source;
    return out;
}

std::string resolve_data_dir(const std::string& flag_value) {
    if (!flag_value.empty()) return flag_value;
    const char* env = std::getenv("TAPEGRAD_DATA");
    if (env && *env) return env;
    return DEFAULT_DATA_DIR;
}

}  // namespace tg
