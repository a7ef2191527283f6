// samples.cpp — a model's rows drawn as images or feature by feature, whichever the data is (io/samples.h).
#include "io/samples.h"

#include <algorithm>

#include "io/feature_plot.h"
#include "io/figures.h"
#include "io/png.h"

namespace tg {

void write_samples(const std::string& path, const Tensor& x, const Dataset& like, bool signed_range, int cols, int scale) {
    if (like.is_image()) {
        GridOptions grid;
        grid.cols = cols, grid.scale = scale, grid.signed_range = signed_range;
        return write_image_grid(path, x, like.height, like.width, like.channels, grid);
    }
    Tensor shown = x.first_slice(0, std::min(x.rows(), 6));
    if (signed_range)
        for (real& v : shown.data) v = (v + 1) / 2;
    std::vector<std::string> titles;
    for (int i = 0; i < shown.rows(); i++) titles.push_back("sample " + std::to_string(i + 1));
    write_feature_rows(path, {{"sample", shown}}, titles, "Samples, feature by feature (x: feature index, y: value)");
}

void write_sample_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, const Dataset& like) {
    if (!like.is_image()) return write_feature_rows(path, rows);
    if (like.channels == 1) return write_image_rows(path, rows, like.height, like.width);
    const int n = rows[0].second.rows(), D = like.dim();
    Tensor all(Shape{(int)rows.size() * n, D});  // RGB: every set a row of the grid, labelled
    GridOptions g;
    g.cols = n, g.scale = 2;
    for (size_t r = 0; r < rows.size(); r++) {
        std::copy(rows[r].second.data.begin(), rows[r].second.data.end(), all.data.begin() + (ptrdiff_t)(r * n * D));
        g.row_labels.push_back(rows[r].first);
    }
    write_image_grid(path, all, like.height, like.width, like.channels, g);
}

}  // namespace tg
