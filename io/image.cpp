// image.cpp — the RGB canvas: pixels, shapes, text and PNG files (see image.h).
// Lines and dots are antialiased by coverage: a pixel whose centre is d pixels from a line's axis
// (a dot's centre) of half-width (radius) r gets alpha * clamp(r + 0.5 - d, 0, 1), a cheap,
// good-enough estimate of the share of the pixel the shape covers. Text comes from stb_easy_font as quads that we fill as rectangles. PNG
// encoding is stb_image_write (its implementation is in libstb), into memory; io/atomic_file.h writes the file.
#include "io/image.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <stb/stb_image_write.h>

// stb_easy_font is header-only and all `static`: the functions we do not call would warn.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop

#include "autograd/error.h"
#include "io/atomic_file.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// The canvas
Image::Image(int w, int h, Rgb background) : width(w), height(h) {
    if (w < 0 || h < 0 || w > 32768 || h > 32768)
        throw Error("image: size " + std::to_string(w) + " x " + std::to_string(h) +
                    " is out of range; width and height must be in [0, 32768]");
    rgb.resize((size_t)w * h * 3);
    fill(background);
}

Rgb Image::pixel(int x, int y) const {
    const uint8_t* p = &rgb[((size_t)y * width + x) * 3];
    return {p[0], p[1], p[2]};
}

void Image::set_pixel(int x, int y, Rgb c) {
    if (!contains(x, y)) return;
    uint8_t* p = &rgb[((size_t)y * width + x) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
}

void Image::blend_pixel(int x, int y, Rgb c, float alpha) {
    if (!contains(x, y) || !(alpha > 0)) return;
    if (alpha >= 1) {
        set_pixel(x, y, c);
        return;
    }
    uint8_t* p = &rgb[((size_t)y * width + x) * 3];
    const uint8_t src[3] = {c.r, c.g, c.b};
    for (int k = 0; k < 3; k++) p[k] = (uint8_t)std::lround((1 - alpha) * p[k] + alpha * src[k]);
}

void Image::fill(Rgb c) {
    for (size_t i = 0; i < rgb.size(); i += 3) rgb[i] = c.r, rgb[i + 1] = c.g, rgb[i + 2] = c.b;
}

// ----------------------------------------------------------------------------------------------
// Shapes
void fill_rect(Image& img, int x, int y, int w, int h, Rgb c) {
    int x0 = std::max(x, 0), x1 = std::min(x + w, img.width);
    int y0 = std::max(y, 0), y1 = std::min(y + h, img.height);
    for (int j = y0; j < y1; j++)
        for (int i = x0; i < x1; i++) img.set_pixel(i, j, c);
}

void draw_rect(Image& img, int x, int y, int w, int h, Rgb c) {
    fill_rect(img, x, y, w, 1, c);
    fill_rect(img, x, y + h - 1, w, 1, c);
    fill_rect(img, x, y, 1, h, c);
    fill_rect(img, x + w - 1, y, 1, h, c);
}

// Coverage of a pixel whose centre is `d` pixels from a shape's core of half-width `r`.
static float coverage(double r, double d) { return (float)std::clamp(r + 0.5 - d, 0.0, 1.0); }

void draw_line(Image& img, double x0, double y0, double x1, double y1, Rgb c, double width,
               float alpha) {
    if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
    double r = width / 2;
    int xa = std::max(0, (int)std::floor(std::min(x0, x1) - r - 1));
    int xb = std::min(img.width - 1, (int)std::ceil(std::max(x0, x1) + r + 1));
    int ya = std::max(0, (int)std::floor(std::min(y0, y1) - r - 1));
    int yb = std::min(img.height - 1, (int)std::ceil(std::max(y0, y1) + r + 1));
    double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    for (int y = ya; y <= yb; y++)
        for (int x = xa; x <= xb; x++) {
            double px = x + 0.5, py = y + 0.5;  // pixel centre
            // t = where the centre projects onto the segment, clamped to its ends (round caps)
            double t = len2 > 0 ? std::clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0.0, 1.0) : 0;
            double d = std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
            img.blend_pixel(x, y, c, alpha * coverage(r, d));
        }
}

