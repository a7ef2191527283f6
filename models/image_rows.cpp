// image_rows.cpp — channels-last rows <-> NCHW images at a conv net's edges (image_rows.h).
#include "models/image_rows.h"

#include "autograd/ops_conv.h"
#include "nn/conv.h"

namespace tg {

Var rows_to_images(Var x, int C, int H, int W) {
    const int B = x.value().dim(0);
    if (x.value().dim(1) != H * W * C)
        throw Error("rows_to_images: rows of " + std::to_string(x.value().dim(1)) + " values are not " + std::to_string(H) + "x" +
                    std::to_string(W) + "x" + std::to_string(C) + " images");
    return channels_first(reshape(x, Shape{B * H * W, C}), B, H, W);  // (B·H·W, C): one row per pixel -> (B, C, H, W)
}

Var images_to_rows(Var y) {
    const Shape& s = y.value().shape;  // (B, C, H, W)
    return reshape(channels_last(y), Shape{s[0], s[1] * s[2] * s[3]});  // (B·H·W, C) -> (B, H·W·C)
}

void add_rows_to_images(Sequential& net, const std::string& name, int C, int H, int W) {
    if (C == 1) net.add<Unflatten>(name, C, H, W);
    else net.add<RowsToImages>(name, C, H, W);
}

void add_images_to_rows(Sequential& net, const std::string& name, int C) {
    if (C == 1) net.add<Flatten>(name);
    else net.add<ImagesToRows>(name);
}

}  // namespace tg
