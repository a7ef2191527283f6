// axes.cpp — the palette, tick values and the frame of a plot (see axes.h).
// A plot is laid out from the outside in, every size growing with the text scale s:
//   top:    the title (scale s + 1)          left:  the y label (turned up), y tick labels, ticks
//   bottom: ticks, x tick labels, the x label  right: the legend, one row per entry
// The frame gets what is left; the tick counts then follow from the frame's size, so that tick
// labels never run into each other.
#include "io/axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "autograd/error.h"

namespace tg {

Rgb palette_color(int k) {
    static const Rgb tab10[10] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},
                                  {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
                                  {188, 189, 34},  {23, 190, 207}};
    return tab10[(k % 10 + 10) % 10];
}

// ----------------------------------------------------------------------------------------------
// Ticks
double nice_step(double span, int target) {
    double raw = span / std::max(target, 1);
    double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double f = raw / mag;  // in [1, 10)
    // round f to 1, 2, 5 or 10, switching at the geometric midpoints sqrt(2), sqrt(10), sqrt(50)
    double m = f < 1.414 ? 1 : f < 3.162 ? 2 : f < 7.071 ? 5 : 10;
    return m * mag;
}

std::vector<double> ticks_between(double lo, double hi, double step) {
    std::vector<double> ticks;
    const double eps = step * 1e-6;
    for (double k = std::ceil((lo - eps) / step); k * step <= hi + eps; k++)
        ticks.push_back(k == 0 ? 0.0 : k * step);  // k == 0 gives 0, never -0
    return ticks;
}

std::string tick_label(double v, double step) {
    char buf[32];
    int decimals = std::max(0, (int)std::ceil(-std::log10(step) - 1e-9));  // 0.05 -> 2, 5 -> 0
    if (std::fabs(v) < step * 1e-6) v = 0;                                   // 1e-17 -> 0
    if (std::fabs(v) >= 1e6 || decimals > 6)
        std::snprintf(buf, sizeof buf, "%.3g", v);
    else
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

double Axis::frac(double v) const {
    if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    return (v - lo) / (hi - lo);
}

std::string Axis::label(double v) const {
    if (step > 0) return tick_label(v, step);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);  // log axis: 0.001, 0.01, 1e+03 ...
    return buf;
}

Axis make_axis(const std::vector<double>& v, bool log, int target, bool integer_ticks) {
    // The range in axis units (log10 of the values on a log axis).
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double x : v)
        if (std::isfinite(x) && (!log || x > 0)) {
            lo = std::min(lo, log ? std::log10(x) : x);
            hi = std::max(hi, log ? std::log10(x) : x);
        }
    if (lo > hi) lo = 0, hi = 1;  // nothing to show: an empty unit range
    if (lo == hi) {               // one value: open a range around it
        double d = log ? 0.5 : lo == 0 ? 1 : std::fabs(lo) * 0.1;
        lo -= d, hi += d;
    }
    const double margin = 0.04 * (hi - lo);
    lo -= margin, hi += margin;

    Axis a;
    a.log = log;
    if (!log) {
        a.lo = lo, a.hi = hi;
        a.step = nice_step(hi - lo, target);
        if (integer_ticks) a.step = std::max(a.step, 1.0);
        a.ticks = ticks_between(lo, hi, a.step);
        return a;
    }
    a.lo = std::pow(10.0, lo), a.hi = std::pow(10.0, hi);
    // Powers of ten, every `every`-th one so that there are about `target`; 2x and 5x in between
    // when the range spans under three decades.
    const int d0 = (int)std::ceil(lo), d1 = (int)std::floor(hi);
    const int every = std::max(1, (int)std::ceil((d1 - d0 + 1) / (double)target));
    for (int d = d0 - 1; d <= d1; d++)
        for (double m : {1.0, 2.0, 5.0}) {
            double t = m * std::pow(10.0, d);
            bool wanted = m == 1 ? (d % every + every) % every == 0 : hi - lo < 3;
            if (wanted && t >= a.lo && t <= a.hi) a.ticks.push_back(t);
        }
    if (a.ticks.size() < 3) {  // about a decade or less (0.25 to 0.4): linear ticks read better
        a.step = nice_step(a.hi - a.lo, target);
        a.ticks = ticks_between(a.lo, a.hi, a.step);
    }
    return a;
}

