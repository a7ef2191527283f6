// synthetic.cpp — the generated sets of synthetic.h. N = items; every draw comes from the caller's Rng,
// in a fixed order, so a seed gives the same set on every machine.
#include "data/synthetic.h"

#include <cmath>
#include <string>
#include <vector>

namespace tg {

namespace {

const double PI = 3.14159265358979323846;

void check_count(const char* name, int n) {
    if (n <= 0) throw input_error(std::string(name) + ": asked for " + std::to_string(n) + " points; pass a count of 1 or more");
}

}  // namespace

Dataset spirals(int n, int classes, double noise, Rng& rng) {
    check_count("spirals", n);
    if (classes < 1) throw input_error("spirals: " + std::to_string(classes) + " arms; pass 1 or more");
    Dataset d;
    d.x = Tensor(Shape{n, 2});  // (N, 2)
    d.y.resize(n);
    for (int i = 0; i < n; i++) {
        const int c = i % classes;
        const double r = rng.uniform();                          // radius in [0, 1)
        const double a = 2 * PI * c / classes + 8.0 * r;         // arm offset + 8 rad (~1.3 turns) at r = 1
        d.x.at(i, 0) = (real)(r * std::cos(a) + noise * rng.normal());
        d.x.at(i, 1) = (real)(r * std::sin(a) + noise * rng.normal());
        d.y[i] = c;
    }
    d.classes = classes;
    d.source = "spirals(" + std::to_string(n) + ", " + std::to_string(classes) + " arms)";
    return d;
}

Dataset two_spirals(int n, double noise, Rng& rng) { return spirals(n, 2, noise, rng); }

Dataset moons(int n, double noise, Rng& rng) {
    check_count("moons", n);
    Dataset d;
    d.x = Tensor(Shape{n, 2});  // (N, 2)
    d.y.resize(n);
    for (int i = 0; i < n; i++) {
        const int c = i % 2;
        const double t = PI * rng.uniform();  // angle along the half circle
        const double px = c == 0 ? std::cos(t) : 1 - std::cos(t);
        const double py = c == 0 ? std::sin(t) : 0.5 - std::sin(t);
        d.x.at(i, 0) = (real)(px + noise * rng.normal());
        d.x.at(i, 1) = (real)(py + noise * rng.normal());
        d.y[i] = c;
    }
    d.classes = 2;
    d.source = "moons(" + std::to_string(n) + ")";
    return d;
}

Dataset swiss_roll(int n, double noise, Rng& rng, Tensor* coords) {
    check_count("swiss_roll", n);
    Dataset d;
    d.x = Tensor(Shape{n, 3});  // (N, 3)
    if (coords) *coords = Tensor(Shape{n, 2});  // (N, 2): (t, h)
    for (int i = 0; i < n; i++) {
        const double t = 1.5 * PI * (1 + 2 * rng.uniform());  // in [1.5 pi, 4.5 pi]
        const double h = 21 * rng.uniform();                   // in [0, 21]
        d.x.at(i, 0) = (real)(t * std::cos(t) + noise * rng.normal());
        d.x.at(i, 1) = (real)(h + noise * rng.normal());
        d.x.at(i, 2) = (real)(t * std::sin(t) + noise * rng.normal());
        if (coords) coords->at(i, 0) = (real)t, coords->at(i, 1) = (real)h;
    }
    d.source = "swiss_roll(" + std::to_string(n) + ")";
    return d;
}

Dataset noisy_manifold(int n, int intrinsic_dim, int ambient_dim, double noise, Rng& rng, Tensor* latent) {
    check_count("noisy_manifold", n);
    const int k = intrinsic_dim, D = ambient_dim, F = 3 * k;  // F = lifted features
    if (k < 1 || D < k)
        throw input_error("noisy_manifold: intrinsic dim " + std::to_string(k) + ", ambient dim " + std::to_string(D) +
                          "; pass 1 <= intrinsic dim <= ambient dim");
    // A (D, F), entries N(0, 1/F) so each x coordinate has variance about 1 whatever F is
    std::vector<double> A((size_t)D * F);
    for (double& a : A) a = rng.normal() / std::sqrt((double)F);

    Dataset d;
    d.x = Tensor(Shape{n, D});  // (N, D)
    if (latent) *latent = Tensor(Shape{n, k});  // (N, k)
    std::vector<double> z(k), phi(F);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) z[j] = rng.uniform(-1, 1);
        for (int j = 0; j < k; j++) {  // phi(z) = (z, sin(pi z), cos(pi z))
            phi[j] = z[j];
            phi[k + j] = std::sin(PI * z[j]);
            phi[2 * k + j] = std::cos(PI * z[j]);
        }
        for (int r = 0; r < D; r++) {  // x = A phi + noise
            double s = 0;
            for (int f = 0; f < F; f++) s += A[(size_t)r * F + f] * phi[f];
            d.x.at(i, r) = (real)(s + noise * rng.normal());
        }
        if (latent)
            for (int j = 0; j < k; j++) latent->at(i, j) = (real)z[j];
    }
    d.source = "noisy_manifold(" + std::to_string(n) + ", k=" + std::to_string(k) + ", D=" + std::to_string(D) + ")";
    return d;
}

}  // namespace tg
