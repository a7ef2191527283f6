// tensor.h — the one data type: a contiguous, row-major array of `real` with up to 4 dimensions.
// Storage is a std::vector, so copies are deep and moves are cheap, exactly as for a vector.
// `resize` to a size that fits the current capacity never allocates: the tape relies on it to reuse
// every buffer from one training step to the next (docs/autodiff.md, "a step allocates nothing").
// `real` is float; build with -DTAPEGRAD_DOUBLE for double (the gradient-check tests do).
#pragma once
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "autograd/error.h"
#include "autograd/rng.h"

namespace tg {

#ifdef TAPEGRAD_DOUBLE
using real = double;
#else
using real = float;
#endif

// ----------------------------------------------------------------------------------------------
// Shape: up to 4 dimensions, stored inline (no heap).
struct Shape {
    int ndim = 0;
    int d[4] = {0, 0, 0, 0};

    Shape() = default;
    Shape(std::initializer_list<int> dims);
    int operator[](int i) const { return d[i]; }
    size_t numel() const;
    // Every op that works on matrices sees a tensor as (rows, cols) = (numel / last dim, last dim).
    int rows() const { return ndim == 0 ? 1 : (int)(numel() / (size_t)d[ndim - 1]); }
    int cols() const { return ndim == 0 ? 1 : d[ndim - 1]; }
    bool operator==(const Shape& o) const;
    bool operator!=(const Shape& o) const { return !(*this == o); }
    std::string str() const;  // "(128, 784)"
};

// ----------------------------------------------------------------------------------------------
struct Tensor {
    Shape shape;
    std::vector<real> data;

    Tensor() = default;
    explicit Tensor(Shape s) : shape(s), data(s.numel(), real(0)) {}  // zeros
    Tensor(Shape s, std::vector<real> values);                        // from data; sizes must agree

    static Tensor zeros(Shape s) { return Tensor(s); }
    static Tensor ones(Shape s) { return full(s, 1); }
    static Tensor full(Shape s, real v);
    static Tensor uniform(Shape s, real lo, real hi, Rng& rng);
    static Tensor normal(Shape s, real mean, real std, Rng& rng);

    size_t size() const { return data.size(); }
    int ndim() const { return shape.ndim; }
    int dim(int i) const { return shape.d[i]; }
    int rows() const { return shape.rows(); }
    int cols() const { return shape.cols(); }
    real* ptr() { return data.data(); }
    const real* ptr() const { return data.data(); }
    real& operator[](size_t i) { return data[i]; }
    real operator[](size_t i) const { return data[i]; }
    real& at(int i, int j) { return data[(size_t)i * shape.cols() + j]; }  // 2-D view
    real at(int i, int j) const { return data[(size_t)i * shape.cols() + j]; }
    real item() const;  // the value of a 1-element tensor

    // Change the shape; keeps the buffer when it is big enough (no allocation), contents unspecified.
    void resize(Shape s) { shape = s; data.resize(s.numel()); }
    // Same data, new shape of the same size.
    Tensor reshaped(Shape s) const;
    void fill(real v);
    // Copy another tensor's shape and values into this one, reusing this buffer.
    void assign(const Tensor& src) { shape = src.shape; data.assign(src.data.begin(), src.data.end()); }
    // Items [i0, i1) along the first dimension (rows of a matrix, images of a batch), as a new tensor.
    Tensor first_slice(int i0, int i1) const;
    std::string str(int max_items = 8) const;  // "(2, 3) [1, 2, 3, ...]" for messages and debugging
};

// x[i] = the i-th value of the serial loop `x[i] = rng.normal(mean, std)` (or rng.uniform(lo, hi)) for
// i < n, the values computed on every thread (Rng's draws by position); rng ends where that loop leaves it.
void fill_normal(real* x, size_t n, Rng& rng, double mean = 0, double std = 1);
void fill_uniform(real* x, size_t n, Rng& rng, double lo = 0, double hi = 1);

// "op: (2, 3) vs (4, 5): what" — a helper for shape-mismatch messages.
Error shape_error(const char* op, const Shape& a, const Shape& b, const char* what);

}  // namespace tg
