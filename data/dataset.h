// dataset.h — a data set in memory, as every loader returns it and every model reads it.
// N = items, D = values per item. Loaders: io/idx.h (MNIST-style files), io/csv.h (tables of numbers),
// data/image_folder.h (DIR/<class>/*.png), io/load_any.h (any of them by path), data/synthetic.h (generated
// sets); data/batcher.h walks a Dataset in mini-batches.
// This file also holds the one rule for where the image data lives (resolve_data_dir).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

struct ByteImages;  // data/stream.h

struct Dataset {
    Tensor x;                   // (N, D) values; images are scaled to [0, 1] (byte / 255)
    std::vector<int> y;         // (N) labels in [0, classes), or empty when there are none
    int height = 0, width = 0;  // image geometry, D == channels * height * width; 0 when the items are not images
    int channels = 1;           // 1 (grayscale) or 3 (RGB, channels last: (H, W, 3) per item, as io/png.h draws them)
    int classes = 0;            // 1 + the largest label; 0 when there are no labels
    std::vector<std::string> class_names;  // (classes) names when known (an image folder's subfolders), else empty
    std::string source;         // where it came from (file paths or a generator), for messages
    // --stream (data/stream.h): the first `streamed` images of this mapped file, x empty; the Batcher
    // converts a batch at a time
    std::shared_ptr<const ByteImages> bytes;
    int streamed = 0;

    int size() const { return bytes ? streamed : x.ndim() ? x.dim(0) : 0; }  // N
    int dim() const { return bytes ? height * width : x.ndim() ? x.cols() : 0; }  // D
    bool has_labels() const { return !y.empty(); }
    // The first n items (all of them when n >= N), e.g. for --train-limit. n must be >= 0.
    Dataset subset(int n) const;
    // The items at `index`, in that order (a row gather; repeats allowed). Each index must be in [0, N).
    Dataset rows(const std::vector<int>& index) const;
    bool is_image() const { return height > 0 && width > 0 && dim() == channels * height * width; }
};

// A seeded random split, as scikit-learn's train_test_split: round(test_fraction * N) items (at least 1,
// and at least 1 left for training) go to `test`, the rest to `train`, each in file order. Shuffled by an
// Rng of `seed`: the same seed gives the same split. test_fraction must be in (0, 1) and N >= 2.
struct Split { Dataset train, test; };
Split train_test_split(const Dataset& d, double test_fraction, uint64_t seed);

// ----------------------------------------------------------------------------------------------
// argmax and accuracy, the one place a classifier's outputs become predicted classes.
// Index of the largest of row i of scores (N, C) (the first on ties), for every row: (N) classes.
std::vector<int> argmax_rows(const Tensor& scores);
// Share of rows whose argmax equals the label, in [0, 1]; 0 for no rows. labels.size() must equal N.
double accuracy(const Tensor& scores, const std::vector<int>& labels);

// Where the idx files are: a non-empty `flag_value` (--data DIR) wins; else $TAPEGRAD_DATA when set
// and non-empty; else /usr/share/datasets/fashion-mnist (where Debian's dataset-fashion-mnist puts it).
// It only chooses: load_idx_split checks that the directory and its files are there.
std::string resolve_data_dir(const std::string& flag_value);

// The default above, for help texts.
extern const char* const DEFAULT_DATA_DIR;

}  // namespace tg
