// ops_conv.h — convolution, transposed convolution, pooling, upsampling and the reshapes between
// images and rows: the ops a CNN needs, on NCHW tensors. Read after the core (autograd/ops.h): each op is
// built from one idea the core already has — im2col turns a convolution into the one GEMM (blas.h),
// and col2im, its adjoint, carries gradients back. Forward and backward together in ops_conv.cpp.
// Legend: N = batch, C = input channels, O = output channels, H, W = input height and width,
// Ho, Wo = output height and width, k = kernel size (square), s = stride, p = padding.  docs/conv.md
#pragma once
#include "autograd/ops.h"

namespace tg {

// ---- convolution (cross-correlation, as in PyTorch) ---------------------------------------------
// y[n,o,i,j] = b[o] + Σ_c,a,e w[o,c,a,e] · x[n,c, i·s - p + a, j·s - p + e]   (x is 0 outside the image)
// x (N, C, H, W), w (O, C, k, k), b (O) or an empty Var -> y (N, O, Ho, Wo), Ho = (H + 2p - k) / s + 1
// dw += Σ_n dy_n cols_n^T;   dx += col2im(w^T dy_n)  (a transposed convolution of dy);   db += Σ dy
Var conv2d(Var x, Var w, Var b, int stride = 1, int pad = 0);

// The adjoint of conv2d in x: y = conv2d's input gradient for "dy" = x.  PyTorch's ConvTranspose2d.
// x (N, C, H, W), w (C, O, k, k), b (O) or empty -> y (N, O, Ho, Wo), Ho = (H - 1) s - 2p + k + output_padding
// (0 <= output_padding < s picks one of the s output sizes that convolve back to H)
// dx += w · im2col(dy)  (a convolution of dy);   dw += x_n im2col(dy_n)^T;   db += Σ dy
Var conv_transpose2d(Var x, Var w, Var b, int stride = 1, int pad = 0, int output_padding = 0);

// ---- pooling and upsampling, each (n, c) plane on its own -----------------------------------------
// y[n,c,i,j] = max over the k×k window at (i·s, j·s);  Ho = (H - k) / s + 1;  stride 0 means s = k.
// dx[argmax] += dy  (saves the argmax of each window; the first maximum wins ties, as in PyTorch)
Var max_pool2d(Var x, int k, int stride = 0);
// y[n,c,i,j] = mean of the k×k window;   dx[window] += dy / k²
Var avg_pool2d(Var x, int k, int stride = 0);
// nearest neighbour: y[n,c,i,j] = x[n,c, i / s, j / s], (N, C, H, W) -> (N, C, H·s, W·s);
// dx[n,c,a,e] += Σ of dy over its s×s block
Var upsample2d(Var x, int scale);

// ---- reshapes between images and rows --------------------------------------------------------------
Var flatten(Var x);                         // (N, C, H, W) -> (N, C·H·W): reshape, same values in order
Var unflatten(Var x, int C, int H, int W);  // (N, C·H·W) -> (N, C, H, W): reshape
// (N, C, H, W) -> (N·H·W, C): one row per pixel, one column per channel (BatchNorm2d normalises the
// columns);  dx[n,c,i,j] += dy[(n·H + i)·W + j, c]
Var channels_last(Var x);
// the inverse: (N·H·W, C) -> (N, C, H, W);  dx[(n·H + i)·W + j, c] += dy[n,c,i,j]
Var channels_first(Var x, int N, int H, int W);

// ---- the two loops convolution is built from (exposed for tests and docs/conv.md) ------------------
// im2col: for each image n, cols_n (C·k·k, Ho·Wo) with cols_n[(c·k + a)·k + e, i·Wo + j] =
// x[n,c, i·s - p + a, j·s - p + e] (0 outside).  cols holds N such matrices one after another.
void im2col(const real* x, int N, int C, int H, int W, int k, int s, int p, int Ho, int Wo, real* cols);
// col2im: the adjoint: x[n,c, i·s - p + a, j·s - p + e] += cols_n[(c·k + a)·k + e, i·Wo + j]
// (a pixel covered by several windows receives the sum of their entries).
void col2im(const real* cols, int N, int C, int H, int W, int k, int s, int p, int Ho, int Wo, real* x);

}  // namespace tg
