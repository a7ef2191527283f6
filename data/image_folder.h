// image_folder.h — a folder of images as a Dataset, the convention of torchvision's ImageFolder:
// DIR/<class>/*.png|jpg|jpeg|bmp, labels from the subfolder names sorted (the first name is label 0), or a
// flat folder of images with no labels. Each image is read with stb_image, turned to grayscale (luma) or
// kept RGB, resized to H x W with stb_image_resize, and scaled to [0, 1] (byte / 255).
// N = images, C = channels (1 or 3), D = H * W * C, stored (H, W, C): channels last, as every loader and the
// image grids (io/png.h) use (torchvision's ToTensor gives (C, H, W): transpose when moving data across).
// Files with other extensions are ignored, as torchvision does; files in class folders' subfolders are taken too.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"

namespace tg {

struct ImageFolderOptions {
    int channels = 1;            // 1: grayscale (stb's luma), 3: RGB (an alpha channel is dropped)
    int height = 0, width = 0;   // resize every image to this; 0 x 0 = keep the first image's size (all must match it)
    bool skip_bad = false;       // skip unreadable or odd-sized images (counted) instead of stopping at the first
};

struct ImageFolderReport {
    std::vector<std::string> skipped;  // files skipped under skip_bad, each with the reason
};

// True when `dir` is a directory holding at least one image file, directly or one class folder down.
bool is_image_folder(const std::string& dir);

// Reads DIR as described above. Errors are input_errors naming the file and the fix: an unreadable or
// corrupt image, an image whose size differs from the first's (without a resize), a class folder with no
// images, a folder with none at all. `report`, when given, lists what skip_bad skipped.
Dataset load_image_folder(const std::string& dir, const ImageFolderOptions& opt = {}, ImageFolderReport* report = nullptr);

// "28x28" -> height 28, width 28 (for --size); input_error naming `flag` otherwise.
void parse_size(const std::string& text, int& height, int& width, const std::string& flag = "--size");

}  // namespace tg
