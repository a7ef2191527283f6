// load_any.h — one entry for every program that reads a user's data (--data, --train, --test, --apply):
// a path is an idx directory (MNIST layout, io/idx.h), an image folder (DIR/<class>/*.png, data/image_folder.h),
// a single idx3 images file, or a CSV (io/csv.h). The flags that shape the reading are in DataOptions.
#pragma once
#include <string>

#include "data/image_folder.h"
#include "io/csv.h"

namespace tg {

struct DataOptions {
    ImageFolderOptions image;    // image folders: --channels, --size, --skip-bad
    int label_column = AUTO_LABEL;  // CSV: the label column (csv.h: AUTO_LABEL, NO_LABEL, an index)
    bool test_split = false;     // idx directory: read t10k-* instead of train-*
};

// True when dir holds train-images(-|.)idx3-ubyte or t10k-images... (gzipped or not).
bool is_idx_dir(const std::string& dir);

// Reads `path` as described above; `flag` ("--train") starts the messages. A missing path, or a directory
// that is neither an idx directory nor an image folder, is an input_error saying what is accepted.
// Skipped images (--skip-bad) are counted on stdout.
Dataset load_any(const std::string& path, const DataOptions& opt = {}, const std::string& flag = "--data");

// --label's text for CSVs: auto, none, first, last or a 0-based column index -> DataOptions::label_column.
int parse_label_flag(const std::string& text);

}  // namespace tg
