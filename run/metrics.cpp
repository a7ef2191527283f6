// metrics.cpp — metrics.csv rows, resume, and the curves figure.
#include "run/metrics.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "autograd/error.h"
#include "io/atomic_file.h"
#include "io/plot.h"

namespace tg {

void write_file_atomic(const std::string& path, const std::string& text) {
    if (!file_writes()) return;  // a data-parallel rank other than 0 (io/atomic_file.h)
    const size_t dot = path.rfind('.'), slash = path.rfind('/');
    const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    write_file_atomically(path, text, has_ext ? path.substr(dot + 1) : "file");  // "csv: cannot write ...", "html: ..."
}

MetricsLog::MetricsLog(const std::string& out_dir, std::vector<std::string> cols)
    : path(out_dir + "/metrics.csv"), columns(std::move(cols)) {}

void MetricsLog::resume(int last_epoch) {
    rows.clear();
    std::ifstream in(path);
    if (!in) return;  // no earlier log: start a new one
    std::string line;
    std::getline(in, line);
    std::string header = "epoch,seconds";
    for (const std::string& c : columns) header += "," + c;
    if (line != header) return;  // a different model's log: start over rather than mix columns
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) row.push_back(cell.empty() ? NAN : std::strtod(cell.c_str(), nullptr));
        while (row.size() < columns.size() + 2) row.push_back(NAN);  // trailing empty cells
        if (row[0] <= last_epoch) rows.push_back(row);
    }
}

void MetricsLog::add(int epoch, double seconds, const std::vector<double>& values) {
    if (values.size() != columns.size())
        throw Error("metrics: " + std::to_string(values.size()) + " values for " + std::to_string(columns.size()) + " columns");
    std::vector<double> row = {(double)epoch, seconds};
    row.insert(row.end(), values.begin(), values.end());
    rows.push_back(row);
    std::string text = "epoch,seconds";
    for (const std::string& c : columns) text += "," + c;
    text += "\n";
    char buf[64];
    for (const std::vector<double>& r : rows) {
        for (size_t k = 0; k < r.size(); k++) {
            if (k) text += ",";
            if (k == 0) snprintf(buf, sizeof buf, "%d", (int)r[k]);
            else if (k == 1) snprintf(buf, sizeof buf, "%.3f", r[k]);
            else if (std::isnan(r[k])) buf[0] = 0;
            else snprintf(buf, sizeof buf, "%.9g", r[k]);  // 9 digits: a float round-trips exactly
            text += buf;
        }
        text += "\n";
    }
    write_file_atomic(path, text);
}

void MetricsLog::add_named(int epoch, double seconds, const std::vector<std::pair<std::string, double>>& cells) {
    std::vector<double> values(columns.size(), NAN);
    for (const auto& c : cells) {
        size_t k = 0;
        while (k < columns.size() && columns[k] != c.first) k++;
        if (k == columns.size()) throw Error("metrics: no column '" + c.first + "'");
        values[k] = c.second;
    }
    add(epoch, seconds, values);
}

double MetricsLog::last(const std::string& column) const {
    for (size_t k = 0; k < columns.size(); k++)
        if (columns[k] == column) {
            for (size_t r = rows.size(); r-- > 0;)
                if (!std::isnan(rows[r][k + 2])) return rows[r][k + 2];
            return NAN;
        }
    throw Error("metrics: no column '" + column + "'");
}

void MetricsLog::plot(const std::string& png_path, const std::vector<Panel>& panels) const {
    Figure fig;
    for (const Panel& p : panels) {
        LinePlot lp;
        lp.title = p.title;
        lp.xlabel = "epoch";
        lp.log_y = p.log_y;
        for (const std::string& c : p.columns) {
            size_t k = 0;
            while (k < columns.size() && columns[k] != c) k++;
            if (k == columns.size()) throw Error("metrics plot: no column '" + c + "'");
            std::vector<double> xs, ys;
            for (const std::vector<double>& r : rows) { xs.push_back(r[0]); ys.push_back(r[k + 2]); }
            lp.add(c, xs, ys);
        }
        fig.add(lp.render(560, 380));
    }
    fig.cols = (int)std::min<size_t>(panels.size(), 3);
    fig.write(png_path);
}

}  // namespace tg
