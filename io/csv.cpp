// csv.cpp — load_csv and save_csv (see csv.h for what is accepted).
// N = rows of data, C = columns in the file, D = feature columns (C, or C - 1 with a label column).
// The file is read whole, then walked line by line; each line is split into cells, each cell parsed
// with strtod. Line numbers in messages count every line of the file from 1, blank ones included;
// column numbers count from 1 as a spreadsheet does (label_column itself is a 0-based index).
#include "io/csv.h"

#include "io/atomic_file.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

namespace tg {

namespace {

// Cells of one line: [begin, end) pointers into the line, trimmed of spaces and surrounding quotes.
struct Cell {
    const char* b;
    const char* e;
    std::string text() const { return std::string(b, e); }
};

void split_cells(const char* b, const char* e, char sep, std::vector<Cell>& cells) {
    cells.clear();
    for (;;) {
        const char* end = b;
        while (end < e && *end != sep) end++;
        Cell c{b, end};
        while (c.b < c.e && (*c.b == ' ' || *c.b == '\t')) c.b++;
        while (c.e > c.b && (c.e[-1] == ' ' || c.e[-1] == '\t')) c.e--;
        if (c.e - c.b >= 2 && *c.b == '"' && c.e[-1] == '"') c.b++, c.e--;
        cells.push_back(c);
        if (end == e) break;
        b = end + 1;
    }
}

// Parses a whole cell as a number; false when it is empty or has anything else in it.
bool parse_number(const Cell& c, double& v) {
    if (c.b == c.e) return false;
    char buf[64];
    size_t n = (size_t)(c.e - c.b);
    if (n >= sizeof buf) {  // a very long cell: copy it to a string (strtod needs a terminated buffer)
        std::string s = c.text();
        char* end = nullptr;
        v = strtod(s.c_str(), &end);
        return end == s.c_str() + n;
    }
    memcpy(buf, c.b, n);
    buf[n] = 0;
    char* end = nullptr;
    v = strtod(buf, &end);
    return end == buf + n;
}

bool is_blank(const char* b, const char* e) {
    for (; b < e; b++)
        if (*b != ' ' && *b != '\t') return false;
    return true;
}

std::string quote_cell(const Cell& c) {
    std::string t = c.text();
    if (t.size() > 40) t = t.substr(0, 40) + "...";
    return "'" + t + "'";
}

}  // namespace

// ----------------------------------------------------------------------------------------------
Dataset load_csv(const std::string& path, const CsvOptions& opt) {
    // Read whole, in chunks and up to MAX_BYTES: a pipe (`<(zcat x.csv.gz)`) works, while /dev/zero or a
    // runaway stream stops with an error instead of filling the memory. A folder is named as one.
    const size_t MAX_BYTES = 0x7FFFFFFF;
    struct stat st;
    const bool found = stat(path.c_str(), &st) == 0;
    if (found && S_ISDIR(st.st_mode)) throw input_error("csv: " + path + ": is a directory; pass the path of a CSV file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error("csv: " + path + ": cannot open (" + strerror(errno) + "); check the path");
    std::string text;
    if (found && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= MAX_BYTES) text.reserve((size_t)st.st_size);
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, (size_t)in.gcount());
        if (text.size() > MAX_BYTES)
            throw input_error("csv: " + path + ": larger than 2 GB (the limit is 2^31 - 1 bytes, read whole into memory); "
                              "split it into smaller files, or keep fewer rows");
    }
    if (in.bad()) throw input_error("csv: " + path + ": read error; check the file");

