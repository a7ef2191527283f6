// data_arg.h — a data argument of a program given as flag text: an idx directory (its train split, or t10k for
// new rows), an image folder, an idx3 images file (no labels), or a CSV whose label column is found by --label.
// The one reader behind it is io/load_any.h (which also takes the image-folder options). Also: the flags that
// describe your own data (--label, --channels, --size, --skip-bad) and compare's --train/--test pair.
#pragma once
#include <string>

#include "data/dataset.h"
#include "io/load_any.h"
#include "run/flags.h"
#include "run/training.h"

namespace tg {

// `path` as a Dataset; `flag` names the argument in messages. test: an idx directory's t10k split. label_flag
// (CSV only): "auto" (the column whose header cell is label, class or target; none if there is no such
// cell), "none", "first", "last" or a 0-based column index. A missing path is an input_error naming the flag.
Dataset load_data_arg(const std::string& flag, const std::string& path, bool test, const std::string& label_flag);

// --label, --channels, --size and --skip-bad on `cli`; once cli.parse has read them, d.opt holds them parsed
// and checked (a bad value is an input_error naming the flag).
struct DataFlags {
    std::string label = "auto", size;
    DataOptions opt;
};
void add_data_flags(Cli& cli, DataFlags& d);

// Your own data for measuring (compare --train): the training rows of `train_path` (the first train_limit),
// and the test rows: `test_path`, an idx directory's t10k split, or a seeded `test_split` share of the
// training rows. Labels are checked (a stray label, a test label never seen in training); prints one line.
TrainTest load_own_train_test(const std::string& train_path, const std::string& test_path, double test_split, DataOptions o,
                              uint64_t seed, int train_limit);

}  // namespace tg
