// plot.h — plots written as PNG: line plots (training curves), scatter plots (2-D embeddings
// coloured by class) and figures of several panels (one scatter per method -> scatter_all.png).
// The caller hands over numbers, no files are read:
//   LinePlot p;  p.title = "loss";  p.xlabel = "epoch";  p.add("train", xs, ys);  p.write("curves.png");
// Frames, ticks and legends come from axes.h; the canvas and text from image.h.
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "io/axes.h"
#include "io/image.h"

namespace tg {

// ---- line plots -------------------------------------------------------------------------------
struct LineSeries {
    std::string name;
    std::vector<double> x, y;  // same length; a NaN in either is a missing point
};

struct LinePlot {
    std::string title, xlabel, ylabel;
    bool log_y = false;  // log10 y axis; values <= 0 are then missing points too
    int text_scale = 0;  // 0 = automatic: 2 when the plot is at least 400 x 300, else 1
    std::vector<LineSeries> series;  // drawn in palette colours 0, 1, 2, ... in this order

    // Add a named series. The line breaks at missing points; a point with no neighbour is a dot.
    void add(const std::string& name, const std::vector<double>& x, const std::vector<double>& y);
    void add(const std::string& name, const std::vector<float>& x, const std::vector<float>& y);
    // Literal lists, add("fit", {1, 2, 3}, {0.5, 0.25, 0.2}), which the two above would both take.
    void add(const std::string& name, std::initializer_list<double> x, std::initializer_list<double> y);
    Image render(int width = 800, int height = 500) const;
    void write(const std::string& path, int width = 800, int height = 500) const;
};

// ---- scatter plots ----------------------------------------------------------------------------
struct ScatterPlot {
    std::string title, xlabel, ylabel;
    std::vector<double> x, y;               // point coordinates; NaN points are skipped
    std::vector<int> label;                 // class of each point, >= 0: colour palette_color(k)
    std::vector<std::string> class_names;   // legend text for class k; missing ones show k
    bool legend = true;                     // one entry per class present
    double radius = 0;                      // dot radius in pixels; 0 = by point count
    float opacity = 0;                      // 0 = by point count (lower when many overlap)
    int text_scale = 0;                     // 0 = automatic, as for LinePlot

    void add(double px, double py, int klass = 0);
    // points: (N, 2) coordinates; labels: one class per point, or empty for class 0.
    void add(const Tensor& points, const std::vector<int>& labels = {});
    Image render(int width = 640, int height = 560) const;
    void write(const std::string& path, int width = 640, int height = 560) const;
};

// ---- figures of several panels ----------------------------------------------------------------
// Panels (plots, image grids) in a grid, each under an optional caption, the figure under a
// title. Every cell is as large as the largest panel; smaller panels sit centred in theirs.
struct Figure {
    std::string title;
    int cols = 0;  // panels per row; 0 = near-square
    std::vector<Image> panels;
    std::vector<std::string> captions;  // one per panel ("" for none)

    void add(const Image& panel, const std::string& caption = "");
    Image render() const;
    void write(const std::string& path) const;
};

}  // namespace tg
