// plot.cpp — line plots, scatter plots and figures (see plot.h). Each render() gathers the data,
// lets draw_axes (axes.cpp) draw the frame, ticks and legend, then draws the data inside the frame
// through PlotArea's px() / py() mapping.
#include "io/plot.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "autograd/error.h"
#include "autograd/rng.h"

namespace tg {

static int auto_text_scale(int scale, int width, int height) {
    return scale > 0 ? scale : (width >= 400 && height >= 300 ? 2 : 1);
}

// ----------------------------------------------------------------------------------------------
// Line plots
void LinePlot::add(const std::string& name, const std::vector<double>& x,
                   const std::vector<double>& y) {
    if (x.size() != y.size())
        throw input_error("LinePlot::add: series \"" + name + "\" has " + std::to_string(x.size()) +
                          " x values but " + std::to_string(y.size()) + " y values; give one y per x");
    series.push_back({name, x, y});
}

void LinePlot::add(const std::string& name, const std::vector<float>& x,
                   const std::vector<float>& y) {
    add(name, std::vector<double>(x.begin(), x.end()), std::vector<double>(y.begin(), y.end()));
}

void LinePlot::add(const std::string& name, std::initializer_list<double> x,
                   std::initializer_list<double> y) {
    add(name, std::vector<double>(x), std::vector<double>(y));
}

Image LinePlot::render(int width, int height) const {
    const int s = auto_text_scale(text_scale, width, height);
    std::vector<double> xs, ys;  // every point of every series, for the axis ranges
    std::vector<LegendEntry> legend;
    for (size_t k = 0; k < series.size(); k++) {
        xs.insert(xs.end(), series[k].x.begin(), series[k].x.end());
        ys.insert(ys.end(), series[k].y.begin(), series[k].y.end());
        legend.push_back({series[k].name, palette_color((int)k)});
    }
    bool integer_x = true;  // epochs: no ticks at 2.5
    for (double x : xs)
        if (std::isfinite(x) && x != std::floor(x)) integer_x = false;

    Image img(width, height);
    const PlotArea a = draw_axes(img, xs, ys, log_y, integer_x, {title, xlabel, ylabel, s}, legend);
    const double line_w = 1 + 0.5 * s;
    for (size_t k = 0; k < series.size(); k++) {
        const LineSeries& sr = series[k];
        const Rgb c = palette_color((int)k);
        const size_t n = sr.x.size();
        auto ok = [&](size_t i) {  // a point that can be drawn
            return std::isfinite(sr.x[i]) && std::isfinite(sr.y[i]) && (!log_y || sr.y[i] > 0);
        };
        const bool markers = n <= 40;  // few points (epochs): mark each one
        for (size_t i = 0; i < n; i++) {
            if (!ok(i)) continue;
            const double px = a.px(sr.x[i]), py = a.py(sr.y[i]);
            const bool next = i + 1 < n && ok(i + 1), prev = i > 0 && ok(i - 1);
            if (next) draw_line(img, px, py, a.px(sr.x[i + 1]), a.py(sr.y[i + 1]), c, line_w);
            if (markers || (!next && !prev)) fill_circle(img, px, py, line_w + 0.5, c);
        }
    }
    return img;
}

void LinePlot::write(const std::string& path, int width, int height) const {
    write_png(path, render(width, height));
}

// ----------------------------------------------------------------------------------------------
// Scatter plots
void ScatterPlot::add(double px, double py, int klass) {
    if (klass < 0)
        throw input_error("ScatterPlot::add: class " + std::to_string(klass) +
                          " is negative; classes are numbered 0, 1, 2, ...");
    x.push_back(px), y.push_back(py), label.push_back(klass);
}

void ScatterPlot::add(const Tensor& points, const std::vector<int>& labels) {
    if (points.ndim() != 2 || points.dim(1) != 2)
        throw input_error("ScatterPlot::add: points " + points.shape.str() +
                          " must be (N, 2), one (x, y) row per point; reduce the data to 2-D first");
    if (!labels.empty() && (int)labels.size() != points.dim(0))
        throw input_error("ScatterPlot::add: " + std::to_string(labels.size()) + " labels for " +
                          std::to_string(points.dim(0)) + " points; give one per point or none");
    for (int i = 0; i < points.dim(0); i++)
        add(points.at(i, 0), points.at(i, 1), labels.empty() ? 0 : labels[i]);
}

Image ScatterPlot::render(int width, int height) const {
    const int n = (int)x.size();
    if (y.size() != x.size() || label.size() != x.size())
        throw input_error("ScatterPlot: x, y and label hold " + std::to_string(x.size()) + ", " +
                          std::to_string(y.size()) + " and " + std::to_string(label.size()) +
                          " values; they must match (add() fills all three)");
    const int s = auto_text_scale(text_scale, width, height);

    std::vector<LegendEntry> entries;  // one per class present, in class order
    if (legend) {
        std::vector<int> classes = label;
        std::sort(classes.begin(), classes.end());
        classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
        for (int k : classes)
            entries.push_back({k >= 0 && k < (int)class_names.size() ? class_names[k] : std::to_string(k),
                               palette_color(k), true});
    }

    Image img(width, height);
    const PlotArea a = draw_axes(img, x, y, false, false, {title, xlabel, ylabel, s}, entries);
    // Large solid dots for a few hundred points; small translucent ones for ten thousand, so that
    // dense clusters still show their shape and overlaps show as deeper colour.
    const double r = radius > 0 ? radius : n <= 500 ? 3.0 : n <= 3000 ? 2.2 : 1.6;
    const float alpha = opacity > 0 ? opacity : n <= 1000 ? 1.0f : n <= 5000 ? 0.75f : 0.6f;
    // Draw in a fixed shuffled order: with data sorted by class, the last class would otherwise
    // paint over all the others (Fisher-Yates with a fixed seed, so a plot is reproducible).
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    Rng rng(1);
    for (int i = n - 1; i > 0; i--) std::swap(order[i], order[rng.below(i + 1)]);
    for (int i : order) fill_circle(img, a.px(x[i]), a.py(y[i]), r, palette_color(label[i]), alpha);
    return img;
}

void ScatterPlot::write(const std::string& path, int width, int height) const {
    write_png(path, render(width, height));
}

// ----------------------------------------------------------------------------------------------
// Figures
void Figure::add(const Image& panel, const std::string& caption) {
    panels.push_back(panel);
    captions.push_back(caption);
}

Image Figure::render() const {
    const int n = (int)panels.size();
    if (n == 0) throw input_error("Figure: no panels to draw; add() at least one");
    const int c = cols > 0 ? std::min(cols, n) : (int)std::ceil(std::sqrt((double)n));
    const int rows = (n + c - 1) / c;
    int cell_w = 0, cell_h = 0;
    for (const Image& p : panels) cell_w = std::max(cell_w, p.width), cell_h = std::max(cell_h, p.height);

    const int s = 2, gap = 12;
    const Rgb ink{30, 30, 30};
    auto caption = [&](int i) { return i < (int)captions.size() ? captions[i] : std::string(); };
    bool any_caption = false;
    for (int i = 0; i < n; i++) any_caption = any_caption || !caption(i).empty();
    const int caption_h = any_caption ? text_height("0", s) + gap / 2 : 0;
    const int title_h = title.empty() ? 0 : text_height(title, s + 1) + gap;

    Image fig(gap + c * (cell_w + gap), gap + title_h + rows * (caption_h + cell_h + gap));
    draw_text(fig, std::max(gap, (fig.width - text_width(title, s + 1)) / 2), gap, title, ink, s + 1);  // never cut at the left
    for (int i = 0; i < n; i++) {
        const int x0 = gap + (i % c) * (cell_w + gap);
        const int y0 = gap + title_h + (i / c) * (caption_h + cell_h + gap);
        draw_text(fig, x0 + (cell_w - text_width(caption(i), s)) / 2, y0, caption(i), ink, s);
        paste(fig, panels[i], x0 + (cell_w - panels[i].width) / 2,
              y0 + caption_h + (cell_h - panels[i].height) / 2);
    }
    return fig;
}

void Figure::write(const std::string& path) const { write_png(path, render()); }

}  // namespace tg
