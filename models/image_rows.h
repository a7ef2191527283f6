// image_rows.h — a conv model's input and image output for rows stored channels last. Every loader and picture
// keeps a row (H, W, C): pixel by pixel, R G B together (data/image_folder.h); convolutions read (C, H, W):
// all of R, then G, then B. These two reshapes sit at the edges of a conv net, so the model reads and writes
// rows as the data holds them (the Reducer, the pictures, compare) and the layers in between see NCHW.
// Composed of reshape and channels_first / channels_last (autograd/ops_conv.h), whose gradients are checked.
// For C = 1 both orders are the same, and the models keep plain Unflatten / Flatten.  B = batch.
#pragma once
#include <string>

#include "nn/module.h"

namespace tg {

// x (B, H·W·C) channels last -> (B, C, H, W):  y[b,c,i,j] = x[b, (i·W + j)·C + c]
Var rows_to_images(Var x, int C, int H, int W);
// y (B, C, H, W) -> (B, H·W·C) channels last: the inverse
Var images_to_rows(Var y);

struct RowsToImages : Module {
    int C, H, W;
    RowsToImages(const std::string& name, int C, int H, int W) : Module(name), C(C), H(H), W(W) {}
    Var forward(Var x) override { Scope s(*x.tape, name); return rows_to_images(x, C, H, W); }
};
struct ImagesToRows : Module {
    explicit ImagesToRows(const std::string& name) : Module(name) {}
    Var forward(Var y) override { Scope s(*y.tape, name); return images_to_rows(y); }
};

// Unflatten(C, H, W) for C = 1, RowsToImages otherwise; Flatten for C = 1, ImagesToRows otherwise.
void add_rows_to_images(Sequential& net, const std::string& name, int C, int H, int W);
void add_images_to_rows(Sequential& net, const std::string& name, int C);

}  // namespace tg
