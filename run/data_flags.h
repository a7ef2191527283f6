// data_flags.h — the image-folder flags (--channels, --size, --skip-bad) for a program that trains on --data,
// and its training and test splits read with them. reduce and compare declare the same three flags; the
// training examples that take them (gan, dcgan, sample_quality, ...) call add_image_flags. The reader behind
// both is io/load_any.h; without these flags load_train_test (run/training.h) reads folders as grayscale.
#pragma once
#include <string>

#include "io/load_any.h"
#include "run/flags.h"
#include "run/training.h"

namespace tg {

struct ImageFlags {
    int channels = 1;      // --channels: 1 (grayscale) or 3 (RGB, channels last)
    std::string size;      // --size HxW; "" = the first image's size
    bool skip_bad = false; // --skip-bad
};
void add_image_flags(Cli& cli, ImageFlags& f);

// The flags as DataOptions; input_error naming the flag for --channels 2 or a malformed --size.
DataOptions data_options(const ImageFlags& f);

// load_train_test(f) with the reading options `o` for an image folder or a CSV (an idx directory, or no
// --data, reads as load_train_test(f) does): a seeded 80/20 split, the first --train-limit training rows,
// one line saying what was loaded.
TrainTest load_train_test(const CommonFlags& f, const DataOptions& o);

}  // namespace tg
