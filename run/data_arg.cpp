// data_arg.cpp — a program's data argument, read by io/load_any.h, its flags, and compare's own-data split
// (run/data_arg.h).
#include "run/data_arg.h"

#include <cstdio>

#include "data/image_folder.h"
#include "data/labels.h"

namespace tg {

Dataset load_data_arg(const std::string& flag, const std::string& path, bool test, const std::string& label_flag) {
    DataOptions o;
    o.test_split = test;
    o.label_column = parse_label_flag(label_flag);
    return load_any(path, o, flag);
}

void add_data_flags(Cli& cli, DataFlags& d) {
    cli.add("label", &d.label, "CSV label column: auto (a header cell named label/class/target), none, first, last, or a 0-based index");
    cli.add("channels", &d.opt.image.channels, "image folders: 1 (grayscale) or 3 (RGB)", 1, 3);
    cli.add("size", &d.size, "image folders: resize every image to HxW, e.g. 28x28 (default: the first image's size)");
    cli.add("skip-bad", &d.opt.image.skip_bad, "image folders: skip unreadable or odd-sized images (counted) instead of stopping");
    cli.after_parse([&d] {
        d.opt.label_column = parse_label_flag(d.label);
        if (d.opt.image.channels == 2) throw input_error("--channels: 2 is not 1 (grayscale) or 3 (RGB)");
        if (!d.size.empty()) parse_size(d.size, d.opt.image.height, d.opt.image.width);
    });
}

TrainTest load_own_train_test(const std::string& train_path, const std::string& test_path, double test_split, DataOptions o,
                              uint64_t seed, int train_limit) {
    Dataset all = load_any(train_path, o, "--train");
    if (all.class_names.empty()) check_label_gaps(all.y, train_path);  // data/labels.h
    o.test_split = true;  // an idx directory: its t10k split
    TrainTest d;
    if (!test_path.empty()) d = {all, load_any(test_path, o, "--test")};
    else if (is_idx_dir(train_path)) d = {all, load_any(train_path, o, "--train")};
    else {
        Split s = train_test_split(all, test_split, seed);
        d = {s.train, s.test};
    }
    if (!test_path.empty()) check_labels_seen(d.test.y, test_path, d.train.y, train_path);
    if (d.test.dim() != d.train.dim())
        throw input_error("--test: " + test_path + " has " + std::to_string(d.test.dim()) + " values per row, --train " + std::to_string(d.train.dim()) +
                          "; pass test rows with the same columns (or images of the same size: --size HxW)");
    d.train = d.train.subset(train_limit);
    printf("data: %d train, %d test rows of %d values%s from %s%s\n", d.train.size(), d.test.size(), d.train.dim(),
           d.train.is_image() ? (" (" + std::to_string(d.train.height) + "x" + std::to_string(d.train.width) + " images)").c_str() : "",
           train_path.c_str(), d.train.has_labels() ? (", " + std::to_string(d.train.classes) + " classes").c_str() : ", no labels");
    return d;
}

}  // namespace tg
