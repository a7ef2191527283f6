// data_flags.cpp — --channels, --size and --skip-bad, and the splits read with them (run/data_flags.h).
#include "run/data_flags.h"

#include <cstdio>

#include "data/labels.h"

namespace tg {

void add_image_flags(Cli& cli, ImageFlags& f) {
    cli.add("channels", &f.channels, "image folders: 1 (grayscale) or 3 (RGB)", 1, 3);
    cli.add("size", &f.size, "image folders: resize every image to HxW, e.g. 28x28 (default: the first image's size)");
    cli.add("skip-bad", &f.skip_bad, "image folders: skip unreadable or odd-sized images (counted) instead of stopping");
}

DataOptions data_options(const ImageFlags& f) {
    if (f.channels == 2) throw input_error("--channels: 2 is not 1 (grayscale) or 3 (RGB)");
    DataOptions o;
    o.image.channels = f.channels;
    o.image.skip_bad = f.skip_bad;
    if (!f.size.empty()) parse_size(f.size, o.image.height, o.image.width);
    return o;
}

TrainTest load_train_test(const CommonFlags& f, const DataOptions& o) {
    const std::string dir = resolve_data_dir(f.data);
    if (f.data.empty() || is_idx_dir(dir)) return load_train_test(f);
    if (f.stream) throw input_error("--stream: streams idx image files only; " + dir + " is not an idx directory (run without --stream)");
    Dataset all = load_any(dir, o, "--data");
    if (all.class_names.empty()) check_label_gaps(all.y, dir);  // CSV labels: a stray value must not make a class
    Split s = train_test_split(all, 0.2, (uint64_t)f.seed);
    TrainTest d{s.train, s.test};
    if (f.train_limit > 0) d.train = d.train.subset(f.train_limit);
    announce_data(d, dir);
    return d;
}

}  // namespace tg
