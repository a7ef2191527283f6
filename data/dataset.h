// dataset.h — a data set in memory, as every loader returns it and every model reads it.
// N = items, D = values per item. Loaders live beside this file: idx.h (MNIST-style files),
// csv.h (tables of numbers), synthetic.h (generated sets); batcher.h walks a Dataset in mini-batches.
// This file also holds the one rule for where the image data lives (resolve_data_dir).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

struct ByteImages;  // data/stream.h

struct Dataset {
    Tensor x;                   // (N, D) values; images are scaled to [0, 1] (byte / 255)
    std::vector<int> y;         // (N) labels in [0, classes), or empty when there are none
    int height = 0, width = 0;  // image geometry, D == height * width; 0 when the items are not images
    int classes = 0;            // 1 + the largest label; 0 when there are no labels
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
};

// Where the idx files are: a non-empty `flag_value` (--data DIR) wins; else $TAPEGRAD_DATA when set
// and non-empty; else /usr/share/datasets/fashion-mnist (where Debian's dataset-fashion-mnist puts it).
// It only chooses: load_idx_split checks that the directory and its files are there.
std::string resolve_data_dir(const std::string& flag_value);

// The default above, for help texts.
extern const char* const DEFAULT_DATA_DIR;

}  // namespace tg
