// image.h — an RGB canvas and the few drawing primitives that the image grids (png.h) and the plots
// (plot.h) are made of: pixels, rectangles, antialiased lines and dots, text, pasting, PNG files.
// Coordinates are pixels: x grows rightwards, y downwards, pixel (x, y) covers [x, x+1) x [y, y+1).
// Every drawing call clips at the canvas edge, so callers never check bounds.
// Text is stb_easy_font's built-in pixel font: capitals 7 px tall (descenders 9 px) at scale 1.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tg {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};
inline bool operator==(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
inline bool operator!=(Rgb a, Rgb b) { return !(a == b); }

constexpr Rgb kWhite{255, 255, 255};
constexpr Rgb kBlack{0, 0, 0};

struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;  // (height, width, 3) bytes, row-major

    Image() = default;
    Image(int width, int height, Rgb background = kWhite);  // 0 <= width, height <= 32768

    bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
    Rgb pixel(int x, int y) const;  // (x, y) must be inside
    void set_pixel(int x, int y, Rgb c);  // ignored outside the canvas
    // dst = (1 - alpha) * dst + alpha * c, alpha in [0, 1]; ignored outside the canvas.
    void blend_pixel(int x, int y, Rgb c, float alpha);
    void fill(Rgb c);
};

// ---- shapes -----------------------------------------------------------------------------------
// (x, y) is the top-left corner, w x h the size in pixels.
void fill_rect(Image& img, int x, int y, int w, int h, Rgb c);
void draw_rect(Image& img, int x, int y, int w, int h, Rgb c);  // 1-pixel outline
// A segment `width` pixels wide with round ends, antialiased; points are in pixel units, so the
// centre of pixel (x, y) is (x + 0.5, y + 0.5). Non-finite end points draw nothing.
void draw_line(Image& img, double x0, double y0, double x1, double y1, Rgb c, double width = 1,
               float alpha = 1);
// A filled, antialiased disc of `radius` pixels centred at (cx, cy), blended with `alpha`.
void fill_circle(Image& img, double cx, double cy, double radius, Rgb c, float alpha = 1);

// ---- text -------------------------------------------------------------------------------------
// ASCII only: other bytes are drawn as '?'; '\n' starts a new line (12 px apart at scale 1).
// `scale` is a whole number: each font pixel becomes scale x scale pixels (2 reads well on plots).
int text_width(const std::string& s, int scale = 1);   // pixels, including a 1-2 px trailing gap
int text_height(const std::string& s, int scale = 1);  // pixels, from the top to the descenders
// (x, y) is the top-left corner of the text box.
void draw_text(Image& img, int x, int y, const std::string& s, Rgb c, int scale = 1);
// The same text turned 90 degrees anticlockwise (reads bottom to top, for a y-axis label); the
// box is text_height wide and text_width tall, (x, y) its top-left corner.
void draw_text_up(Image& img, int x, int y, const std::string& s, Rgb c, int scale = 1);

// ---- composing and files ----------------------------------------------------------------------
// Copy `src` onto `dst` with src's top-left corner at (x, y); clipped at dst's edges.
void paste(Image& dst, const Image& src, int x, int y);
// Write an 8-bit RGB PNG. Throws tg::Error naming the path and the fix when it cannot
// (a missing or read-only directory, an empty image).
void write_png(const std::string& path, const Image& img);

}  // namespace tg
