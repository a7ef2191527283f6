// axes.h — what line and scatter plots (plot.h) share: the colour palette, "nice" tick values, and
// the frame of a plot with its title, grid lines, ticks, tick labels, axis labels and legend.
// A plot asks draw_axes for the frame, then draws its data inside it with PlotArea::px / py.
#pragma once
#include <string>
#include <vector>

#include "io/image.h"

namespace tg {

// The k-th of 10 colours that stay distinguishable side by side (matplotlib's "tab10"); k >= 10
// repeats them, k % 10.
Rgb palette_color(int k);

// ---- ticks ------------------------------------------------------------------------------------
// The step from {1, 2, 5} x 10^k that cuts `span` into about `target` pieces.
double nice_step(double span, int target);
// The multiples of `step` in [lo, hi] (with a little tolerance for rounding).
std::vector<double> ticks_between(double lo, double hi, double step);
// A tick's text with as many decimals as the step needs: 0.25 at step 0.05, 15 at step 5.
std::string tick_label(double v, double step);

struct Axis {
    double lo = 0, hi = 1;      // the range shown (values, not logarithms)
    bool log = false;           // log10 scale; then 0 < lo < hi
    double step = 0;            // tick spacing on a linear axis (0 on a log axis)
    std::vector<double> ticks;  // tick values in [lo, hi]
    // Where v falls along the axis: 0 at lo, 1 at hi (measured in log10 on a log axis).
    double frac(double v) const;
    std::string label(double v) const;  // the tick text for v
};

// An axis over the finite values of `v` (the positive ones when `log`) plus a 4% margin, with
// about `target` ticks. `integer_ticks` keeps the step >= 1 (epochs, class numbers).
Axis make_axis(const std::vector<double>& v, bool log, int target, bool integer_ticks = false);

// ---- the frame --------------------------------------------------------------------------------
struct LegendEntry {
    std::string name;
    Rgb color;
    bool dot = false;  // a dot (scatter class) instead of a short line (series)
};

struct PlotText {
    std::string title, xlabel, ylabel;
    int scale = 2;  // text scale of labels, ticks and legend; the title is drawn one step larger
};

// The data area of a drawn frame, in pixels, and the mapping from data values into it.
struct PlotArea {
    int x = 0, y = 0, w = 0, h = 0;  // top-left corner and size
    Axis xaxis, yaxis;
    double px(double v) const { return x + xaxis.frac(v) * w; }        // data x -> pixel x
    double py(double v) const { return y + h - yaxis.frac(v) * h; }    // data y -> pixel y (up)
};

// Lays out and draws everything but the data on `img` (cleared to white): title, axis labels,
// grid lines, the frame with ticks and tick labels, and the legend right of the frame. The axes
// are built here from the data (xs, ys), so the tick count can follow the frame's size.
PlotArea draw_axes(Image& img, const std::vector<double>& xs, const std::vector<double>& ys,
                   bool log_y, bool integer_x, const PlotText& text,
                   const std::vector<LegendEntry>& legend);

}  // namespace tg