void fill_circle(Image& img, double cx, double cy, double radius, Rgb c, float alpha) {
    if (!std::isfinite(cx) || !std::isfinite(cy)) return;
    int xa = (int)std::floor(cx - radius - 1), xb = (int)std::ceil(cx + radius + 1);
    int ya = (int)std::floor(cy - radius - 1), yb = (int)std::ceil(cy + radius + 1);
    for (int y = std::max(ya, 0); y <= std::min(yb, img.height - 1); y++)
        for (int x = std::max(xa, 0); x <= std::min(xb, img.width - 1); x++)
            img.blend_pixel(x, y, c, alpha * coverage(radius, std::hypot(x + 0.5 - cx, y + 0.5 - cy)));
}

// ----------------------------------------------------------------------------------------------
// Text: stb_easy_font writes 4 vertices per quad, each {float x, y, z; uint8 rgba[4]} = 16 bytes.
// Quads are axis-aligned, so vertex 0 is the top-left corner and vertex 2 the bottom-right one.
struct Quad {
    float x0, y0, x1, y1;  // font pixels, relative to the text's top-left corner
};

// stb reads its font table at [c - 32], so anything outside printable ASCII becomes '?'.
static std::string printable(const std::string& s) {
    std::string out = s;
    for (char& ch : out)
        if (ch != '\n' && (ch < 32 || ch > 126)) ch = '?';
    return out;
}

static std::vector<Quad> text_quads(const std::string& s) {
    std::string text = printable(s);
    std::vector<char> vbuf(1024 * (text.size() + 1));  // a glyph needs at most ~15 quads of 64 bytes
    int n = stb_easy_font_print(0, 0, &text[0], nullptr, vbuf.data(), (int)vbuf.size());
    std::vector<Quad> quads(n);
    for (int q = 0; q < n; q++) {
        const char* v = vbuf.data() + 64 * q;
        std::memcpy(&quads[q].x0, v + 0, 4), std::memcpy(&quads[q].y0, v + 4, 4);        // vertex 0
        std::memcpy(&quads[q].x1, v + 32 + 0, 4), std::memcpy(&quads[q].y1, v + 32 + 4, 4);  // vertex 2
    }
    return quads;
}

int text_width(const std::string& s, int scale) {
    std::string text = printable(s);
    return scale * stb_easy_font_width(&text[0]);
}

int text_height(const std::string& s, int scale) {
    int lines = 1 + (int)std::count(s.begin(), s.end(), '\n');
    return scale * ((lines - 1) * 12 + 9);  // 12 px per line; the last one 9 px with descenders
}

void draw_text(Image& img, int x, int y, const std::string& s, Rgb c, int scale) {
    for (const Quad& q : text_quads(s))
        fill_rect(img, x + (int)q.x0 * scale, y + (int)q.y0 * scale, (int)(q.x1 - q.x0) * scale,
                  (int)(q.y1 - q.y0) * scale, c);
}

void draw_text_up(Image& img, int x, int y, const std::string& s, Rgb c, int scale) {
    // Turning anticlockwise maps text point (u, v) (u along the text, v down) to (x + v, y + W - u).
    int W = text_width(s, scale);
    for (const Quad& q : text_quads(s))
        fill_rect(img, x + (int)q.y0 * scale, y + W - (int)q.x1 * scale, (int)(q.y1 - q.y0) * scale,
                  (int)(q.x1 - q.x0) * scale, c);
}

// ----------------------------------------------------------------------------------------------
// Composing and files
void paste(Image& dst, const Image& src, int x, int y) {
    int i0 = std::max(0, -x), i1 = std::min(src.width, dst.width - x);
    if (i1 <= i0) return;
    for (int j = std::max(0, -y); j < std::min(src.height, dst.height - y); j++)
        std::memcpy(&dst.rgb[((size_t)(y + j) * dst.width + x + i0) * 3],
                    &src.rgb[((size_t)j * src.width + i0) * 3], (size_t)(i1 - i0) * 3);
}

void write_png(const std::string& path, const Image& img) {
    if (img.width <= 0 || img.height <= 0)
        throw Error("png: " + path + ": the image is empty (" + std::to_string(img.width) + " x " +
                    std::to_string(img.height) + "); nothing to write, draw onto a sized Image");
    // stb encodes into memory; the bytes then reach the disk through the one atomic writer, so a full
    // disk leaves the old picture or none, never a truncated one.
    std::string bytes;
    auto append = [](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append((const char*)data, (size_t)size); };
    if (!stbi_write_png_to_func(append, &bytes, img.width, img.height, 3, img.rgb.data(), img.width * 3))
        throw Error("png: cannot encode " + path + " (" + std::to_string(img.width) + " x " + std::to_string(img.height) +
                    "): stb_image_write failed; this is a bug, please report it");
    write_file_atomically(path, bytes, "png");
}

}  // namespace tg
