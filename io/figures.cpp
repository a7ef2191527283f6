// figures.cpp — image rows, latent scatter, manifold grid, interpolations and reconstruction rows.
#include "io/figures.h"

#include <cmath>

#include "io/feature_plot.h"
#include "io/plot.h"
#include "io/png.h"

namespace tg {

std::vector<std::string> class_names_for(const Dataset& d) {
    static const char* fashion[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    std::vector<std::string> names;
    bool is_fashion = d.source.find("fashion") != std::string::npos && d.classes <= 10;
    if ((int)d.class_names.size() == d.classes && d.classes > 0) return d.class_names;  // an image folder's subfolders
    for (int k = 0; k < d.classes; k++) names.push_back(is_fashion ? fashion[k] : std::to_string(k));
    return names;
}

void write_image_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, int h, int w,
                      bool signed_range, int scale) {
    int n = rows.at(0).second.dim(0), D = h * w;
    Tensor all(Shape{(int)rows.size() * n, D});
    GridOptions opt;
    opt.cols = n;
    opt.scale = scale;
    opt.signed_range = signed_range;
    for (size_t r = 0; r < rows.size(); r++) {
        const Tensor& t = rows[r].second;
        if (t.dim(0) != n || (int)t.size() != n * D) throw Error("write_image_rows: row '" + rows[r].first + "' has shape " + t.shape.str());
        std::copy(t.data.begin(), t.data.end(), all.data.begin() + r * (size_t)n * D);
        opt.row_labels.push_back(rows[r].first);
    }
    write_image_grid(path, all, h, w, 1, opt);
}

void write_latent_scatter(const std::string& path, const Tensor& codes, const std::vector<int>& labels,
                          const std::vector<std::string>& names, const std::string& title) {
    ScatterPlot p;
    p.title = title;
    p.xlabel = "z1";
    p.ylabel = "z2";
    p.class_names = names;
    p.add(codes, labels);
    p.write(path, 720, 600);
}

double normal_quantile(double u) {
    // solve Φ(x) = u by bisection on Φ(x) = erfc(-x/√2)/2: slow but exact to 1e-12, and plain
    double lo = -40, hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
        double mid = (lo + hi) / 2;
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < u ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

void write_manifold(const std::string& path, const DecodeFn& decode, int n, int h, int w, int channels) {
    Tensor z(Shape{n * n, 2});
    for (int i = 0; i < n; i++)      // rows: z2 from high (top) to low, like a plot's y axis
        for (int j = 0; j < n; j++) {
            z.at(i * n + j, 0) = (real)normal_quantile((j + 0.5) / n);
            z.at(i * n + j, 1) = (real)normal_quantile((n - i - 0.5) / n);
        }
    GridOptions opt;
    opt.cols = n;
    opt.pad = 0;
    write_image_grid(path, decode(z), h, w, channels, opt);
}

void write_interpolation(const std::string& path, const DecodeFn& decode, const Tensor& codes, int steps, int h, int w, int channels) {
    int R = codes.dim(0) / 2, K = codes.dim(1);
    Tensor z(Shape{R * steps, K});
    for (int r = 0; r < R; r++)
        for (int s = 0; s < steps; s++) {
            real a = (real)s / (steps - 1);  // z = (1 - a) z0 + a z1
            for (int k = 0; k < K; k++) z.at(r * steps + s, k) = (1 - a) * codes.at(2 * r, k) + a * codes.at(2 * r + 1, k);
        }
    GridOptions opt;
    opt.cols = steps;
    opt.scale = 2;
    write_image_grid(path, decode(z), h, w, channels, opt);
}

void write_reconstruction_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, const Dataset& like) {
    if (!like.is_image()) return write_feature_rows(path, rows);
    if (like.channels == 1) return write_image_rows(path, rows, like.height, like.width, false, like.height <= 32 ? 3 : 1);
    const int n = rows[0].second.rows(), D = like.dim();
    Tensor all(Shape{(int)rows.size() * n, D});
    GridOptions g;
    g.cols = n;
    g.scale = like.height <= 32 ? 3 : 1;
    for (size_t r = 0; r < rows.size(); r++) {
        std::copy(rows[r].second.data.begin(), rows[r].second.data.end(), all.data.begin() + (ptrdiff_t)(r * n * D));
        g.row_labels.push_back(rows[r].first);
    }
    write_image_grid(path, all, like.height, like.width, like.channels, g);
}

}  // namespace tg
