// data_arg.cpp — a program's data argument: idx directory, idx3 file or CSV (run/data_arg.h).
#include "run/data_arg.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "io/csv.h"
#include "io/idx.h"

namespace tg {

static bool is_dir(const std::string& p) {
    struct stat s;
    return stat(p.c_str(), &s) == 0 && S_ISDIR(s.st_mode);
}
static bool exists(const std::string& p) {
    struct stat s;
    return stat(p.c_str(), &s) == 0;
}
static std::string lower(std::string s) {
    for (char& c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}

// The label column of a CSV for --label: "none", "first", "last", a 0-based index, or "auto" = the column
// whose header cell is label, class, target or y (none when there is no such header cell).
static int label_column(const std::string& path, const std::string& flag) {
    if (flag == "none") return NO_LABEL;
    if (flag == "first") return 0;
    if (flag == "last") return -1;
    if (flag != "auto") {
        char* end = nullptr;
        long v = std::strtol(flag.c_str(), &end, 10);
        if (flag.empty() || *end != '\0' || v < 0)
            throw input_error("--label: '" + flag + "' is not auto, none, first, last or a 0-based column index");
        return (int)v;
    }
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    const char sep = line.find(';') != std::string::npos ? ';' : line.find('\t') != std::string::npos ? '\t' : ',';
    int col = 0;
    for (size_t p = 0; p <= line.size(); col++) {
        size_t q = line.find(sep, p);
        if (q == std::string::npos) q = line.size();
        std::string cell = line.substr(p, q - p);
        cell.erase(std::remove_if(cell.begin(), cell.end(), [](char c) { return c == '"' || c == ' ' || c == '\r' || c == '\xEF' || c == '\xBB' || c == '\xBF'; }), cell.end());
        const std::string l = lower(cell);
        if (l == "label" || l == "class" || l == "target" || l == "y") return col;
        p = q + 1;
    }
    return NO_LABEL;
}

// FILE_OR_DIR as a Dataset: an idx directory (its train split, or t10k when `test`), an idx3 images file
// (no labels), or a CSV.
Dataset load_data_arg(const std::string& flag, const std::string& path, bool test, const std::string& label_flag) {
    if (path.empty()) throw input_error(flag + ": empty path");
    if (!exists(path)) throw input_error(flag + ": " + path + " does not exist; pass an idx directory (like " + DEFAULT_DATA_DIR + ") or a CSV file");
    if (is_dir(path)) return load_idx_split(path, !test);
    if (path.find("idx3") != std::string::npos) return load_idx(path, "");
    CsvOptions o;
    o.label_column = label_column(path, label_flag);
    return load_csv(path, o);
}

}  // namespace tg
