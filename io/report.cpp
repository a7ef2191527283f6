// report.cpp — the comparison's report: the printed table, results.csv, index.html, scatter_all.png
// (io/report.h). Every file is written whole or not at all (io/atomic_file.h).
#include "io/report.h"

#include <algorithm>
#include <cstdio>

#include "io/atomic_file.h"
#include "io/plot.h"

namespace tg {

std::string fmt_or_dash(double v, const char* f) {
    if (std::isnan(v)) return "-";
    char b[32];
    snprintf(b, sizeof b, f, v);
    return b;
}

static std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) o += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    return o;
}

// ----------------------------------------------------------------------------------------------
// the printed table, results.csv, index.html

void print_report(const std::vector<ReportRow>& cells, const Commentary& com) {
    printf("\n%-7s %3s %9s %9s %10s %9s %7s %7s %6s %6s  %s\n", "method", "K", "fit s", "encode s", "mse/pixel", "se/image", "probe", "5-NN", "T(10)",
           "C(10)", "note");
    for (size_t i = 0; i < cells.size(); i++) {
        const ReportRow& c = cells[i];
        if (i && report_group(c) != report_group(cells[i - 1])) printf("\n");
        printf("%-7s %3d %9s %9s %10s %9s %7s %7s %6s %6s  %s\n", c.method.c_str(), c.K, fmt_or_dash(c.fit_s, "%.2f").c_str(),
               fmt_or_dash(c.encode_s, "%.3f").c_str(), fmt_or_dash(c.mse_pixel, "%.5f").c_str(), fmt_or_dash(c.se_image, "%.2f").c_str(),
               fmt_or_dash(100 * c.probe, "%.1f%%").c_str(), fmt_or_dash(100 * c.knn, "%.1f%%").c_str(), fmt_or_dash(c.trust, "%.3f").c_str(),
               fmt_or_dash(c.cont, "%.3f").c_str(), c.note.c_str());
    }
    for (const auto& k : com.by_k) {
        printf("\n%s\n", k.first.c_str());
        for (const std::string& l : k.second) printf("  - %s\n", l.c_str());
    }
    if (!com.bar.empty()) printf("\n%s\n", com.bar.c_str());
}

const std::vector<ReportMetric>& report_metrics() {
    static const std::vector<ReportMetric> m = {
        {"fit_seconds", &ReportRow::fit_s}, {"encode_seconds", &ReportRow::encode_s}, {"mse_per_pixel", &ReportRow::mse_pixel},
        {"squared_error_per_image", &ReportRow::se_image}, {"probe_accuracy", &ReportRow::probe}, {"knn5_accuracy", &ReportRow::knn},
        {"trustworthiness10", &ReportRow::trust}, {"continuity10", &ReportRow::cont},
    };
    return m;
}

void write_results_csv(const std::string& path, const std::vector<ReportRow>& cells) {
    std::string s = "method,K,seeds";
    for (const ReportMetric& m : report_metrics()) s += std::string(",") + m.csv + "," + m.csv + "_sd";
    s += ",note\n";
    auto num = [](double v) { return std::isnan(v) ? std::string() : fmt_or_dash(v, "%.6g"); };
    for (const ReportRow& c : cells) {
        s += c.method + "," + std::to_string(c.K) + "," + std::to_string(c.seeds);
        for (const ReportMetric& m : report_metrics()) s += "," + num(c.*m.field) + "," + num(c.sd(m.field));
        s += ",\"" + c.note + "\"\n";
    }
    write_file_atomically(path, s, "csv");
}

