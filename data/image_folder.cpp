// image_folder.cpp — load_image_folder (see image_folder.h): list the class folders and their image files in
// sorted order, read each with stb_image, resize with stb_image_resize, scale to [0, 1], channels last.
#include "data/image_folder.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

namespace tg {

namespace {

bool is_dir(const std::string& p) {
    struct stat s;
    return stat(p.c_str(), &s) == 0 && S_ISDIR(s.st_mode);
}

bool has_image_extension(const std::string& name) {
    const size_t dot = name.rfind('.');
    if (dot == std::string::npos) return false;
    std::string e = name.substr(dot + 1);
    for (char& c : e) c = (char)std::tolower((unsigned char)c);
    return e == "png" || e == "jpg" || e == "jpeg" || e == "bmp";
}

// Entries of a directory, sorted by name, without "." , ".." and hidden ones (.DS_Store, .git)
std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = opendir(dir.c_str());
    if (!d) throw input_error("image folder: cannot open " + dir + "; check the path and its permissions");
    while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') out.push_back(e->d_name);
    closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

// Image files under dir, its subfolders included, in sorted order
void image_files(const std::string& dir, std::vector<std::string>& out, int depth = 0) {
    if (depth > 16) return;  // a symlink loop
    for (const std::string& n : entries(dir)) {
        const std::string p = dir + "/" + n;
        if (is_dir(p)) image_files(p, out, depth + 1);
        else if (has_image_extension(n)) out.push_back(p);
    }
}

std::string trim_slash(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

}  // namespace

bool is_image_folder(const std::string& dir) {
    if (!is_dir(dir)) return false;
    DIR* d = opendir(dir.c_str());
    if (!d) return false;
    closedir(d);
    for (const std::string& n : entries(dir)) {
        const std::string p = dir + "/" + n;
        if (has_image_extension(n) && !is_dir(p)) return true;
        if (is_dir(p))
            for (const std::string& m : entries(p))
                if (has_image_extension(m)) return true;
    }
    return false;
}

void parse_size(const std::string& text, int& height, int& width, const std::string& flag) {
    const size_t x = text.find_first_of("xX");
    char *e1 = nullptr, *e2 = nullptr;
    const std::string a = x == std::string::npos ? "" : text.substr(0, x), b = x == std::string::npos ? "" : text.substr(x + 1);
    const long h = std::strtol(a.c_str(), &e1, 10), w = std::strtol(b.c_str(), &e2, 10);
    if (a.empty() || b.empty() || *e1 || *e2 || h < 1 || w < 1 || h > 4096 || w > 4096)
        throw input_error(flag + ": '" + text + "' is not HEIGHTxWIDTH with each in 1..4096 (e.g. 28x28)");
    height = (int)h, width = (int)w;
}

// ----------------------------------------------------------------------------------------------
Dataset load_image_folder(const std::string& dir_in, const ImageFolderOptions& opt, ImageFolderReport* report) {
    const std::string dir = trim_slash(dir_in);
    if (opt.channels != 1 && opt.channels != 3) throw input_error("--channels: " + std::to_string(opt.channels) + " is not 1 (grayscale) or 3 (RGB)");
    if ((opt.height > 0) != (opt.width > 0)) throw input_error("--size: give both height and width (e.g. 28x28)");
    if (!is_dir(dir)) throw input_error("image folder: " + dir + " is not a directory; pass DIR/<class>/*.png (or a flat folder of images)");

    // Files and their labels: one class per subfolder (sorted names), or the folder's own images unlabelled.
    std::vector<std::string> files, class_names;
    std::vector<int> labels;
    for (const std::string& n : entries(dir))
        if (is_dir(dir + "/" + n)) class_names.push_back(n);
    if (!class_names.empty()) {
        for (size_t c = 0; c < class_names.size(); c++) {
            const size_t before = files.size();
            image_files(dir + "/" + class_names[c], files);
            if (files.size() == before)
                throw input_error("image folder: the class folder " + dir + "/" + class_names[c] +
                                  " holds no .png/.jpg/.jpeg/.bmp files; add images or remove the folder");
            labels.resize(files.size(), (int)c);
        }
    } else {
        for (const std::string& n : entries(dir))
            if (has_image_extension(n)) files.push_back(dir + "/" + n);
    }
    if (files.empty())
        throw input_error("image folder: " + dir + " holds no .png/.jpg/.jpeg/.bmp files, directly or in class folders (DIR/<class>/*.png)");

    // Read every image; the first readable one fixes H x W when no size is given.
    const int C = opt.channels;
    int H = opt.height, W = opt.width;
    std::vector<real> values;
    std::vector<int> kept_labels;
    std::vector<uint8_t> resized;
    int n = 0;
    for (size_t i = 0; i < files.size(); i++) {
        const std::string& f = files[i];
        int w = 0, h = 0, comp = 0;
        std::unique_ptr<uint8_t, void (*)(void*)> pix(stbi_load(f.c_str(), &w, &h, &comp, C), stbi_image_free);
        std::string bad;
        if (!pix) bad = std::string("cannot be read as an image (") + (stbi_failure_reason() ? stbi_failure_reason() : "unknown") + ")";
        else if (w < 1 || h < 1) bad = "has no pixels";
        else if (H == 0) H = h, W = w;  // the first image sets the size
        if (bad.empty() && (h != H || w != W) && opt.height == 0)
            bad = "is " + std::to_string(w) + "x" + std::to_string(h) + " (width x height) but the first image is " + std::to_string(W) + "x" +
                  std::to_string(H) + "; pass --size HxW to resize every image";
        if (!bad.empty()) {
            if (!opt.skip_bad) throw input_error("image folder: " + f + " " + bad + "; fix or remove it, or pass --skip-bad to skip such files");
            if (report) report->skipped.push_back(f + ": " + bad);
            continue;
        }
        const uint8_t* src = pix.get();
        if (h != H || w != W) {
            resized.resize((size_t)H * W * C);
            if (!stbir_resize_uint8(pix.get(), w, h, 0, resized.data(), W, H, 0, C))
                throw Error("image folder: resizing " + f + " to " + std::to_string(H) + "x" + std::to_string(W) + " failed");
            src = resized.data();
        }
        const size_t D = (size_t)C * H * W;
        if (values.size() + D > ((size_t)1 << 31)) throw input_error("image folder: " + dir + " holds more than 2^31 values; pass a smaller --size or fewer images");
        values.resize(values.size() + D);
        real* row = values.data() + values.size() - D;
        for (size_t p = 0; p < D; p++) row[p] = src[p] / real(255);  // (H, W, C) bytes -> values in [0, 1]
        if (!labels.empty()) kept_labels.push_back(labels[i]);
        n++;
    }
    if (n == 0) throw input_error("image folder: every image in " + dir + " was skipped as bad (" + (report ? report->skipped.front() : "") + ")");

    Dataset out;
    out.x = Tensor(Shape{n, C * H * W}, std::move(values));  // (N, D)
    out.y = std::move(kept_labels);
    out.height = H, out.width = W, out.channels = C;
    out.classes = (int)class_names.size();
    out.class_names = class_names;
    out.source = dir;
    return out;
}

}  // namespace tg
