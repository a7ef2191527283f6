// load_any.cpp — which reader a path needs (see load_any.h).
#include "io/load_any.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include "io/idx.h"

namespace tg {

bool is_idx_dir(const std::string& dir) {
    DIR* d = opendir(dir.c_str());
    if (!d) return false;
    bool found = false;
    while (dirent* e = readdir(d)) {
        const std::string n = e->d_name;
        if ((n.rfind("train-images", 0) == 0 || n.rfind("t10k-images", 0) == 0) && n.find("idx3") != std::string::npos) found = true;
    }
    closedir(d);
    return found;
}

int parse_label_flag(const std::string& t) {
    if (t == "auto") return AUTO_LABEL;
    if (t == "none") return NO_LABEL;
    if (t == "first") return 0;
    if (t == "last") return -1;
    char* end = nullptr;
    const long v = std::strtol(t.c_str(), &end, 10);
    if (t.empty() || *end != '\0' || v < 0 || v > 1000000)
        throw input_error("--label: '" + t + "' is not auto, none, first, last or a 0-based column index");
    return (int)v;
}

Dataset load_any(const std::string& path, const DataOptions& opt, const std::string& flag) {
    if (path.empty()) throw input_error(flag + ": empty path; pass an idx directory, an image folder or a CSV file");
    struct stat s;
    if (stat(path.c_str(), &s) != 0)
        throw input_error(flag + ": " + path + " does not exist; pass an idx directory (like " + DEFAULT_DATA_DIR +
                          "), an image folder (DIR/<class>/*.png) or a CSV file");
    if (S_ISDIR(s.st_mode)) {
        if (is_idx_dir(path)) return load_idx_split(path, !opt.test_split);
        if (!is_image_folder(path))
            throw input_error(flag + ": " + path + " is a directory with neither idx files (train-images-idx3-ubyte...) nor images "
                              "(DIR/<class>/*.png|jpg|bmp, or images directly in it)");
        ImageFolderReport report;
        Dataset d = load_image_folder(path, opt.image, &report);
        if (!report.skipped.empty()) {
            printf("%s: skipped %zu bad image(s) of %s (--skip-bad), the first: %s\n", flag.c_str(), report.skipped.size(), path.c_str(),
                   report.skipped.front().c_str());
            fflush(stdout);
        }
        return d;
    }
    if (path.find("idx3") != std::string::npos) return load_idx(path, "");
    CsvOptions o;
    o.label_column = opt.label_column;
    return load_csv(path, o);
}

}  // namespace tg