// What the ± means: the runs behind the numbers, and which methods ran once.
static std::string seeds_note(const std::vector<ReportRow>& cells) {
    int most = 1;
    std::string once;
    for (const ReportRow& c : cells) most = std::max(most, c.seeds);
    if (most == 1) return "One run (seed as in the setup); <code>compare --seeds N</code> gives mean ± sd over N seeds.";
    for (const ReportRow& c : cells)
        if (c.seeds == 1 && !std::isnan(c.fit_s) && once.find(c.method) == std::string::npos) once += (once.empty() ? "" : ", ") + c.method;
    return "Cells: mean ± sample sd over " + std::to_string(most) + " seeds (results.csv: the seeds column, each metric and its _sd)." +
           (once.empty() ? std::string() : " " + once + ": fitted without randomness, run once with the first seed, sd 0 (their probe's own seed is not varied).");
}

void write_report_html(const std::string& path, const std::vector<ReportRow>& cells, const Commentary& com,
                const std::vector<std::string>& scatters, bool have_recon, const std::string& setup, const std::string& data,
                const std::string& recon_file) {
    // the best value of a metric among the rows compared at the same K, shown in bold
    auto best = [&cells](const ReportRow& c, double ReportRow::*f, bool lower) {
        for (const ReportRow& o : cells)
            if (report_group(o) == report_group(c) && !std::isnan(o.*f) && (lower ? o.*f < c.*f : o.*f > c.*f)) return false;
        return true;
    };
    std::string h =
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>tapegrad: deep vs linear dimensionality reduction</title>\n"
        "<style>body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222;line-height:1.4}table{border-collapse:collapse}"
        "td,th{padding:3px 9px;border-bottom:1px solid #ddd;text-align:right}td.l,th.l{text-align:left}td.n{text-align:left;color:#777;font-size:90%}"
        "tr.sep td{border-top:2px solid #888}img{max-width:100%;border:1px solid #ccc}li{margin:.25em 0}p.bar{font-size:110%;background:#f3f3f3;padding:.6em}"
        "</style></head><body>\n<h1>Deep vs linear dimensionality reduction on " + html_escape(data.empty() ? "Fashion-MNIST" : data) +
        "</h1>\n<p>" + (data.empty() ? "Each method compresses every 28 x 28 image to K numbers. Everything below is measured on the 10000 "
                                     "test images; the methods were fitted on the training images only. "
                                   : "Each method compresses every row to K numbers, fitted on the training rows and measured on the test rows. ") +
        html_escape(setup) + " How it is measured and how to read it: <code>docs/compare.md</code>. The numbers: "
        "<a href=\"results.csv\">results.csv</a>.</p>\n";
    if (!com.bar.empty()) h += "<p class=bar>" + html_escape(com.bar) + "</p>\n";
    h += "<h2>What the numbers say</h2>\n";
    for (const auto& k : com.by_k) {
        h += "<h3>" + k.first + "</h3>\n<ul>\n";
        for (const std::string& l : k.second) h += "<li>" + html_escape(l) + "</li>\n";
        h += "</ul>\n";
    }
    if (!com.cost.empty()) {
        h += "<h3>Cost</h3>\n<p>";
        for (size_t i = 0; i < com.cost.size(); i++) h += html_escape(com.cost[i]) + (i + 1 < com.cost.size() ? "; " : ".");
        h += " Deep models pay for training once and then encode as fast as the linear maps; Isomap and LLE compare every new "
             "image with the images they were fitted on.</p>\n";
    }
    h += "<h2>The table</h2>\n<p><b>sq. error / image</b> = Σ over the 784 pixels of (x − x̂)², pixels in [0, 1]; <b>mse / pixel</b> = the "
         "same divided by 784; <b>linear probe</b> = softmax regression trained on the training codes, accuracy on the test codes; "
         "<b>5-NN</b> = the majority class of the 5 nearest training codes; <b>T(10)</b> and <b>C(10)</b> = trustworthiness and continuity "
         "at k = 10 (Venna &amp; Kaski) of the first 1000 test rows' codes against their pixels: 1 when the 10 nearest neighbours agree "
         "in both spaces, T lower for false neighbours in the codes, C lower for neighbours the codes tore apart. <b>Bold</b>: the best at that K. "
         "A dash: does not apply (the note says why). " + seeds_note(cells) + "</p>\n<table>\n"
         "<tr><th class=l>method</th><th>K</th><th>fit (s)</th><th>encode test (s)</th><th>mse / pixel</th><th>sq. error / image</th>"
         "<th>linear probe</th><th>5-NN</th><th>T(10)</th><th>C(10)</th><th class=l>note</th></tr>\n";
    for (size_t i = 0; i < cells.size(); i++) {
        const ReportRow& c = cells[i];
        // a cell: mean, and ± sd after several seeds; bold when it is the best mean at that K
        auto td = [&](double ReportRow::*f, const char* format, double scale, bool ranked, bool lower) {
            const double v = c.*f;
            const bool b = ranked && !std::isnan(v) && best(c, f, lower);
            std::string text = fmt_or_dash(scale * v, format);
            if (c.seeds > 1 && !std::isnan(v)) text += " ± " + fmt_or_dash(scale * c.sd(f), format);
            return "<td>" + std::string(b ? "<b>" : "") + text + (b ? "</b>" : "") + "</td>";
        };
        h += std::string(i == 0 || report_group(c) != report_group(cells[i - 1]) ? "<tr class=sep>" : "<tr>") + "<td class=l>" + c.method +
             "</td><td>" + std::to_string(c.K) + "</td>" + td(&ReportRow::fit_s, "%.2f", 1, false, true) + td(&ReportRow::encode_s, "%.3f", 1, false, true) +
             td(&ReportRow::mse_pixel, "%.5f", 1, true, true) + td(&ReportRow::se_image, "%.2f", 1, true, true) +
             td(&ReportRow::probe, "%.1f%%", 100, true, false) + td(&ReportRow::knn, "%.1f%%", 100, true, false) +
             td(&ReportRow::trust, "%.3f", 1, true, false) + td(&ReportRow::cont, "%.3f", 1, true, false) + "<td class=n>" + html_escape(c.note) + "</td></tr>\n";
    }
    h += "</table>\n";
    if (!scatters.empty()) {
        h += "<h2>Two numbers per image (K = 2)</h2>\n<p>The test images' codes, coloured by class. Classes that form separate clouds "
             "are what the 5-NN column rewards; overlapping clouds are what it punishes.</p>\n<img src=\"scatter_all.png\">\n<p>One "
             "method per picture: ";
        for (const std::string& s : scatters) h += "<a href=\"" + s + "\">" + s + "</a> ";
        h += "</p>\n";
    }
    if (have_recon && data.empty())
        h += "<h2>Reconstructions at K = 30</h2>\n<p>Top row: the first test image of each class. Below it, each method's "
             "reconstruction from 30 numbers (the methods with a decoder).</p>\n<img src=\"" + recon_file + "\">\n";
    else if (have_recon)
        h += "<h2>Reconstructions at the largest K</h2>\n<p>A few test rows (the first of each class when there are labels) and each "
             "method's reconstruction of them from the largest K (the methods with a decoder): as images when the rows are images, "
             "feature by feature otherwise.</p>\n<img src=\"" + recon_file + "\">\n";
    h += "</body></html>\n";
    write_file_atomically(path, h, "html");
}

void write_scatter_panels(const std::string& path, const std::string& title, const std::vector<std::pair<std::string, Tensor>>& panels,
                          const std::vector<int>& labels, const std::vector<std::string>& class_names) {
    Figure fig;
    fig.title = title;
    fig.cols = std::min(4, (int)panels.size());
    for (const auto& p : panels) {
        ScatterPlot s;
        s.title = p.first;
        s.class_names = class_names;
        const size_t n = std::min(labels.size(), (size_t)p.second.rows());  // a panel of the first rows only (t-SNE's)
        s.add(p.second, std::vector<int>(labels.begin(), labels.begin() + (ptrdiff_t)n));
        fig.add(s.render(560, 420));
    }
    fig.write(path);
}

}  // namespace tg
