// tensor.cpp — Shape and Tensor: construction, random fills, printing.
#include "autograd/tensor.h"

#include <cmath>

#include <algorithm>
#include <cstdio>

#include "autograd/loops.h"

namespace tg {

Shape::Shape(std::initializer_list<int> dims) {
    if (dims.size() > 4) throw Error("Shape: at most 4 dimensions are supported, got " + std::to_string(dims.size()));
    for (int v : dims) {
        if (v < 0) throw Error("Shape: negative dimension " + std::to_string(v));
        d[ndim++] = v;
    }
}

size_t Shape::numel() const {
    size_t n = 1;
    for (int i = 0; i < ndim; i++) n *= (size_t)d[i];
    return n;
}

bool Shape::operator==(const Shape& o) const {
    if (ndim != o.ndim) return false;
    for (int i = 0; i < ndim; i++)
        if (d[i] != o.d[i]) return false;
    return true;
}

std::string Shape::str() const {
    std::string s = "(";
    for (int i = 0; i < ndim; i++) s += (i ? ", " : "") + std::to_string(d[i]);
    return s + ")";
}

Error shape_error(const char* op, const Shape& a, const Shape& b, const char* what) {
    return Error(std::string(op) + ": " + a.str() + " vs " + b.str() + ": " + what);
}

// ----------------------------------------------------------------------------------------------
Tensor::Tensor(Shape s, std::vector<real> values) : shape(s), data(std::move(values)) {
    if (data.size() != s.numel())
        throw Error("Tensor: shape " + s.str() + " holds " + std::to_string(s.numel()) + " values, got " +
                    std::to_string(data.size()));
}

Tensor Tensor::full(Shape s, real v) {
    Tensor t(s);
    t.fill(v);
    return t;
}

Tensor Tensor::uniform(Shape s, real lo, real hi, Rng& rng) {
    Tensor t(s);
    fill_uniform(t.ptr(), t.size(), rng, lo, hi);
    return t;
}

Tensor Tensor::normal(Shape s, real mean, real std, Rng& rng) {
    Tensor t(s);
    fill_normal(t.ptr(), t.size(), rng, mean, std);
    return t;
}

void fill_normal(real* x, size_t n, Rng& rng, double mean, double std) {
    const Rng r = rng;  // normal() takes two draws: value i uses draws 2i and 2i + 1
    for_each_index(n, [x, r, mean, std](size_t i) { x[i] = (real)(mean + std * r.normal_at(i)); }, 512);
    rng.skip(2 * n);
}

void fill_uniform(real* x, size_t n, Rng& rng, double lo, double hi) {
    const Rng r = rng;
    for_each_index(n, [x, r, lo, hi](size_t i) { x[i] = (real)(lo + (hi - lo) * r.uniform_at(i)); }, 8192);
    rng.skip(n);
}

real Tensor::item() const {
    if (data.size() != 1) throw Error("item: tensor of shape " + shape.str() + " has " + std::to_string(data.size()) + " values, not 1");
    return data[0];
}

Tensor Tensor::reshaped(Shape s) const {
    if (s.numel() != shape.numel()) throw shape_error("reshape", shape, s, "sizes differ");
    Tensor t = *this;
    t.shape = s;
    return t;
}

void Tensor::fill(real v) {
    real* x = data.data();
    for_each_index(data.size(), [=](size_t i) { x[i] = v; });
}

Tensor Tensor::first_slice(int i0, int i1) const {
    int n = shape.ndim ? shape.d[0] : 1;
    if (i0 < 0 || i1 > n || i0 > i1)
        throw Error("first_slice: [" + std::to_string(i0) + ", " + std::to_string(i1) + ") is out of range for " + shape.str());
    size_t per = n ? shape.numel() / (size_t)n : 0;  // values per item along the first dimension
    Shape out = shape;
    out.d[0] = i1 - i0;
    Tensor t(out);
    std::copy(data.begin() + (ptrdiff_t)(i0 * per), data.begin() + (ptrdiff_t)(i1 * per), t.data.begin());
    return t;
}

std::string Tensor::str(int max_items) const {
    std::string s = shape.str() + " [";
    char buf[32];
    for (size_t i = 0; i < data.size() && i < (size_t)max_items; i++) {
        snprintf(buf, sizeof buf, "%s%.6g", i ? ", " : "", (double)data[i]);
        s += buf;
    }
    if (data.size() > (size_t)max_items) s += ", ...";
    return s + "]";
}

}  // namespace tg
