// data_arg.h — a data argument of a program given as flag text: an idx directory (its train split, or t10k for
// new rows), an image folder, an idx3 images file (no labels), or a CSV whose label column is found by --label.
// The one reader behind it is io/load_any.h (which also takes the image-folder options).
#pragma once
#include <string>

#include "data/dataset.h"

namespace tg {

// `path` as a Dataset; `flag` names the argument in messages. test: an idx directory's t10k split. label_flag
// (CSV only): "auto" (the column whose header cell is label, class or target; none if there is no such
// cell), "none", "first", "last" or a 0-based column index. A missing path is an input_error naming the flag.
Dataset load_data_arg(const std::string& flag, const std::string& path, bool test, const std::string& label_flag);

}  // namespace tg
