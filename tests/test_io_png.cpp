// test_io_png.cpp — pictures: image grids, plots, figures and PNG files (io/image, io/png, io/axes,
// io/plot). Every PNG is written to a fresh directory under /tmp and read back with stb_image's
// stbi_load, so the tests check the bytes a user would see: tiles at their offsets with their grey
// values, series and classes in their palette colours, and errors that name the path.
#include <catch2/catch.hpp>

#include <stb/stb_image.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "io/png.h"
#include "io/plot.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;

namespace {


// Read a PNG back as RGB with stbi_load.
Image load(const std::string& path) {
    int w = 0, h = 0, channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 3);
    REQUIRE(data != nullptr);
    Image img(w, h);
    std::copy(data, data + (size_t)w * h * 3, img.rgb.begin());
    stbi_image_free(data);
    return img;
}

Rgb grey(int v) { return {(uint8_t)v, (uint8_t)v, (uint8_t)v}; }

int count_color(const Image& img, Rgb c) {
    int n = 0;
    for (int y = 0; y < img.height; y++)
        for (int x = 0; x < img.width; x++) n += img.pixel(x, y) == c;
    return n;
}

// The mean position of the pixels of colour c (-1, -1 when there are none).
void centroid(const Image& img, Rgb c, double& cx, double& cy) {
    double sx = 0, sy = 0, n = 0;
    for (int y = 0; y < img.height; y++)
        for (int x = 0; x < img.width; x++)
            if (img.pixel(x, y) == c) sx += x, sy += y, n++;
    cx = n ? sx / n : -1, cy = n ? sy / n : -1;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
// Image grids

TEST_CASE("grid: every tile lands at its offset with its grey values", "[io][png]") {
    struct Case { bool signed_range; int scale, pad, cols; };
    const Case cases[] = {{false, 1, 2, 0}, {false, 2, 2, 3}, {true, 1, 0, 2}, {true, 2, 3, 0},
                          {false, 3, 1, 5}};
    const int N = 5, H = 3, W = 4;
    for (const Case& c : cases) {
        DYNAMIC_SECTION("signed " << c.signed_range << " scale " << c.scale << " pad " << c.pad
                                  << " cols " << c.cols) {
            // pixel (i, y, x) gets the byte 4 * (i*H*W + y*W + x) + 3: unique, and exact in float
            Tensor images(Shape{N, H * W});
            for (int i = 0; i < N; i++)
                for (int p = 0; p < H * W; p++) {
                    double u = (4 * (i * H * W + p) + 3) / 255.0;
                    images.at(i, p) = (real)(c.signed_range ? 2 * u - 1 : u);
                }
            GridOptions opt;
            opt.signed_range = c.signed_range, opt.scale = c.scale, opt.pad = c.pad, opt.cols = c.cols;
            opt.pad_color = {10, 20, 30};
            TempDir dir("png");
            write_image_grid(dir.file("grid.png"), images, H, W, 1, opt);
            Image img = load(dir.file("grid.png"));

            const int S = c.scale, P = c.pad, cols = c.cols ? c.cols : 3, rows = (N + cols - 1) / cols;
            REQUIRE(img.width == cols * (W * S + P) + P);
            REQUIRE(img.height == rows * (H * S + P) + P);
            for (int i = 0; i < N; i++) {
                const int x0 = P + (i % cols) * (W * S + P), y0 = P + (i / cols) * (H * S + P);
                for (int y = 0; y < H * S; y++)
                    for (int x = 0; x < W * S; x++) {
                        INFO("image " << i << " pixel (" << x << ", " << y << ")");
                        REQUIRE(img.pixel(x0 + x, y0 + y) == grey(4 * (i * H * W + (y / S) * W + x / S) + 3));
                    }
            }
            CHECK(img.pixel(img.width - 1, img.height - 1) == opt.pad_color);  // an empty slot or pad
            if (P > 0) CHECK(img.pixel(0, 0) == opt.pad_color);
        }
    }
}

TEST_CASE("grid: values outside the range are clipped and NaN is red", "[io][png]") {
    struct Case { bool signed_range; real value; Rgb expect; };
    const Case cases[] = {
        {false, -0.5f, grey(0)},   {false, 1.7f, grey(255)},  {false, 0.2f, grey(51)},
        {false, INFINITY, grey(255)}, {false, NAN, kNaNColor},
        {true, -3.0f, grey(0)},    {true, 2.0f, grey(255)},   {true, 0.0f, grey(128)},
        {true, NAN, kNaNColor}};
    for (const Case& c : cases) {
        GridOptions opt;
        opt.signed_range = c.signed_range, opt.pad = 0;
        Image img = image_grid(Tensor(Shape{1, 1}, {c.value}), 1, 1, 1, opt);
        INFO("signed " << c.signed_range << " value " << c.value);
        REQUIRE(img.width == 1);
        CHECK(img.pixel(0, 0) == c.expect);
    }
}

TEST_CASE("grid: RGB images and the (N, H, W) shape", "[io][png]") {
    // two 1 x 2 RGB images: channels last
    Tensor rgb(Shape{2, 6}, {1, 0, 0, 0, 1, 0, /**/ 0, 0, 1, 1, 1, 1});
    GridOptions opt;
    opt.pad = 1, opt.cols = 2;
    TempDir dir("png");
    write_image_grid(dir.file("rgb.png"), rgb, 1, 2, 3, opt);
    Image img = load(dir.file("rgb.png"));
    REQUIRE(img.width == 2 * 3 + 1);
    CHECK(img.pixel(1, 1) == Rgb{255, 0, 0});
    CHECK(img.pixel(2, 1) == Rgb{0, 255, 0});
    CHECK(img.pixel(4, 1) == Rgb{0, 0, 255});
    CHECK(img.pixel(5, 1) == kWhite);

    Rng rng(3);
    Tensor flat = Tensor::uniform(Shape{4, 6}, 0, 1, rng);
    CHECK(image_grid(flat.reshaped(Shape{4, 2, 3}), 2, 3).rgb == image_grid(flat, 2, 3).rgb);
}

TEST_CASE("grid: bad shapes and options are input errors that say what is wrong", "[io][png]") {
    Tensor x(Shape{4, 10});
    struct Case { int h, w, c; const char* needle; };
    const Case cases[] = {{3, 3, 1, "(4, 10)"}, {2, 5, 2, "channels"}, {0, 10, 1, "height"}};
    for (const Case& c : cases) {
        try {
            image_grid(x, c.h, c.w, c.c);
            FAIL("no error for " << c.h << " x " << c.w << " x " << c.c);
        } catch (const Error& e) {
            CHECK(e.code == EXIT_BAD_INPUT);
            CHECK_THAT(e.what(), Catch::Contains(c.needle));
        }
    }
    GridOptions bad;
    bad.scale = 0;
    CHECK_THROWS_WITH(image_grid(x, 2, 5, 1, bad), Catch::Contains("scale"));
    GridOptions labels;
    labels.row_labels = {"a", "b", "c"};  // 4 images cannot make 3 rows
    labels.cols = 2;
    CHECK_THROWS_WITH(image_grid(x, 2, 5, 1, labels), Catch::Contains("3 row labels for 2 rows"));
}

TEST_CASE("grid: row labels take one row each and push the images right", "[io][png]") {
    const int N = 6, H = 10, W = 10;
    Tensor x = Tensor::full(Shape{N, H * W}, 1);  // white images
    GridOptions opt;
    opt.row_labels = {"original", "PCA-30"};
    opt.pad_color = kBlack;
    Image img = image_grid(x, H, W, 1, opt);
    const int L = text_width("original", 1) + 8;  // rows of 10 px: labels at scale 1
    REQUIRE(img.height == 2 * (H + 2) + 2);       // cols = N / labels = 3, so two rows
    REQUIRE(img.width == L + 3 * (W + 2) + 2);
    CHECK(img.pixel(L + 2, 2) == kWhite);          // the first image's top-left corner
    CHECK(img.pixel(L + 1, 2) == kBlack);          // the pad before it
    int ink = 0;                                   // white label text on the black pad
    for (int y = 0; y < img.height; y++)
        for (int x = 0; x < L; x++) ink += img.pixel(x, y) == kWhite;
    CHECK(ink > 20);
}

// ----------------------------------------------------------------------------------------------
// PNG files and text

TEST_CASE("write_png: a missing or unwritable place is an error naming the path", "[io][png]") {
    TempDir dir("png");
    Image img(4, 4);
    SECTION("missing directory") {
        std::string path = dir.file("no/such/dir/x.png");
        CHECK_THROWS_WITH(write_png(path, img),
                          Catch::Contains(path) && Catch::Contains("mkdir -p " + dir.file("no/such/dir")));
    }
    SECTION("the path is a directory") {
        CHECK_THROWS_WITH(write_png(dir.path, img), Catch::Contains(dir.path));
    }
    SECTION("read-only directory") {  // as root (CI), written as nobody: root writes anywhere
        REQUIRE(chmod(dir.path.c_str(), 0555) == 0);
        Thrown e = error_as_nobody([&] { write_png(dir.file("x.png"), img); });
        REQUIRE(e.threw);
        CHECK(e.code == tg::EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Catch::Contains("png: cannot write " + dir.file("x.png")) && Catch::Contains("is not writable (Permission denied)"));
        CHECK(std::filesystem::is_empty(dir.path));  // no picture, no temporary
    }
    SECTION("empty image") { CHECK_THROWS_WITH(write_png(dir.file("e.png"), Image()), Catch::Contains("empty")); }
}

TEST_CASE("text: ink stays inside the box text_width x text_height says", "[io][png]") {
    for (int scale : {1, 2, 3}) {
        for (bool up : {false, true}) {
            Image img(200, 200);
            const std::string s = "Loss: 0.25 gy";
            const int tw = text_width(s, scale), th = text_height(s, scale);
            if (up) draw_text_up(img, 20, 30, s, kBlack, scale);
            else draw_text(img, 20, 30, s, kBlack, scale);
            const int bw = up ? th : tw, bh = up ? tw : th;
            int inside = 0, outside = 0;
            for (int y = 0; y < img.height; y++)
                for (int x = 0; x < img.width; x++)
                    if (img.pixel(x, y) == kBlack)
                        (x >= 20 && x < 20 + bw && y >= 30 && y < 30 + bh ? inside : outside)++;
            INFO("scale " << scale << " up " << up);
            CHECK(inside > 30 * scale * scale);
            CHECK(outside == 0);
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Ticks

TEST_CASE("ticks: 1-2-5 steps, labels with the decimals the step needs", "[io][plot]") {
    struct StepCase { double span; int target; double step; };
    for (StepCase c : {StepCase{1, 5, 0.2}, {20.5, 6, 5}, {0.25, 5, 0.05}, {3000, 5, 500},
                       {7e-4, 7, 1e-4}, {1, 10, 0.1}}) {
        INFO("span " << c.span << " target " << c.target);
        CHECK(nice_step(c.span, c.target) == Approx(c.step));
    }
    CHECK(ticks_between(-0.04, 1.04, 0.2).size() == 6);
    CHECK(ticks_between(0.3, 1.7, 0.5) == std::vector<double>{0.5, 1.0, 1.5});
    CHECK(tick_label(0.25, 0.05) == "0.25");
    CHECK(tick_label(15, 5) == "15");
    CHECK(tick_label(-1e-17, 0.1) == "0.0");  // no "-0.0"
    CHECK(tick_label(2e6, 1e6) == "2e+06");

    Axis lin = make_axis({1, 2, NAN, 20}, false, 6, true);
    CHECK(lin.lo < 1);
    CHECK(lin.hi > 20);
    CHECK(lin.step == 5);
    Axis log = make_axis({1e-3, 0.5, 1, -1, 0}, true, 6);  // -1 and 0 cannot be shown: skipped
    for (double t : {1e-3, 1e-2, 1e-1, 1.0})
        CHECK(std::find(log.ticks.begin(), log.ticks.end(), Approx(t)) != log.ticks.end());
    CHECK(log.frac(log.lo) == Approx(0));
    CHECK(log.frac(std::sqrt(log.lo * log.hi)) == Approx(0.5));  // halfway in log10
}

// ----------------------------------------------------------------------------------------------
// Plots

TEST_CASE("line plot: asked size, series in their colours, higher values drawn higher", "[io][plot]") {
    LinePlot p;
    p.title = "loss", p.xlabel = "epoch", p.ylabel = "value";
    std::vector<double> x, hi, lo;
    for (int e = 1; e <= 20; e++) x.push_back(e), hi.push_back(2 + 0.01 * e), lo.push_back(1 - 0.01 * e);
    p.add("high", x, hi);
    p.add("low", std::vector<float>(x.begin(), x.end()), std::vector<float>(lo.begin(), lo.end()));
    TempDir dir("png");
    p.write(dir.file("curves.png"), 640, 400);
    Image img = load(dir.file("curves.png"));
    REQUIRE(img.width == 640);
    REQUIRE(img.height == 400);
    CHECK(count_color(img, kWhite) < img.width * img.height);  // not blank
    double hx, hy, lx, ly;
    centroid(img, palette_color(0), hx, hy);
    centroid(img, palette_color(1), lx, ly);
    CHECK(count_color(img, palette_color(0)) > 300);  // a line across the frame, plus the legend
    CHECK(count_color(img, palette_color(1)) > 300);
    CHECK(hy < ly - 50);

    CHECK_THROWS_WITH(p.add("bad", {1, 2}, {1}), Catch::Contains("\"bad\""));
    p.log_y = true;                   // values <= 0 are skipped on a log axis, no error
    p.add("zeros", {1, 2}, {0, -1});
    CHECK(p.render(400, 300).width == 400);
    CHECK_THROWS_WITH(p.render(60, 50), Catch::Contains("60 x 50"));
}

// Columns of the line's row that hold the series colour; a NaN must leave a gap of no colour.
TEST_CASE("line plot: NaN is a missing point and breaks the line", "[io][plot]") {
    for (bool with_nan : {false, true}) {
        LinePlot p;
        std::vector<double> x, y;
        for (int i = 0; i <= 10; i++) x.push_back(i), y.push_back(i == 5 && with_nan ? NAN : 1.0);
        p.add("flat", x, y);
        Image img = p.render(600, 400);
        const Rgb c = palette_color(0);
        int best_row = 0, best = -1;  // the row of the line: the most pixels of its colour
        for (int yy = 0; yy < img.height; yy++) {
            int n = 0;
            for (int xx = 0; xx < img.width; xx++) n += img.pixel(xx, yy) == c;
            if (n > best) best = n, best_row = yy;
        }
        int first = -1, last = -1, longest_gap = 0, gap = 0;
        for (int xx = 0; xx < img.width; xx++) {
            if (img.pixel(xx, best_row) == c) {
                if (first < 0) first = xx;
                last = xx, longest_gap = std::max(longest_gap, gap), gap = 0;
            } else if (first >= 0) {
                gap++;
            }
        }
        INFO("with NaN: " << with_nan << ", line from " << first << " to " << last);
        CHECK(last - first > 300);
        if (with_nan) CHECK(longest_gap > 40);  // two of ten intervals are missing
        else CHECK(longest_gap == 0);
    }
}

TEST_CASE("palette: ten colours far apart, repeating after ten", "[io][plot]") {
    for (int a = 0; a < 10; a++) {
        for (int b = a + 1; b < 10; b++) {
            Rgb p = palette_color(a), q = palette_color(b);
            int d = std::abs(p.r - q.r) + std::abs(p.g - q.g) + std::abs(p.b - q.b);
            INFO("classes " << a << " and " << b);
            CHECK(d > 60);
        }
        CHECK(palette_color(a + 10) == palette_color(a));
    }
}

TEST_CASE("scatter: class k is drawn in palette colour k at its position", "[io][plot]") {
    ScatterPlot s;
    s.legend = false, s.opacity = 1, s.radius = 3;
    for (int k = 0; k < 10; k++) s.add(k, k, k);  // on the diagonal, up and to the right
    Image img = s.render(500, 500);
    double px = -1, py = 1e9, step = 0;
    for (int k = 0; k < 10; k++) {
        double cx, cy;
        centroid(img, palette_color(k), cx, cy);
        INFO("class " << k << " at (" << cx << ", " << cy << ")");
        REQUIRE(cx >= 0);
        CHECK(cx > px);  // right of class k - 1
        CHECK(cy < py);  // and above it
        if (k == 1) step = cx - px;
        if (k > 1) CHECK(cx - px == Approx(step).margin(1.5));  // evenly spaced
        px = cx, py = cy;
    }

    ScatterPlot big;  // 10,000 points with names in the legend: renders, shows every class
    Rng rng(5);
    for (int i = 0; i < 10000; i++) big.add(rng.normal(i % 10, 0.3), rng.normal(), i % 10);
    big.class_names = {"T-shirt", "Trouser"};  // the rest show their numbers
    Image b = big.render();
    for (int k = 0; k < 10; k++) CHECK(count_color(b, palette_color(k)) > 0);  // legend dots

    CHECK_THROWS_WITH(s.add(Tensor(Shape{5, 3}), {}), Catch::Contains("(5, 3)"));
    CHECK_THROWS_WITH(s.add(Tensor(Shape{5, 2}), {1, 2}), Catch::Contains("2 labels for 5 points"));
    CHECK_THROWS_WITH(s.add(0, 0, -1), Catch::Contains("-1"));
}

TEST_CASE("figure: panels in a grid under captions", "[io][plot]") {
    Figure f;
    f.add(Image(50, 40, {255, 0, 0}), "red");
    f.add(Image(30, 60, {0, 0, 255}), "blue");
    f.add(Image(50, 60, {0, 255, 0}));
    f.cols = 2;
    TempDir dir("png");
    f.write(dir.file("fig.png"));
    Image img = load(dir.file("fig.png"));
    // cells of 50 x 60 (the largest panel), 12 px gaps, a caption line of 18 + 6 px above each
    const int gap = 12, cap = text_height("x", 2) + gap / 2, cw = 50, ch = 60;
    REQUIRE(img.width == gap + 2 * (cw + gap));
    REQUIRE(img.height == gap + 2 * (cap + ch + gap));
    CHECK(img.pixel(gap + cw / 2, gap + cap + ch / 2) == Rgb{255, 0, 0});
    CHECK(img.pixel(2 * gap + cw + cw / 2, gap + cap + ch / 2) == Rgb{0, 0, 255});
    CHECK(img.pixel(gap + cw / 2, 2 * gap + 2 * cap + ch + ch / 2) == Rgb{0, 255, 0});
    // smaller panels sit centred in their cells: white margins on both sides
    CHECK(img.pixel(2 * gap + cw + 5, gap + cap + ch / 2) == kWhite);       // left of blue (30 wide)
    CHECK(img.pixel(2 * gap + 2 * cw - 5, gap + cap + ch / 2) == kWhite);   // right of it
    CHECK(img.pixel(gap + cw / 2, gap + cap + 5) == kWhite);                // above red (40 tall)
    CHECK(img.pixel(gap + cw / 2, gap + cap + ch - 5) == kWhite);           // below it
    CHECK_THROWS_WITH(Figure().render(), Catch::Contains("no panels"));
}
