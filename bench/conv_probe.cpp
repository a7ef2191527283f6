// conv_probe.cpp — a micro speed check (not a test, not part of `make bench`): forward + backward of the
// CNN classifier's two convolutions at one thread, conv 1->32 3x3 p1 on (128, 1, 28, 28) and conv 32->64
// 3x3 p1 on (128, 32, 14, 14), loss = sum(y); then the same step's pieces alone: im2col, col2im and the
// GEMMs (to see the GEMM-only fraction). bench/conv_probe.py times the same in PyTorch.
// Build and run:  make build/bench/conv_probe && build/bench/conv_probe [reps]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "autograd/blas.h"
#include "autograd/fast/threads.h"
#include "autograd/ops_conv.h"

using namespace tg;
using Clock = std::chrono::steady_clock;

template <class F>
static double median_ms(int reps, F f) {
    f();  // warm-up: buffers sized, caches filled
    f();
    std::vector<double> t;
    for (int r = 0; r < reps; r++) {
        auto t0 = Clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 10;
    set_threads(1);
    struct Case { const char* name; int N, C, H, O; bool x_grad; };
    const Case cases[] = {{"conv 1->32 3x3 p1 on (128,1,28,28)", 128, 1, 28, 32, false},
                          {"conv 32->64 3x3 p1 on (128,32,14,14)", 128, 32, 14, 64, true}};
    Rng rng(1);
    for (const Case& c : cases) {
        const int k = 3, P = c.H * c.H, CKK = c.C * k * k;
        Tensor X = Tensor::uniform(Shape{c.N, c.C, c.H, c.H}, -1, 1, rng);
        Param w("w", Tensor::uniform(Shape{c.O, c.C, k, k}, -0.3, 0.3, rng)), b("b", Tensor::uniform(Shape{c.O}, -0.1, 0.1, rng));
        Tape tape;
        double step = median_ms(reps, [&] {
            tape.reset();
            w.zero_grad();
            b.zero_grad();
            Var y = conv2d(tape.input(X, c.x_grad), tape.param(w), tape.param(b), 1, 1);
            tape.backward(sum(y));
        });
        double fwd = median_ms(reps, [&] {
            tape.reset();
            NoGrad ng(tape);
            conv2d(tape.input(X), tape.param(w), tape.param(b), 1, 1);
        });
        // the pieces alone, on the same shapes
        std::vector<real> cols((size_t)c.N * CKK * P), dx(X.size()), y((size_t)c.N * c.O * P);
        double t_im2col = median_ms(reps, [&] { im2col(X.ptr(), c.N, c.C, c.H, c.H, k, 1, 1, c.H, c.H, cols.data()); });
        double t_col2im = c.x_grad ? median_ms(reps, [&] { col2im(cols.data(), c.N, c.C, c.H, c.H, k, 1, 1, c.H, c.H, dx.data()); }) : 0;
        double t_gemm = median_ms(reps, [&] {
            for (int i = 0; i < c.N; i++) {
                real* ci = cols.data() + (size_t)i * CKK * P;
                real* yi = y.data() + (size_t)i * c.O * P;
                gemm(false, false, c.O, P, CKK, 1, w.value.ptr(), CKK, ci, P, 1, yi, P);       // forward
                gemm(false, true, c.O, CKK, P, 1, yi, P, ci, P, 1, w.grad.ptr(), CKK);         // dw
                if (c.x_grad) gemm(true, false, CKK, P, c.O, 1, w.value.ptr(), CKK, yi, P, 0, ci, P);  // dcols
            }
        });
        std::printf("%-40s forward+backward %7.2f ms  (forward %6.2f)  |  alone: GEMMs %6.2f ms (%.0f%%), im2col %5.2f, col2im %5.2f\n",
                    c.name, step, fwd, t_gemm, 100 * t_gemm / step, t_im2col, t_col2im);
    }
    return 0;
}
