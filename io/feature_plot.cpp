// feature_plot.cpp — write_feature_rows (see feature_plot.h): a LinePlot per shown row, one series per
// method, the panels side by side in a Figure.
#include "io/feature_plot.h"

#include "io/plot.h"

namespace tg {

void write_feature_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows,
                        const std::vector<std::string>& panel_titles, const std::string& title) {
    if (rows.empty()) throw Error("write_feature_rows: " + path + ": no rows to draw");
    const int n = rows[0].second.rows(), D = rows[0].second.cols();
    for (const auto& r : rows)
        if (r.second.rows() != n || r.second.cols() != D) throw Error("write_feature_rows: '" + r.first + "' has shape " + r.second.shape.str());
    Figure fig;
    fig.title = title;
    fig.cols = std::min(n, 3);
    std::vector<double> xs((size_t)D);
    for (int j = 0; j < D; j++) xs[(size_t)j] = j + 1;
    for (int i = 0; i < n; i++) {
        LinePlot p;
        p.title = i < (int)panel_titles.size() ? panel_titles[(size_t)i] : "row " + std::to_string(i + 1);
        p.xlabel = "feature";
        p.ylabel = "value";
        for (const auto& r : rows) {
            std::vector<double> ys((size_t)D);
            for (int j = 0; j < D; j++) ys[(size_t)j] = r.second.at(i, j);
            p.add(r.first, xs, ys);
        }
        fig.add(p.render(560, 380));
    }
    fig.write(path);
}

}  // namespace tg