// ----------------------------------------------------------------------------------------------
// The frame
PlotArea draw_axes(Image& img, const std::vector<double>& xs, const std::vector<double>& ys,
                   bool log_y, bool integer_x, const PlotText& text,
                   const std::vector<LegendEntry>& legend) {
    const int s = text.scale, gap = 4 * s, tick = 3 * s;
    const int th = text_height("0", s), cap = 7 * s;  // text box and capital-letter heights
    const Rgb ink{30, 30, 30}, frame{110, 110, 110}, grid{232, 232, 232};
    img.fill(kWhite);

    // Vertical layout, then the y axis: about one tick per 3 text heights.
    PlotArea a;
    a.y = gap + (text.title.empty() ? th / 2 : text_height(text.title, s + 1) + 2 * gap);
    const int bottom = tick + gap + th + (text.xlabel.empty() ? 0 : gap + th) + gap;
    a.h = img.height - a.y - bottom;
    a.yaxis = make_axis(ys, log_y, std::max(2, a.h / (3 * th)));

    // Horizontal layout: y label, y tick labels, frame, legend.
    int ytick_w = 0, name_w = 0;
    for (double t : a.yaxis.ticks) ytick_w = std::max(ytick_w, text_width(a.yaxis.label(t), s));
    for (const LegendEntry& e : legend) name_w = std::max(name_w, text_width(e.name, s));
    const int swatch = 7 * s;
    a.x = gap + (text.ylabel.empty() ? 0 : th + gap) + ytick_w + tick + gap / 2;
    const int right = legend.empty() ? 4 * gap : 3 * gap + swatch + gap + name_w;
    a.w = img.width - a.x - right;
    if (a.w < 40 || a.h < 40)
        throw input_error("plot: " + std::to_string(img.width) + " x " + std::to_string(img.height) +
                          " pixels leave no room for the data after titles, labels and legend; "
                          "make the plot larger or the text scale smaller");

    // The x axis: fewer ticks until the widest label fits between two ticks with room to spare.
    for (int target = std::max(2, a.w / (20 * s));; target--) {
        a.xaxis = make_axis(xs, false, target, integer_x);
        int label_w = 0;
        for (double t : a.xaxis.ticks) label_w = std::max(label_w, text_width(a.xaxis.label(t), s));
        double spacing = a.xaxis.step / (a.xaxis.hi - a.xaxis.lo) * a.w;
        if (target <= 2 || spacing >= label_w + 2 * gap) break;
    }

    // Grid lines and ticks with their labels; rows and columns are clamped into the frame.
    for (double t : a.yaxis.ticks) {
        int y = std::clamp((int)std::floor(a.py(t)), a.y, a.y + a.h - 1);
        fill_rect(img, a.x, y, a.w, 1, grid);
        fill_rect(img, a.x - tick, y, tick, 1, frame);
        std::string l = a.yaxis.label(t);
        draw_text(img, a.x - tick - gap / 2 - text_width(l, s), y - cap / 2, l, ink, s);
    }
    for (double t : a.xaxis.ticks) {
        int x = std::clamp((int)std::floor(a.px(t)), a.x, a.x + a.w - 1);
        fill_rect(img, x, a.y, 1, a.h, grid);
        fill_rect(img, x, a.y + a.h, 1, tick, frame);
        std::string l = a.xaxis.label(t);
        draw_text(img, x - text_width(l, s) / 2 + s, a.y + a.h + tick + gap / 2, l, ink, s);
    }
    draw_rect(img, a.x - 1, a.y - 1, a.w + 2, a.h + 2, frame);

    // Title, axis labels, legend.
    // Centred over the frame, moved (and for a title too wide at its scale, drawn one step smaller) to stay
    // inside the picture: a long title beside a wide legend is not cut at the left edge.
    const int mid_x = a.x + a.w / 2;
    auto inside = [&](int w) { return std::clamp(mid_x - w / 2, gap, std::max(gap, img.width - gap - w)); };
    const int ts = text_width(text.title, s + 1) <= img.width - 2 * gap ? s + 1 : s;
    draw_text(img, inside(text_width(text.title, ts)), gap, text.title, ink, ts);
    draw_text(img, inside(text_width(text.xlabel, s)), a.y + a.h + tick + th + 3 * gap / 2, text.xlabel, ink, s);
    draw_text_up(img, gap, a.y + (a.h - text_width(text.ylabel, s)) / 2, text.ylabel, ink, s);
    const int lx = a.x + a.w + 2 * gap;
    for (size_t i = 0; i < legend.size(); i++) {
        const int ly = a.y + (int)i * (th + gap), mid_y = ly + cap / 2;
        if (legend[i].dot)
            fill_circle(img, lx + swatch / 2.0, mid_y + 0.5, 2.5 * s, legend[i].color);
        else
            draw_line(img, lx, mid_y + 0.5, lx + swatch, mid_y + 0.5, legend[i].color, 1.5 * s);
        draw_text(img, lx + swatch + gap, ly, legend[i].name, ink, s);
    }
    return a;
}

}  // namespace tg