    const char* p = text.data();
    const char* end = p + text.size();
    if (text.size() >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;  // UTF-8 byte-order mark

    const std::string where = "csv: " + path + ": ";
    char sep = 0;
    int ncols = -1, label_col = -1, header_line = 0, first_line = 0;
    int line_no = 0, top_label = -1, n = 0;  // n counts data rows
    std::vector<real> values;
    std::vector<int> labels;
    std::vector<Cell> cells;
    while (p < end) {
        const char* nl = (const char*)memchr(p, '\n', (size_t)(end - p));
        const char* le = nl ? nl : end;
        const char* lb = p;
        p = nl ? nl + 1 : end;
        line_no++;
        if (le > lb && le[-1] == '\r') le--;
        if (is_blank(lb, le)) continue;

        if (ncols < 0) {  // the first non-blank line fixes the separator, the column count and the header
            sep = memchr(lb, ';', (size_t)(le - lb)) ? ';' : memchr(lb, '\t', (size_t)(le - lb)) ? '\t' : ',';
            split_cells(lb, le, sep, cells);
            ncols = (int)cells.size();
            first_line = line_no;
            bool numeric = true;
            double v;
            for (const Cell& c : cells) numeric = numeric && parse_number(c, v);
            bool header = opt.header == 1 || (opt.header == -1 && !numeric);
            int want = opt.label_column;
            if (want == AUTO_LABEL) {  // a header cell named label/class/target, else no labels
                want = NO_LABEL;
                for (int j = 0; header && j < ncols && want == NO_LABEL; j++) {
                    std::string t = cells[(size_t)j].text();
                    for (char& ch : t) ch = (char)std::tolower((unsigned char)ch);
                    if (t == "label" || t == "class" || t == "target") want = j;
                }
            }
            if (want != NO_LABEL) {
                label_col = want < 0 ? ncols + want : want;
                if (label_col < 0 || label_col >= ncols)
                    throw input_error(where + "label column index " + std::to_string(want) + " is out of range for " +
                                      std::to_string(ncols) + " columns; pass 0.." + std::to_string(ncols - 1) +
                                      " (0-based), -1 for the last column, or no label column");
                if (ncols == 1)
                    throw input_error(where + "the only column is the label column, which leaves no features; pass a file with more columns, or no label column");
            }
            if (header) {
                header_line = line_no;
                continue;
            }
        }

        split_cells(lb, le, sep, cells);
        if ((int)cells.size() != ncols)
            throw input_error(where + "line " + std::to_string(line_no) + " has " + std::to_string(cells.size()) + " columns, expected " +
                              std::to_string(ncols) + " (as on line " + std::to_string(first_line) +
                              "); every row needs the same number of cells");
        for (int j = 0; j < ncols; j++) {
            const Cell& c = cells[j];
            const std::string at = where + "line " + std::to_string(line_no) + ", column " + std::to_string(j + 1) + ": ";
            double v;
            if (!parse_number(c, v)) {
                if (c.b == c.e) throw input_error(at + "empty cell; fill in a number");
                std::string fix = "replace it with a number";
                if (memchr(c.b, ',', (size_t)(c.e - c.b))) fix = "write decimals with '.', not ','";
                if (line_no == first_line) fix = "this first row is read as data (header = 0); " + fix;
                throw input_error(at + quote_cell(c) + " is not a number; " + fix);
            }
            if (!std::isfinite(v) || !std::isfinite((real)v))
                throw input_error(at + quote_cell(c) + " is not a finite number" + (std::isfinite(v) ? " in this precision" : "") +
                                  "; replace missing or infinite values (e.g. with the column mean), or drop the row");
            if (j == label_col) {
                if (v < 0 || v != std::floor(v) || v >= opt.max_classes)
                    throw input_error(at + quote_cell(c) + " is not a class label: labels must be integers 0.." +
                                      std::to_string(opt.max_classes - 1) + "; map the classes to 0, 1, 2, ..., or choose another label column (or none)");
                labels.push_back((int)v);
                if ((int)v > top_label) top_label = (int)v;
            } else {
                values.push_back((real)v);
            }
        }
        n++;
    }
    if (ncols < 0) throw input_error(where + "the file is empty (no rows); pass a CSV with one row of numbers per item");
    const int d = label_col >= 0 ? ncols - 1 : ncols;
    if (n == 0)
        throw input_error(where + "has a header (line " + std::to_string(header_line) + ") but no data rows; add rows of numbers below it");

    Dataset out;
    out.x = Tensor(Shape{n, d}, std::move(values));  // (N, D)
    out.y = std::move(labels);
    out.classes = top_label + 1;
    out.source = path;
    return out;
}

void save_csv(const std::string& path, const Tensor& x, const std::vector<int>& labels) {
    const int n = x.rows(), d = x.cols();
    if (x.size() != (size_t)n * d) throw Error("save_csv: " + path + ": the tensor " + x.shape.str() + " holds no rows to write");
    if (!labels.empty() && (int)labels.size() != n)
        throw Error("save_csv: " + path + ": " + std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                    " rows; pass one label per row, or none");
    std::string text;  // built in memory, then written atomically (io/atomic_file.h)
    char cell[64];
    for (int j = 0; j < d; j++) text += (j ? ",c" : "c") + std::to_string(j);
    if (!labels.empty()) text += d ? ",label" : "label";
    text += '\n';
    const int digits = std::numeric_limits<real>::max_digits10;  // enough to read each value back exactly
    const real* v = x.ptr();
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
            snprintf(cell, sizeof cell, "%s%.*g", j ? "," : "", digits, (double)v[(size_t)i * d + j]);
            text += cell;
        }
        if (!labels.empty()) text += (d ? "," : "") + std::to_string(labels[i]);
        text += '\n';
    }
    write_file_atomically(path, text, "csv");
}

}  // namespace tg
