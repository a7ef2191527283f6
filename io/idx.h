// idx.h — readers for the idx format of MNIST and Fashion-MNIST (gzipped or raw).
// An idx file is a 4-byte magic (0x00, 0x00, data type, number of dims), one big-endian uint32 per
// dim, then the values. We read unsigned bytes only: images are idx3 (0x00000803: N, H, W), labels
// idx1 (0x00000801: N). Every size in a header is checked (overflow, a 2^31-byte cap, the file's real
// length) before anything is allocated; bytes past the declared data are an error, since they mean the
// header and the file disagree. Errors are input_errors naming the file, the problem and the fix.
#pragma once
#include <string>

#include "data/dataset.h"

namespace tg {

// One image file (idx3) and optionally one label file (idx1, "" for none), each gzipped or raw
// (zlib reads both). x is (N, H*W) with byte / 255 in [0, 1]; labels must be below max_classes.
Dataset load_idx(const std::string& images_path, const std::string& labels_path, int max_classes = 256);

// One split from a directory laid out like (Fashion-)MNIST: train-images-idx3-ubyte +
// train-labels-idx1-ubyte (train = true) or t10k-* (train = false). Both spellings are accepted
// (`train-images-idx3-ubyte` and `train-images.idx3-ubyte`), each with or without `.gz`.
// A missing directory or file is an input_error listing the names it looked for and how to fix it.
// Labels are checked (data/labels.h): the train split's must run without a gap (a stray 99 among 0..9 is
// refused); the t10k split's must each occur among the train labels of the same folder (without them, the
// gap rule). Either failure is an input_error naming the file, the index, the value and the labels seen.
Dataset load_idx_split(const std::string& dir, bool train);

}  // namespace tg
